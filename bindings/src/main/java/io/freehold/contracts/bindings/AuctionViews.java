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
 * the pool's: the views a keeper reads ({@code liquidationTerms}, {@code cureFlag}, {@code
 * activeAuction}, {@code auction}, {@code auctionParams}, the oracle's {@code appraisalCount}) and
 * the keeper's transactions ({@code flag}, {@code start}, {@code restart}, {@code take}), whose
 * call data is sent as a transaction or simulated with {@code eth_call}. Answers come back in the
 * math's types ({@link AuctionStructs}).
 */
public final class AuctionViews {

    private AuctionViews() {}

    /**
     * An auction as the auction's {@code auction(id)} view holds it.
     *
     * @param startedAt unix seconds of the start or the latest restart; 0: no such auction
     * @param startPrice PRICE_SCALE
     * @param floorPrice PRICE_SCALE, reached at {@code startedAt + duration}
     */
    public record AuctionState(
            MarketId marketId,
            Address borrower,
            long startedAt,
            int restarts,
            boolean active,
            BigInteger startPrice,
            BigInteger floorPrice) {}

    /** What {@code take} returns: collateral bought, loan token paid (base units). */
    public record TakeResult(BigInteger bought, BigInteger paid) {}

    /** The pool's {@code liquidationTerms(id)}. */
    public static ViewCall<LiquidationTerms> liquidationTerms(MarketId id) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_LIQUIDATIONTERMS,
                        List.of(abiBytes32(id)),
                        List.of(new TypeReference<LendingPool.LiquidationTerms>() {})),
                v -> AuctionStructs.liquidationTerms((LendingPool.LiquidationTerms) v.get(0)));
    }

    /** The pool's {@code cureFlag(id, borrower)}. */
    public static ViewCall<CureFlagState> cureFlag(MarketId id, Address borrower) {
        return new ViewCall<>(
                new Function(
                        LendingPool.FUNC_CUREFLAG,
                        List.of(abiBytes32(id), abiAddress(borrower)),
                        List.of(new TypeReference<LendingPool.CureFlag>() {})),
                v -> AuctionStructs.cureFlag((LendingPool.CureFlag) v.get(0)));
    }

    /**
     * The pool's {@code isLiquidatable(id, borrower)}: health below 1, fresh price, token not
     * paused, not in auction, and past any cure window or under the hard floor.
     */
    public static ViewCall<Boolean> isLiquidatable(MarketId id, Address borrower) {
        return PoolViews.boolView(
                LendingPool.FUNC_ISLIQUIDATABLE, abiBytes32(id), abiAddress(borrower));
    }

    /** The oracle's {@code appraisalCount(token)}: what a cure flag is judged against. */
    public static ViewCall<BigInteger> appraisalCount(Address token) {
        return PoolViews.uintView(AppraisalOracle.FUNC_APPRAISALCOUNT, abiAddress(token));
    }

    /** The auction's {@code activeAuction(id, borrower)}: the auction id, 0 when none. */
    public static ViewCall<BigInteger> activeAuction(MarketId id, Address borrower) {
        return PoolViews.uintView(
                DutchAuction.FUNC_ACTIVEAUCTION, abiBytes32(id), abiAddress(borrower));
    }

    /** The auction's {@code auction(auctionId)}. */
    public static ViewCall<AuctionState> auction(BigInteger auctionId) {
        return new ViewCall<>(
                new Function(
                        DutchAuction.FUNC_AUCTION,
                        List.of(new Uint256(auctionId)),
                        List.of(new TypeReference<DutchAuction.Auction>() {})),
                v -> {
                    DutchAuction.Auction a = (DutchAuction.Auction) v.get(0);
                    return new AuctionState(
                            MarketId.fromBytes(a.marketId),
                            Address.of(a.borrower),
                            a.startedAt.longValueExact(),
                            a.restarts.intValueExact(),
                            a.active,
                            a.startPrice,
                            a.floorPrice);
                });
    }

    /** The auction's {@code auctionParams(id)} (reverts {@code NotAuctionMarket} for others). */
    public static ViewCall<AuctionTerms> auctionParams(MarketId id) {
        return new ViewCall<>(
                new Function(
                        DutchAuction.FUNC_AUCTIONPARAMS,
                        List.of(abiBytes32(id)),
                        List.of(new TypeReference<DutchAuction.AuctionParams>() {})),
                v -> AuctionStructs.auctionTerms((DutchAuction.AuctionParams) v.get(0)));
    }

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
    public static ViewCall<BigInteger> restart(BigInteger auctionId, Address keeper) {
        return PoolViews.uintView(
                DutchAuction.FUNC_RESTART, new Uint256(auctionId), abiAddress(keeper));
    }

    /** The auction's {@code take(auctionId, collateral, maxPrice, receiver)}. */
    public static ViewCall<TakeResult> take(
            BigInteger auctionId, BigInteger collateral, BigInteger maxPrice, Address receiver) {
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
