package io.freehold.contracts.bindings;

import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;

/**
 * The auction's events and the pool's cure-window events as the SDK's receipts read them, decoded
 * once from the ABI in the layout {@link AbiEvent} takes from it (as {@link PoolEvents} does for
 * the pool's others). Amounts in base units, prices PRICE_SCALE (1e36), times unix seconds.
 */
public final class AuctionEvents {

    private AuctionEvents() {}

    /**
     * An {@code AuctionStarted} ({@code restarts} 0) or {@code AuctionRestarted}: the price falls
     * from {@code startPrice} at {@code startedAt} to {@code floorPrice} at {@code endsAt}; {@code
     * lot} and {@code tab} are the position's collateral and debt then (after the penalty and the
     * keeper reward); {@code keeperReward} is what {@code keeper} was paid (borrowed on the
     * position).
     */
    public record Round(
            long auctionId,
            MarketId marketId,
            Address borrower,
            Address keeper,
            BigInteger lot,
            BigInteger tab,
            BigInteger startPrice,
            BigInteger floorPrice,
            long startedAt,
            long endsAt,
            BigInteger keeperReward,
            int restarts) {}

    /**
     * An {@code AuctionTaken}: {@code taker} paid {@code paid} for {@code collateral} at {@code
     * price}, sent to {@code receiver}; the position holds {@code lotLeft} and owes {@code
     * debtLeft} after it.
     */
    public record Taken(
            long auctionId,
            MarketId marketId,
            Address borrower,
            Address taker,
            Address receiver,
            BigInteger collateral,
            BigInteger paid,
            BigInteger price,
            BigInteger lotLeft,
            BigInteger debtLeft) {}

    /**
     * An {@code AuctionEnded}: {@code lotLeft} stays the borrower's, {@code badDebt} was written
     * off.
     */
    public record Ended(
            long auctionId,
            MarketId marketId,
            Address borrower,
            BigInteger lotLeft,
            BigInteger badDebt) {}

    /**
     * A {@code CureFlagged}: the window runs from {@code flaggedAt} (kept when an earlier flag
     * held); the flag is confirmed under the oracle's appraisal number {@code appraisalSeq} at
     * {@code price}.
     */
    public record Flagged(
            MarketId marketId,
            Address borrower,
            long flaggedAt,
            BigInteger appraisalSeq,
            BigInteger price) {}

    /** A {@code CureFlagCleared}. */
    public record FlagCleared(MarketId marketId, Address borrower) {}

    /**
     * {@code AuctionStarted(auctionId*, marketId*, borrower*, keeper, lot, tab, startPrice,
     * floorPrice, startedAt, endsAt, keeperReward)}.
     */
    public static final AbiEvent<Round> STARTED =
            AbiEvent.of(DutchAuction.AUCTIONSTARTED_EVENT, (w, log) -> round(w, 0));

    /** {@code AuctionRestarted}: as {@code AuctionStarted}, then the restart count. */
    public static final AbiEvent<Round> RESTARTED =
            AbiEvent.of(
                    DutchAuction.AUCTIONRESTARTED_EVENT,
                    (w, log) -> round(w, Math.toIntExact(w.uintAsLong(8))));

    /**
     * {@code AuctionTaken(auctionId*, marketId*, borrower*, taker, receiver, collateral, paid,
     * price, lotLeft, debtLeft)}.
     */
    public static final AbiEvent<Taken> TAKEN =
            AbiEvent.of(
                    DutchAuction.AUCTIONTAKEN_EVENT,
                    (w, log) ->
                            new Taken(
                                    w.topicUint(0).longValueExact(),
                                    w.topicMarketId(1),
                                    w.topicAddress(2),
                                    w.address(0),
                                    w.address(1),
                                    w.uint(2),
                                    w.uint(3),
                                    w.uint(4),
                                    w.uint(5),
                                    w.uint(6)));

    /** {@code AuctionEnded(auctionId*, marketId*, borrower*, lotLeft, badDebt)}. */
    public static final AbiEvent<Ended> ENDED =
            AbiEvent.of(
                    DutchAuction.AUCTIONENDED_EVENT,
                    (w, log) ->
                            new Ended(
                                    w.topicUint(0).longValueExact(),
                                    w.topicMarketId(1),
                                    w.topicAddress(2),
                                    w.uint(0),
                                    w.uint(1)));

    /** The pool's {@code CureFlagged(id*, borrower*, flaggedAt, appraisalSeq, price)}. */
    public static final AbiEvent<Flagged> CURE_FLAGGED =
            AbiEvent.of(
                    LendingPool.CUREFLAGGED_EVENT,
                    (w, log) ->
                            new Flagged(
                                    w.topicMarketId(0),
                                    w.topicAddress(1),
                                    w.uintAsLong(0),
                                    w.uint(1),
                                    w.uint(2)));

    /** The pool's {@code CureFlagCleared(id*, borrower*)}. */
    public static final AbiEvent<FlagCleared> CURE_FLAG_CLEARED =
            AbiEvent.of(
                    LendingPool.CUREFLAGCLEARED_EVENT,
                    (w, log) -> new FlagCleared(w.topicMarketId(0), w.topicAddress(1)));

    private static Round round(EventWords w, int restarts) {
        return new Round(
                w.topicUint(0).longValueExact(),
                w.topicMarketId(1),
                w.topicAddress(2),
                w.address(0),
                w.uint(1),
                w.uint(2),
                w.uint(3),
                w.uint(4),
                w.uintAsLong(5),
                w.uintAsLong(6),
                w.uint(7),
                restarts);
    }
}
