package io.freehold.node.liquidation.decide;

import io.freehold.contracts.bindings.PoolViews;
import io.freehold.contracts.bindings.ViewCall;
import io.freehold.contracts.math.FixedPoint;
import io.freehold.contracts.math.LiquidationRevert;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.contracts.math.Revert;
import io.freehold.contracts.math.Risk;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.LiquidatorRpcException;
import io.freehold.node.liquidation.transact.FeeEstimator;
import io.freehold.node.liquidation.transact.Fees;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a candidate is worth a transaction, from the chain as it is now: every read is an
 * {@code eth_call} pinned to the latest block, so a candidate found in data that a reorg has since
 * retracted, or a position someone else has just liquidated, is refused here rather than sent.
 *
 * <p>The checks, in order, each refusal with a {@link SkipReason} and a message that says what to
 * fix:
 *
 * <ol>
 *   <li>the market exists; the property token is not paused; the receiver is verified in the
 *       token's identity registry and not frozen; the appraisal is fresh — the pool's own checks,
 *       asked of the views so the reason is exact;
 *   <li>the pool's math ({@link LiquidationSizer}) says the position is liquidatable and how much;
 *   <li>the liquidator holds and has approved enough loan token;
 *   <li>{@code liquidate} simulated with {@code eth_call} from the liquidator succeeds (its revert,
 *       if any, decoded by {@link RevertDecoder});
 *   <li>fees under the cap, gas within the limit and paid for, and the profit — seized collateral
 *       at the appraisal, minus the repayment, minus the gas — above {@code min-profit}.
 * </ol>
 */
public final class Preflight {

    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    private static final BigInteger WEI_PER_COIN = BigInteger.TEN.pow(18);

    /** How far back a skip looks for who else liquidated the position. */
    static final long RIVAL_SEARCH_BLOCKS = 2_000;

    private final LiquidatorConfiguration config;
    private final LiquidatorRpc rpc;
    private final PoolReader reader;
    private final Address liquidator;
    private final Address receiver;
    private final KeeperPreflight keeper;
    private final GasCheck gasCheck;

    /**
     * What the gas checks found: a skip, or the first fees, the estimate and its cost in loan-token
     * base units.
     */
    record Gas(Optional<PreflightResult> skip, Fees fees, long estimate, BigInteger cost) {}

    public Preflight(
            LiquidatorConfiguration config,
            LiquidatorRpc rpc,
            PoolReader reader,
            FeeEstimator feeEstimator,
            Address liquidator,
            Address receiver) {
        this.config = config;
        this.rpc = rpc;
        this.reader = reader;
        this.liquidator = liquidator;
        this.receiver = receiver;
        this.keeper = new KeeperPreflight(config, reader, this);
        this.gasCheck = new GasCheck(config, rpc, feeEstimator, liquidator);
    }

    Address liquidator() {
        return liquidator;
    }

    public Address receiver() {
        return receiver;
    }

    /**
     * Checks {@code candidate} at the latest block, with nothing promised to other liquidations.
     */
    public PreflightResult check(LiquidationCandidate candidate) {
        return check(candidate, rpc.head(), BigInteger.ZERO);
    }

