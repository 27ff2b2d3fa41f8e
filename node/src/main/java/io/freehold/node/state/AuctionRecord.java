package io.freehold.node.state;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One auction, as the DutchAuction's {@code auction(auctionId)} view returns it, plus when it
 * reaches its floor. Ended auctions are kept ({@code active} false): their ids are never reused.
 * The lot and the tab left are the position's collateral and debt while the auction is active: the
 * pool keeps both on the position.
 *
 * @param startedAt unix seconds of the start or the latest restart
 * @param endsAt unix seconds the price reaches the floor; takes need a restart after it
 * @param startPrice PRICE_SCALE (1e36): loan-token base units per collateral base unit
 * @param floorPrice PRICE_SCALE
 */
public record AuctionRecord(
        long auctionId,
        MarketId marketId,
        Address borrower,
        long startedAt,
        long endsAt,
        int restarts,
        boolean active,
        BigInteger startPrice,
        BigInteger floorPrice) {

    public AuctionRecord {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Uint256.checkNonNegative(auctionId, "auctionId");
        Uint256.checkNonNegative(startedAt, "startedAt");
        Uint256.checkNonNegative(endsAt, "endsAt");
        Uint256.checkNonNegative(restarts, "restarts");
        Uint256.check(startPrice, "startPrice");
        Uint256.check(floorPrice, "floorPrice");
    }

    /** The same auction, ended. */
    public AuctionRecord ended() {
        return new AuctionRecord(
                auctionId,
                marketId,
                borrower,
                startedAt,
                endsAt,
                restarts,
                false,
                startPrice,
                floorPrice);
    }
}
