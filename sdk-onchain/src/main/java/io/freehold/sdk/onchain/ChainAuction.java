package io.freehold.sdk.onchain;

import io.freehold.sdk.Auction;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * One Dutch auction read from the chain at one block ({@link FreeholdAuction#auction(long)}): whose
 * it is, whether it is still running, and where it stands in the same terms the node reports it
 * ({@link Auction}: price now, time to the floor, lot and tab left) at that block's timestamp.
 *
 * <pre>{@code
 * ChainAuction a = pool.auctions().auction(auctionId).orElseThrow();
 * a.auction().currentPrice();  // what a take in a block at a.timestamp() pays per collateral unit
 * }</pre>
 *
 * @param marketId the market
 * @param borrower whose collateral is for sale
 * @param active false once the debt is paid or the lot gone (then {@code auction}'s current price
 *     is empty and its lot and tab are the position's)
 * @param auction where it stands at {@code timestamp}
 * @param blockNumber the block everything was read at
 * @param timestamp that block's timestamp, unix seconds
 */
public record ChainAuction(
        MarketId marketId,
        Address borrower,
        boolean active,
        Auction auction,
        long blockNumber,
        long timestamp) {

    public ChainAuction {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(auction, "auction");
    }

    /** The auction's id. */
    public long auctionId() {
        return auction.auctionId();
    }
}