    /**
     * Checks {@code candidate} against the chain at {@code head}.
     *
     * @param committed loan token the liquidator's liquidations in flight will still pull: not
     *     available here
     * @throws LiquidatorRpcException if the chain could not be asked (nothing is decided then)
     */
    public PreflightResult check(
            LiquidationCandidate c, LiquidatorRpc.Head head, BigInteger committed) {
        long b = head.number();
        MarketTerms terms;
        try {
            terms = reader.terms(c.marketId(), b);
        } catch (PoolReader.ViewReverted e) {
            return skip(
                    c,
                    b,
                    SkipReason.MARKET_NOT_FOUND,
                    "pool "
                            + reader.pool()
                            + " has no market "
                            + c.marketId()
                            + " ("
                            + e.revert
                            + ")");
        }
        LiquidationTerms liquidationTerms = reader.liquidationTerms(c.marketId(), b);
        if (liquidationTerms.isAuction() || liquidationTerms.hasCureWindow()) {
            // Flag, start, restart or take; a fixed-incentive market past its window goes on below.
            Optional<PreflightResult> kept =
                    keeper.check(c, head, committed, terms, liquidationTerms);
            if (kept.isPresent()) {
                return kept.get();
            }
        }
        Address token = terms.collateralToken();
        Address loanToken = terms.loanToken();
        Address oracle = terms.oracle();

        if (reader.paused(token, b)) {
            return skip(
                    c,
                    b,
                    SkipReason.COLLATERAL_PAUSED,
                    "property token "
                            + token
                            + " is paused, so its"
                            + " collateral cannot move and the pool refuses to liquidate (CollateralPaused)");
        }
        if (!reader.canReceive(token, receiver, b)) {
            return skip(
                    c,
                    b,
                    SkipReason.RECEIVER_NOT_ALLOWED,
                    receiverProblem(token, b)
                            + "; seized property may only go to verified, unfrozen holders (ReceiverNotAllowed)");
        }
        PoolReader.Appraisal appraisal = reader.appraisal(oracle, token, b);
        if (appraisal.stale()) {
            return skip(
                    c,
                    b,
                    SkipReason.STALE_PRICE,
                    "the appraisal of "
                            + token
                            + " (price "
                            + appraisal.price()
                            + ") dates from "
                            + appraisal.updatedAt()
                            + ", more than its max age of "
                            + appraisal.maxAge()
                            + " s before block "
                            + b
                            + " at "
                            + head.timestamp()
                            + "; the pool refuses stale prices (StalePrice)");
        }

        MarketState market = reader.market(c.marketId(), b);
        PositionState position = reader.position(c.marketId(), c.borrower(), b);
        if (position.borrowShares().signum() == 0) {
            return skip(
                    c,
                    b,
                    SkipReason.POSITION_HEALTHY,
                    "borrower "
                            + c.borrower()
                            + " has no debt left"
                            + othersSince(c, b).orElse(" (repaid, or liquidated by someone else)"));
        }
        LiquidationSizer.Sizing sizing =
                LiquidationSizer.size(terms, market, position, appraisal.price(), head.timestamp());
        if (sizing.preview().reverts()) {
            Revert<LiquidationRevert> revert = sizing.preview().revert().get();
            if (revert.reason() == LiquidationRevert.POSITION_HEALTHY) {
                return skip(
                        c,
                        b,
                        SkipReason.POSITION_HEALTHY,
                        "health factor "
                                + wad(revert.arguments().get(0))
                                + " is not below 1 at price "
                                + appraisal.price()
                                + " (PositionHealthy)"
                                + othersSince(c, b).orElse(""));
            }
            return skip(c, b, SkipReason.WOULD_REVERT, "the pool would refuse: " + revert);
        }

        BigInteger required = sizing.requiredFunds();
        String promised =
                committed.signum() == 0
                        ? ""
                        : ", besides " + committed + " promised to liquidations in flight";
        BigInteger balance = reader.balanceOf(loanToken, liquidator, b);
        if (balance.subtract(committed).compareTo(required) < 0) {
            return skip(
                    c,
                    b,
                    SkipReason.INSUFFICIENT_BALANCE,
                    "liquidator "
                            + liquidator
                            + " holds "
                            + balance
                            + " of loan token "
                            + loanToken
                            + ", needs "
                            + required
                            + " (the repayment plus an hour of interest)"
                            + promised);
        }
        BigInteger allowance = reader.allowance(loanToken, liquidator, reader.pool(), b);
        if (allowance.subtract(committed).compareTo(required) < 0) {
            return skip(
                    c,
                    b,
                    SkipReason.INSUFFICIENT_ALLOWANCE,
                    "liquidator "
                            + liquidator
                            + " has approved pool "
                            + reader.pool()
                            + " for "
                            + allowance
                            + " of loan token "
                            + loanToken
                            + ", needs "
                            + required
                            + promised);
        }

        ViewCall<PoolViews.LiquidationResult> liquidate =
                PoolViews.liquidate(c.marketId(), c.borrower(), sizing.requestedRepay(), receiver);
        String calldata = liquidate.data();
        LiquidatorRpc.CallResult simulation = reader.simulate(liquidator, calldata, b);
        if (simulation.reverted()) {
            RevertDecoder.Decoded revert = RevertDecoder.decode(simulation.revertData());
            return skip(
                    c,
                    b,
                    revert.skipReason(),
                    "liquidate simulated at block " + b + " reverts with " + revert);
        }
        PoolViews.LiquidationResult result = PoolReader.decode(liquidate, simulation.returnData());
        BigInteger repaid = result.repaidAssets();
        BigInteger seized = result.seizedCollateral();
        if (!repaid.equals(sizing.preview().repaidAssets())
                || !seized.equals(sizing.preview().seizedCollateral())) {
            // Same block, same state: they must agree. The chain decides, but the node's math is
            // off.
            LOG.warn(
                    "preview and simulation disagree on {} at block {}: repay {} vs {}, seize {} vs {}",
                    c.position(),
                    b,
                    sizing.preview().repaidAssets(),
                    repaid,
                    sizing.preview().seizedCollateral(),
                    seized);
        }

        Gas checked = gas(c, head, reader.pool(), calldata);
        if (checked.skip().isPresent()) {
            return checked.skip().get();
        }
        Fees fees = checked.fees();
        long gas = checked.estimate();
        BigInteger gasCost = checked.cost();
        BigInteger seizedValue = Risk.collateralValue(seized, appraisal.price());
        BigInteger profit = seizedValue.subtract(repaid).subtract(gasCost);
        if (profit.compareTo(config.minProfit()) <= 0) {
            return skip(
                    c,
                    b,
                    SkipReason.NOT_PROFITABLE,
                    "expected profit "
                            + profit
                            + " (seized collateral worth "
                            + seizedValue
                            + " minus repayment "
                            + repaid
                            + " minus gas "
                            + gasCost
                            + ") is not above min-profit "
                            + config.minProfit());
        }
        return PreflightResult.pass(
                new LiquidationPlan(
                        c,
                        b,
                        liquidator,
                        receiver,
                        loanToken,
                        token,
                        sizing.requestedRepay(),
                        repaid,
                        seized,
                        result.badDebtAssets(),
                        appraisal.price(),
                        seizedValue,
                        required,
                        gas,
                        fees,
                        gasCost,
                        profit,
                        calldata));
    }

