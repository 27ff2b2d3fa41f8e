package io.freehold.contracts.bindings;

import static io.freehold.contracts.bindings.PoolViews.abiAddress;
import static io.freehold.contracts.bindings.PoolViews.abiBytes32;

import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The auction's views and the pool's liquidation-terms and cure-window views as {@link ViewCall}s,
 * as {@link PoolViews} has the pool's others: encoded and decoded from the ABI, into the math's
 * types, sent by the caller's own transport.
 */
public final class AuctionViews {

    private AuctionViews() {}

    /**
     * One auction as the auction's {@code auction(auctionId)} view returns it; an id never used
     * answers {@code startedAt} 0.
     *
     * @param startedAt unix seconds of the start or the latest restart
     * @param active false once the debt is paid or the collateral gone
     * @param startPrice PRICE_SCALE (1e36), at {@code startedAt}
     * @param floorPrice PRICE_SCALE, reached {@code duration} seconds after {@code startedAt}
     */
    public record AuctionRecord(
            long auctionId,
            MarketId marketId,
            Address borrower,
            long startedAt,
            int restarts,
            boolean active,
            BigInteger startPrice,
            BigInteger floorPrice) {

        /** Whether the id was ever used. */
        public boolean exists() {
            return startedAt != 0;
        }
    }

    /** The auction's {@code auction(auctionId)}. */
    public static ViewCall<AuctionRecord> auction(long auctionId) {
        return new ViewCall<>(
                new Function(
                        DutchAuction.FUNC_AUCTION,
                        List.of(new Uint256(auctionId)),
                        List.of(new TypeReference<DutchAuction.Auction>() {})),
                v -> {
                    DutchAuction.Auction a = (DutchAuction.Auction) v.get(0);
                    return new AuctionRecord(
                            auctionId,
                            MarketId.fromBytes(a.marketId),
                            Address.of(a.borrower),
                            a.startedAt.longValueExact(),
                            a.restarts.intValueExact(),
                            a.active,
                            a.startPrice,
                            a.floorPrice);
                });
    }

    /** The auction's {@code activeAuction(id, borrower)}: the active auction's id, 0 for none. */
    public static ViewCall<BigInteger> activeAuction(MarketId id, Address borrower) {
        return PoolViews.uintView(
                DutchAuction.FUNC_ACTIVEAUCTION, abiBytes32(id), abiAddress(borrower));
    }

    /**
     * The auction's {@code priceAt(auctionId, timestamp)}: reverts {@code AuctionNeedsRestart}
     * outside the auction's run and {@code AuctionNotActive} for an id never used.
     */
    public static ViewCall<BigInteger> priceAt(long auctionId, long timestamp) {
        return PoolViews.uintView(
                DutchAuction.FUNC_PRICEAT, new Uint256(auctionId), new Uint256(timestamp));
    }

    /** The auction's {@code auctionParams(id)}: reverts {@code NotAuctionMarket} for others. */
    public static ViewCall<AuctionTerms> auctionParams(MarketId id) {
        return new ViewCall<>(
                new Function(
                        DutchAuction.FUNC_AUCTIONPARAMS,
                        List.of(abiBytes32(id)),
                        List.of(new TypeReference<DutchAuction.AuctionParams>() {})),
                v -> AuctionStructs.auctionTerms((DutchAuction.AuctionParams) v.get(0)));
    }

    /** The pool's {@code liquidationTerms(id)}. */
    public static ViewCall<LiquidationTerms> liquidationTerms(MarketId id) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_LIQUIDATIONTERMS,
                        List.of(abiBytes32(id)),
                        List.of(new TypeReference<LendingPool.LiquidationTerms>() {})),
                v -> AuctionStructs.liquidationTerms((LendingPool.LiquidationTerms) v.get(0)));
    }

    /** The pool's {@code cureFlag(id, borrower)}: the flag and the auction lock. */
    public static ViewCall<CureFlagState> cureFlag(MarketId id, Address borrower) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_CUREFLAG,
                        List.of(abiBytes32(id), abiAddress(borrower)),
                        List.of(new TypeReference<LendingPool.CureFlag>() {})),
                v -> AuctionStructs.cureFlag((LendingPool.CureFlag) v.get(0)));
    }

    /**
     * The pool's {@code isLiquidatable(id, borrower)}: on an auction market, whether {@code start}
     * would accept the position (health, fresh price, unpaused, past its window or under the
     * floor).
     */
    public static ViewCall<Boolean> isLiquidatable(MarketId id, Address borrower) {
        return PoolViews.boolView(
                LendingPool.FUNC_ISLIQUIDATABLE, abiBytes32(id), abiAddress(borrower));
    }
}
