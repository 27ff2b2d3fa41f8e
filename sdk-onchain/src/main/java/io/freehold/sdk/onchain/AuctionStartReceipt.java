package io.freehold.sdk.onchain;

import io.freehold.sdk.TokenAmount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A mined {@code start} or {@code restart} of a Dutch auction, as its {@code AuctionStarted} or
 * {@code AuctionRestarted} event reported it. Prices are the oracle's scale: loan-token base units
 * per collateral base unit × 10<sup>36</sup>.
 *
 * <pre>{@code
 * AuctionStartReceipt r = pool.auctions().startAuction(marketId, borrower);
 * r.auctionId();     // what take and restartAuction name
 * r.keeperReward();  // paid to the signer, e.g. 19.70 USD
 * }</pre>
 *
 * @param auctionId the auction's id (the same across restarts)
 * @param marketId the market
 * @param borrower whose collateral is for sale
 * @param keeper the signer, who was paid {@code keeperReward}
 * @param transactionHash 0x-hex
 * @param blockNumber the block it was mined in
 * @param gasUsed gas the transaction used
 * @param lot the collateral for sale (the position's)
 * @param tab the debt to cover, after the penalty and the keeper reward were added to it
 * @param startPrice the price at {@code startedAt}
 * @param floorPrice the price at {@code endsAt}
 * @param startedAt unix seconds
 * @param endsAt unix seconds; takes after it need a restart
 * @param keeperReward loan token paid to the keeper (borrowed on the borrower's position); zero for
 *     restarts past the market's paid ones
 * @param restarts 0 for a start, n for the n-th restart
 */
public record AuctionStartReceipt(
        long auctionId,
        MarketId marketId,
        Address borrower,
        Address keeper,
        String transactionHash,
        long blockNumber,
        BigInteger gasUsed,
        TokenAmount lot,
        TokenAmount tab,
        BigInteger startPrice,
        BigInteger floorPrice,
        long startedAt,
        long endsAt,
        TokenAmount keeperReward,
        int restarts) {

    public AuctionStartReceipt {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(keeper, "keeper");
        Objects.requireNonNull(transactionHash, "transactionHash");
        Objects.requireNonNull(gasUsed, "gasUsed");
        Objects.requireNonNull(lot, "lot");
        Objects.requireNonNull(tab, "tab");
        Objects.requireNonNull(startPrice, "startPrice");
        Objects.requireNonNull(floorPrice, "floorPrice");
        Objects.requireNonNull(keeperReward, "keeperReward");
    }
}