    /**
     * ": liquidated by 0x… in tx 0x…" when others liquidated the position since it became unhealthy
     * (within the last {@link #RIVAL_SEARCH_BLOCKS} blocks: the answer explains a skip, it is not
     * worth a wide scan).
     */
    private Optional<String> othersSince(LiquidationCandidate c, long b) {
        try {
            long from = Math.max(c.unhealthySinceBlock(), b - RIVAL_SEARCH_BLOCKS);
            return LiquidateEvents.byOthers(
                            LiquidateEvents.of(
                                    rpc, reader.pool(), c.marketId(), c.borrower(), from, b),
                            liquidator)
                    .map(o -> ": " + o);
        } catch (LiquidatorRpcException e) {
            return Optional.empty();
        }
    }

    /**
     * Fees under the cap, the gas estimate of {@code calldata} sent to {@code to} within the gas
     * limit, the liquidator's native balance enough for the worst case; the cost priced in
     * loan-token base units.
     */
    Gas gas(LiquidationCandidate c, LiquidatorRpc.Head head, Address to, String calldata) {
        long b = head.number();
        GasCheck.Outcome checked = gasCheck.check(head, to, calldata, Preflight::readRevert);
        if (checked.refusal().isPresent()) {
            GasCheck.Refusal refusal = checked.refusal().get();
            return new Gas(
                    Optional.of(skip(c, b, refusal.reason(), refusal.message())),
                    checked.fees(),
                    checked.estimate(),
                    BigInteger.ZERO);
        }
        BigInteger cost =
                FixedPoint.mulDivUp(checked.expectedWei(), config.nativePrice(), WEI_PER_COIN);
        return new Gas(Optional.empty(), checked.fees(), checked.estimate(), cost);
    }

    /** A reverting estimate of a call to the pool or the auction: its custom error, decoded. */
    private static GasCheck.Refusal readRevert(long block, LiquidatorRpc.CallResult estimate) {
        RevertDecoder.Decoded revert = RevertDecoder.decode(estimate.revertData());
        return new GasCheck.Refusal(
                revert.skipReason(),
                "gas estimate after block " + block + " reverts with " + revert);
    }

    String receiverProblem(Address token, long b) {
        Address registry = reader.identityRegistry(token, b);
        boolean verified = reader.verified(registry, receiver, b);
        boolean frozen = reader.frozen(token, receiver, b);
        StringBuilder text = new StringBuilder("receiver ").append(receiver);
        if (!verified) {
            text.append(" is not verified in identity registry ").append(registry);
        }
        if (frozen) {
            text.append(verified ? "" : " and")
                    .append(" is frozen in property token ")
                    .append(token);
        }
        if (verified && !frozen) {
            text.append(" cannot receive property token ").append(token);
        }
        return text.toString();
    }

    private static PreflightResult skip(
            LiquidationCandidate c, long block, SkipReason reason, String message) {
        return PreflightResult.skip(c, block, reason, message);
    }

    /** A WAD ratio with four decimals; the maximum (no debt) as "max". */
    static String wad(BigInteger value) {
        if (value.equals(Uint256.MAX)) {
            return "max (no debt)";
        }
        return new BigDecimal(value)
                .movePointLeft(18)
                .setScale(4, RoundingMode.DOWN)
                .toPlainString();
    }
}
