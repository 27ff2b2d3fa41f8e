package io.freehold.sdk.onchain;

import io.freehold.sdk.TokenAmount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A mined take of a Dutch auction's lot, as the auction's {@code AuctionTaken} (and, when it ended
 * the auction, {@code AuctionEnded}) reported it.
 *
 * <pre>{@code
 * TakeReceipt r = pool.auctions().take(auctionId, TokenAmount.parse("50000000000000000000", 18), maxPrice);
 * r.bought();  // 50 tokens, sent to the receiver
 * r.paid();    // what the signer paid, at most 50 x maxPrice
 * if (r.ended()) { r.lotLeft(); }  // what stays the borrower's
 * }</pre>
 *
 * @param auctionId the auction
 * @param marketId its market
 * @param borrower whose collateral was sold
 * @param taker the signer, who paid
 * @param receiver who got the collateral
 * @param transactionHash 0x-hex
 * @param blockNumber the block it was mined in
 * @param gasUsed gas the transaction used
 * @param bought collateral received
 * @param paid loan token paid, all of it repaying the borrower's debt
 * @param price the auction's price in that block (× 10<sup>36</sup>), at most the take's maxPrice
 * @param lotLeft collateral the position still holds; once {@code ended}, the borrower's again
 * @param debtLeft debt the position still owes (zero when the take cleared it)
 * @param ended this take ended the auction: the debt is paid, or the lot is gone
 * @param badDebt debt written off because the lot ran out (zero unless {@code ended})
 * @param approvalTransactionHash the {@code approve} of the loan token sent first because the
 *     allowance was short, if any
 */
public record TakeReceipt(
        long auctionId,
        MarketId marketId,
        Address borrower,
        Address taker,
        Address receiver,
        String transactionHash,
        long blockNumber,
        BigInteger gasUsed,
        TokenAmount bought,
        TokenAmount paid,
        BigInteger price,
        TokenAmount lotLeft,
        TokenAmount debtLeft,
        boolean ended,
        TokenAmount badDebt,
        Optional<String> approvalTransactionHash) {

    public TakeReceipt {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(taker, "taker");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(transactionHash, "transactionHash");
        Objects.requireNonNull(gasUsed, "gasUsed");
        Objects.requireNonNull(bought, "bought");
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(lotLeft, "lotLeft");
        Objects.requireNonNull(debtLeft, "debtLeft");
        Objects.requireNonNull(badDebt, "badDebt");
        Objects.requireNonNull(approvalTransactionHash, "approvalTransactionHash");
    }
}
