package io.freehold.node.liquidation.decide;

import io.freehold.contracts.bindings.AuctionViews;
import io.freehold.contracts.bindings.ViewCall;
import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.Auctions;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.CureWindow;
import io.freehold.contracts.math.FixedPoint;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.Risk;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.attempts.AttemptKind;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The keeper's half of preflight: what to do with an unhealthy position on a market that has a cure
 * window or sells by Dutch auction, decided from the chain at the pinned block (every read an
 * {@code eth_call}), in this order:
 *
 * <ol>
 *   <li>the pool accepts it now ({@code isLiquidatable}: past the window or under the hard floor,
 *       not in auction): on an auction market {@code start(id, borrower, keeper = liquidator)}, on
 *       a fixed-incentive market the liquidation (empty: {@link Preflight} goes on as for any
 *       market);
 *   <li>it is in auction: {@code restart} once the auction is past its end (unless the market no
 *       longer pays for it and {@code restart-unpaid} is false: {@link SkipReason#UNPAID_RESTART}),
 *       else a {@code take} when a discount is configured and the price is at or below appraisal ×
 *       (1 − discount), else nothing ({@link SkipReason#AUCTION_RUNNING});
 *   <li>a flag that holds, window still open: nothing ({@link SkipReason#CURE_WINDOW_OPEN}); past
 *       its window (or no window) and still refused: the market's own action simulated, for the
 *       reason (paused, stale, healthy), never a second flag;
 *   <li>otherwise {@code flag(id, borrower)}, which starts the borrower's window (a healthy
 *       position makes its simulation revert {@code PositionHealthy}).
 * </ol>
 *
 * Each call is simulated from the liquidator before it is planned, its revert decoded into a {@link
 * SkipReason}; the gas checks are {@link Preflight}'s.
 */
final class KeeperPreflight {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final LiquidatorConfiguration config;
    private final PoolReader reader;
    private final Preflight preflight;

    KeeperPreflight(LiquidatorConfiguration config, PoolReader reader, Preflight preflight) {
        this.config = config;
        this.reader = reader;
        this.preflight = preflight;
    }

    /**
     * The keeper's decision on {@code c}, or empty when the market is fixed-incentive and the pool
     * accepts a liquidation now.
     */
    Optional<PreflightResult> check(
            LiquidationCandidate c,
            LiquidatorRpc.Head head,
            BigInteger committed,
            MarketTerms terms,
            LiquidationTerms lt) {
        long b = head.number();
        Address liquidator = preflight.liquidator();
        if (reader.isLiquidatable(c.marketId(), c.borrower(), b)) {
            if (!lt.isAuction()) {
                return Optional.empty();
            }
            return Optional.of(
                    plan(
                            c,
                            head,
                            terms,
                            AttemptKind.START_AUCTION,
                            lt.auction(),
                            AuctionViews.start(c.marketId(), c.borrower(), liquidator)));
        }
        CureFlagState flag = reader.cureFlag(c.marketId(), c.borrower(), b);
        if (flag.inAuction()) {
            return Optional.of(inAuction(c, head, committed, terms, lt));
        }
        PoolReader.Appraisal appraisal =
                reader.appraisal(terms.oracle(), terms.collateralToken(), b);
        BigInteger seq = reader.appraisalCount(terms.oracle(), terms.collateralToken(), b);
        boolean flagHolds = CureWindow.flagHolds(flag, seq, appraisal.price());
        if (lt.hasCureWindow() && flagHolds) {
            long endsAt = flag.flaggedAt() + lt.cureWindowSeconds();
            if (head.timestamp() < endsAt) {
                return Optional.of(
                        PreflightResult.skipUntil(
                                c,
                                b,
                                SkipReason.CURE_WINDOW_OPEN,
                                "flagged at "
                                        + flag.flaggedAt()
                                        + "; its cure window ends at "
                                        + endsAt
                                        + ", "
                                        + (endsAt - head.timestamp())
                                        + " s after block "
                                        + b
                                        + " (CureWindowOpen)",
                                lt.isAuction() ? AttemptKind.START_AUCTION : AttemptKind.LIQUIDATE,
                                endsAt));
            }
        }
        if (!lt.hasCureWindow() || flagHolds) {
            // Nothing to flag (no window, or a flag that holds past its window), yet the pool
            // refuses: healthy, stale or paused. Flagging again would only confirm the flag (a
            // transaction for nothing); the market's own action, simulated, says why.
            return lt.isAuction()
                    ? Optional.of(
                            plan(
                                    c,
                                    head,
                                    terms,
                                    AttemptKind.START_AUCTION,
                                    lt.auction(),
                                    AuctionViews.start(c.marketId(), c.borrower(), liquidator)))
                    : Optional.empty();
        }
        return Optional.of(
                plan(
                        c,
                        head,
                        terms,
                        AttemptKind.FLAG,
                        reader.pool(),
                        AuctionViews.flag(c.marketId(), c.borrower())));
    }

    private PreflightResult inAuction(
            LiquidationCandidate c,
            LiquidatorRpc.Head head,
            BigInteger committed,
            MarketTerms terms,
            LiquidationTerms lt) {
        long b = head.number();
        Address auction = lt.auction();
        long auctionId =
                reader.activeAuction(auction, c.marketId(), c.borrower(), b).longValueExact();
        AuctionViews.AuctionRecord state = reader.auction(auction, auctionId, b);
        AuctionTerms at = reader.auctionTerms(auction, c.marketId(), b);
        long endsAt = Auctions.endsAt(at, state.startedAt());
        if (head.timestamp() > endsAt) {
            // Past its end nobody can take: offer the lot again at a fresh appraisal.
            if (!config.restartUnpaid() && !Auctions.restartIsPaid(at, state.restarts() + 1)) {
                return PreflightResult.skip(
                        c,
                        b,
                        SkipReason.UNPAID_RESTART,
                        "auction "
                                + auctionId
                                + " ended at "
                                + endsAt
                                + " after "
                                + state.restarts()
                                + " restarts; the market pays the keeper for "
                                + at.maxPaidRestarts()
                                + " and restart-unpaid is false",
                        AttemptKind.RESTART_AUCTION);
            }
            return plan(
                    c,
                    head,
                    terms,
                    AttemptKind.RESTART_AUCTION,
                    auction,
                    AuctionViews.restart(auctionId, preflight.liquidator()));
        }
        BigInteger price =
                Auctions.priceAt(
                        at,
                        state.startPrice(),
                        state.floorPrice(),
                        state.startedAt(),
                        head.timestamp());
        BigDecimal discount = config.auctionTakeDiscount();
        if (discount == null) {
            // The keeper declines the take; its next call is the restart, once the run ends.
            return PreflightResult.skipUntil(
                    c,
                    b,
                    SkipReason.AUCTION_RUNNING,
                    "auction "
                            + auctionId
                            + " runs until "
                            + endsAt
                            + " at price "
                            + price
                            + " now; auction-take-discount is not set, so the keeper does not take",
                    AttemptKind.TAKE,
                    endsAt + 1);
        }
        PoolReader.Appraisal appraisal =
                reader.appraisal(terms.oracle(), terms.collateralToken(), b);
        BigInteger limit = takeLimit(appraisal.price(), discount);
        if (price.compareTo(limit) > 0) {
            return PreflightResult.skip(
                    c,
                    b,
                    SkipReason.AUCTION_PRICE_ABOVE_LIMIT,
                    "auction "
                            + auctionId
                            + " asks "
                            + price
                            + " at block "
                            + b
                            + ", above the keeper's limit "
                            + limit
                            + " (appraisal "
                            + appraisal.price()
                            + " less "
                            + discount.toPlainString()
                            + "%)",
                    AttemptKind.TAKE);
        }
        Address receiver = preflight.receiver();
        if (!reader.canReceive(terms.collateralToken(), receiver, b)) {
            return PreflightResult.skip(
                    c,
                    b,
                    SkipReason.RECEIVER_NOT_ALLOWED,
                    preflight.receiverProblem(terms.collateralToken(), b)
                            + "; a take sends the lot to the receiver, which must be a verified, unfrozen holder"
                            + " (TakerNotAllowed)",
                    AttemptKind.TAKE);
        }
        Address liquidator = preflight.liquidator();
        BigInteger funds =
                reader.balanceOf(terms.loanToken(), liquidator, b)
                        .min(reader.allowance(terms.loanToken(), liquidator, reader.pool(), b))
                        .subtract(committed);
        BigInteger lot = reader.position(c.marketId(), c.borrower(), b).collateral();
        // The most collateral the funds pay for at today's price; the price only falls before the
        // take is mined, so the payment stays within the funds.
        BigInteger affordable =
                funds.signum() <= 0
                        ? BigInteger.ZERO
                        : FixedPoint.mulDivDown(funds, FixedPoint.PRICE_SCALE, price);
        if (affordable.signum() == 0) {
            return PreflightResult.skip(
                    c,
                    b,
                    SkipReason.INSUFFICIENT_BALANCE,
                    "liquidator "
                            + liquidator
                            + " has "
                            + funds.max(BigInteger.ZERO)
                            + " of loan token "
                            + terms.loanToken()
                            + " free (balance and allowance to the pool, less what is promised in flight):"
                            + " not one base unit of the lot at "
                            + price,
                    AttemptKind.TAKE);
        }
        BigInteger requested = affordable.compareTo(lot) >= 0 ? Uint256.MAX : affordable;
        return plan(
                c,
                head,
                terms,
                AttemptKind.TAKE,
                auction,
                AuctionViews.take(auctionId, requested, limit, receiver),
                requested,
                appraisal);
    }

    /**
     * appraisal × (1 − discount / 100), rounded down: the most the keeper pays per collateral unit
     * (PRICE_SCALE).
     */
    static BigInteger takeLimit(BigInteger appraisal, BigDecimal discountPercent) {
        BigDecimal keep = HUNDRED.subtract(discountPercent);
        return new BigDecimal(appraisal)
                .multiply(keep)
                .divide(HUNDRED, 0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    private PreflightResult plan(
            LiquidationCandidate c,
            LiquidatorRpc.Head head,
            MarketTerms terms,
            AttemptKind kind,
            Address to,
            ViewCall<?> call) {
        return plan(c, head, terms, kind, to, call, BigInteger.ZERO, null);
    }

    private PreflightResult plan(
            LiquidationCandidate c,
            LiquidatorRpc.Head head,
            MarketTerms terms,
            AttemptKind kind,
            Address to,
            ViewCall<?> call,
            BigInteger requested,
            PoolReader.Appraisal appraisal) {
        long b = head.number();
        String calldata = call.data();
        LiquidatorRpc.CallResult simulation =
                reader.simulate(preflight.liquidator(), to, calldata, b);
        if (simulation.reverted()) {
            RevertDecoder.Decoded revert = RevertDecoder.decode(simulation.revertData());
            return PreflightResult.skip(
                    c,
                    b,
                    revert.skipReason(),
                    name(kind) + " simulated at block " + b + " reverts with " + revert,
                    kind);
        }
        BigInteger paid = BigInteger.ZERO;
        BigInteger bought = BigInteger.ZERO;
        BigInteger reward = BigInteger.ZERO;
        // What the call returns: a take's purchase, a restart's keeper reward (a start returns
        // the auction's id; its reward is known from its event once mined).
        Object answer = PoolReader.decode(call, simulation.returnData());
        if (answer instanceof AuctionViews.TakeResult take) {
            paid = take.paid();
            bought = take.bought();
        } else if (kind == AttemptKind.RESTART_AUCTION) {
            reward = (BigInteger) answer;
        }
        Preflight.Gas gas = preflight.gas(c, head, to, calldata);
        if (gas.skip().isPresent()) {
            PreflightResult refused = gas.skip().get();
            return PreflightResult.skip(c, b, refused.skipReason().get(), refused.message(), kind);
        }
        BigInteger price = appraisal == null ? BigInteger.ZERO : appraisal.price();
        BigInteger boughtValue =
                appraisal == null ? BigInteger.ZERO : Risk.collateralValue(bought, price);
        BigInteger profit = boughtValue.subtract(paid).add(reward).subtract(gas.cost());
        if (kind == AttemptKind.TAKE && profit.compareTo(config.minProfit()) <= 0) {
            return PreflightResult.skip(
                    c,
                    b,
                    SkipReason.NOT_PROFITABLE,
                    "the take would buy "
                            + bought
                            + " worth "
                            + boughtValue
                            + " for "
                            + paid
                            + " plus gas "
                            + gas.cost()
                            + ": profit "
                            + profit
                            + " is not above min-profit "
                            + config.minProfit(),
                    kind);
        }
        return PreflightResult.pass(
                new LiquidationPlan(
                        c,
                        b,
                        preflight.liquidator(),
                        preflight.receiver(),
                        terms.loanToken(),
                        terms.collateralToken(),
                        requested,
                        paid,
                        bought,
                        BigInteger.ZERO,
                        price,
                        boughtValue,
                        paid,
                        gas.estimate(),
                        gas.fees(),
                        gas.cost(),
                        profit,
                        calldata,
                        kind,
                        to));
    }

    private static String name(AttemptKind kind) {
        return switch (kind) {
            case FLAG -> "flag";
            case START_AUCTION -> "the auction's start";
            case RESTART_AUCTION -> "the auction's restart";
            case TAKE -> "the auction's take";
            case LIQUIDATE -> "liquidate";
            case AAVE_LIQUIDATION -> "Aave's liquidationCall";
        };
    }
}
