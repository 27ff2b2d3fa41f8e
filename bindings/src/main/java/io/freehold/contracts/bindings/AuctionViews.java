package io.freehold.contracts.bindings;

import static io.freehold.contracts.bindings.PoolViews.abiAddress;
import static io.freehold.contracts.bindings.PoolViews.abiBytes32;

import io.freehold.contracts.generated.AppraisalOracle;
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
 * The cure window's and the Dutch auction's calls as {@link ViewCall}s, as {@link PoolViews} has
 * the pool's: the views ({@code liquidationTerms}, {@code cureFlag}, {@code isLiquidatable}, {@code
 * activeAuction}, {@code auction}, {@code priceAt}, {@code auctionParams}, the oracle's {@code
 * appraisalCount}) and the keeper's transactions ({@code flag}, {@code start}, {@code restart},
 * {@code take}), whose call data is sent as a transaction or simulated with {@code eth_call}.
 * Encoded and decoded from the ABI, into the math's types ({@link AuctionStructs}), sent by the
 * caller's own transport.
 *
 * <p>Auction ids are {@code long}: the contract numbers them from 1, one per start.
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

    /** The oracle's {@code appraisalCount(token)}: what a cure flag is judged against. */
    public static ViewCall<BigInteger> appraisalCount(Address token) {
        return PoolViews.uintView(AppraisalOracle.FUNC_APPRAISALCOUNT, abiAddress(token));
    }

    // ---- the keeper's transactions, for eth_call and for sending ----------------------------

    /** What {@code take} returns: collateral bought, loan token paid (base units). */
    public record TakeResult(BigInteger bought, BigInteger paid) {}

    /** The pool's {@code flag(id, borrower)}: starts (or confirms) the borrower's cure window. */
    public static ViewCall<Void> flag(MarketId id, Address borrower) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_FLAG,
                        List.of(abiBytes32(id), abiAddress(borrower)),
                        List.of()),
                v -> null);
    }

    /** The auction's {@code start(id, borrower, keeper)}: the new auction's id. */
    public static ViewCall<BigInteger> start(MarketId id, Address borrower, Address keeper) {
        return PoolViews.uintView(
                DutchAuction.FUNC_START, abiBytes32(id), abiAddress(borrower), abiAddress(keeper));
    }

    /** The auction's {@code restart(auctionId, keeper)}: the keeper's reward. */
    public static ViewCall<BigInteger> restart(long auctionId, Address keeper) {
        return PoolViews.uintView(
                DutchAuction.FUNC_RESTART, new Uint256(auctionId), abiAddress(keeper));
    }

    /** The auction's {@code take(auctionId, collateral, maxPrice, receiver)}. */
    public static ViewCall<TakeResult> take(
            long auctionId, BigInteger collateral, BigInteger maxPrice, Address receiver) {
        return new ViewCall<>(
                new Function(
                        DutchAuction.FUNC_TAKE,
                        List.of(
                                new Uint256(auctionId),
                                new Uint256(collateral),
                                new Uint256(maxPrice),
                                abiAddress(receiver)),
                        List.of(new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {})),
                v ->
                        new TakeResult(
                                (BigInteger) v.get(0).getValue(),
                                (BigInteger) v.get(1).getValue()));
    }
}
