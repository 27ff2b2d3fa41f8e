package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveLiquidationPreview;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.api.StreamConfiguration;
import io.freehold.node.api.StreamFeed;
import io.freehold.node.api.StreamPosition;
import io.freehold.node.api.Watches;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.LiquidatorRpc.CallResult;
import io.freehold.proto.v1.AaveLiquidationCall;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.Position;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code WatchOpportunities} on an Aave pool: each subscriber gets the accounts with debt whose
 * health factor is below its threshold (default 1, the pool's liquidation line; at most 2) — first
 * a snapshot at the applied block and {@code snapshot_end}, then after each follower step an {@code
 * opportunity} for every account that is below and new or changed, a {@code gone} for every account
 * no longer below, and after a reorg a {@code retracted} (the block the book went back to) followed
 * by the accounts below there.
 *
 * <p>Which accounts are valued after a step is {@link AaveUnhealthyAccounts}'s decision (an {@code
 * AaveHealthIndex} per threshold: the accounts in the answer and those whose certificate may have
 * lapsed, not every account with debt), once for every subscriber: the accounts below the highest
 * threshold a stream accepts go into a {@link StreamFeed} (the journal, cursors, resume,
 * heartbeats, bounded queues and SLOW_CONSUMER of Freehold's streams), whose subscribers each keep
 * those below their own threshold and get a {@code gone} when one leaves it. Each opportunity is
 * sized ({@link AaveLiquidationPreview#largest}: the largest debt against the largest collateral,
 * at the applied block's time) and, with {@code freehold.node.aave.liquidator}, its {@code
 * liquidationCall} simulated from that address at the applied block ({@code node_skip_reason} says
 * whether it passes or how it reverts). In EXECUTE mode ({@link AaveLiquidationService}) {@code
 * node_will_act} is true when the node liquidates the account (an attempt in flight, or its
 * preflight passes), else false with the skip reason. An opportunity is sized and decided when its
 * event is first sent, on the book of that step (a resumed client that nobody watched live gets it
 * sized on the book of its resume).
 */
@Singleton
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveOpportunities implements AaveStepListener {

    /** {@code HEALTH_FACTOR_LIQUIDATION_THRESHOLD}: the pool liquidates below one (WAD). */
    static final BigInteger LIQUIDATION_THRESHOLD = BigInteger.TEN.pow(18);

    static final String SKIP_REASON =
            "the node liquidates on Aave pools only in EXECUTE mode (freehold.node.liquidator.mode)";

    static final String NOT_LIQUIDATABLE = "health factor at or above 1: the pool would refuse";

    private final AaveFollowingService following;
    private final AaveReads reads;
    private final LiquidatorRpc calls;
    private final Address liquidator;
    private final AaveLiquidationService liquidations;
    private final AaveUnhealthyAccounts unhealthy;
    private final StreamFeed feed;
    // The book of the feed's last step and the accounts it had below the highest threshold: what
    // the next step is compared with, what a new subscriber's snapshot is of, and the book an
    // opportunity is sized on. Set under the feed's lock, with the step's events.
    private volatile AppliedAaveBook current;
    private volatile Map<Address, AccountData> last = Map.of();

    public AaveOpportunities(
            AaveFollowingService following,
            AaveReads reads,
            ChainRpc rpc,
            AaveConfiguration config,
            AaveLiquidationService liquidations,
            StreamConfiguration streams,
            AaveUnhealthyAccounts unhealthy) {
        this.following = following;
        this.unhealthy = unhealthy;
        this.liquidations = liquidations;
        this.reads = reads;
        this.calls = new LiquidatorRpc(rpc);
        this.liquidator =
                config.liquidatorAddress().map(a -> address(a, "liquidator")).orElse(null);
        this.feed = new StreamFeed(streams, "aave-opportunities");
        following.addListener(this);
        // Steps before the listener was added are in this book (a step after it is heard).
        current = following.follower().applied().orElse(null);
        if (current != null) {
            last = unhealthy.below(current, Watches.MAX_OPPORTUNITY_THRESHOLD);
            feed.started(AavePositionFeed.cursor(current));
        }
    }

    StreamFeed feed() {
        return feed;
    }

    private static Address address(String value, String key) {
        try {
            return Address.fromHex(value.trim());
        } catch (IllegalArgumentException e) {
            throw new AaveMarketRefusedException(
                    "freehold.node.aave." + key + " is not an address: " + e.getMessage());
        }
    }

    /**
     * {@code liquidationCall} of {@code p} from the configured liquidator, simulated at the applied
     * block: what {@code node_skip_reason} says.
     */
    private String preflight(AppliedAaveBook applied, Address user, AaveLiquidationPreview p) {
        if (liquidator == null) {
            return SKIP_REASON;
        }
        String data = AaveLiquidationProtocol.liquidationCall(user, p);
        try {
            // A permissioned collateral's rule first, as the EXECUTE preflight asks it: its
            // refusal names who may not hold the token, where the simulation only reverts.
            Optional<CollateralTransferRule.Refusal> refused =
                    new CollateralTransferRule(calls, liquidator)
                            .refusal(
                                    p.collateralAsset(),
                                    applied.book().reserveOf(p.collateralAsset()).aToken(),
                                    liquidator,
                                    applied.block().number());
            if (refused.isPresent()) {
                return SKIP_REASON + "; " + refused.get().reason() + ": " + refused.get().message();
            }
            CallResult result =
                    calls.call(
                            liquidator,
                            following.follower().market().pool(),
                            data,
                            applied.block().number());
            return SKIP_REASON
                    + (result.reverted()
                            ? "; liquidationCall from "
                                    + liquidator
                                    + " reverts at block "
                                    + applied.block().number()
                                    + ": "
                                    + result.message()
                            : "; liquidationCall from "
                                    + liquidator
                                    + " passes eth_call at block "
                                    + applied.block().number());
        } catch (RuntimeException e) {
            return SKIP_REASON + "; the preflight could not be run: " + e.getMessage();
        }
    }

    /**
     * {@code node_will_act} and {@code node_skip_reason} of a sized opportunity: in EXECUTE mode
     * the node's own decision (an attempt in flight, or the preflight its liquidator runs), else
     * the simulation from {@code aave.liquidator}.
     */
    private LiquidationOpportunity.Builder decide(
            LiquidationOpportunity.Builder o,
            AppliedAaveBook applied,
            Address account,
            AaveLiquidationPreview p) {
        if (!liquidations.executing()) {
            return o.setNodeSkipReason(preflight(applied, account, p));
        }
        try {
            return liquidations
                    .wontAct(account, applied.block().number())
                    .map(why -> o.setNodeWillAct(false).setNodeSkipReason(why))
                    .orElseGet(() -> o.setNodeWillAct(true).setNodeSkipReason(""));
        } catch (RuntimeException e) {
            return o.setNodeWillAct(false)
                    .setNodeSkipReason("the preflight could not be run: " + e.getMessage());
        }
    }

    /**
     * After each step, on the follower's thread: the accounts below the highest threshold a stream
     * accepts, valued once for every subscriber, and published as changes of the last step's.
     */
    @Override
    public void applied(AaveFollower.StepResult result, long before, AppliedAaveBook applied) {
        if (applied == null) {
            // A resync: the book reads the market again from the start block. Everything sent is
            // withdrawn; the accounts come again as the book is rebuilt.
            Cursor start = AavePositionFeed.beforeStart(following);
            feed.retract(
                    start,
                    Math.max(0, before - start.getBlockNumber()),
                    (step, touched) -> {
                        current = null;
                        last = Map.of();
                    });
            return;
        }
        Map<Address, AccountData> now = unhealthy.below(applied, Watches.MAX_OPPORTUNITY_THRESHOLD);
        if (result == AaveFollower.StepResult.APPLIED) {
            feed.publish(
                    AavePositionFeed.cursor(applied), step -> changes(step, applied, now, false));
        } else {
            // Everything sent for blocks after the book's block is withdrawn: sent again.
            feed.retract(
                    AavePositionFeed.cursor(applied),
                    Math.max(0, before - applied.block().number()),
                    (step, touched) -> changes(step, applied, now, true));
        }
    }

    /**
     * Journals an update of every account below now that is new or whose figures changed (every one
     * after a retraction), and of every account that was below and is no longer (each subscriber
     * holding it sends {@code gone}).
     */
    private void changes(
            StreamFeed.Step step,
            AppliedAaveBook applied,
            Map<Address, AccountData> now,
            boolean all) {
        current = applied;
        Map<Address, AccountData> was = last;
        MarketId market = AaveReads.marketId(following.follower().market().pool());
        for (Map.Entry<Address, AccountData> e : now.entrySet()) {
            if (all || !e.getValue().equals(was.get(e.getKey()))) {
                update(step, applied, market, e.getKey(), e.getValue());
            }
        }
        for (Address account : was.keySet()) {
            if (!now.containsKey(account)) {
                if (applied.book().positions(account).isEmpty()) {
                    // Unknown to the book after a reorg: no figures, and a match for no filter.
                    step.update(
                            Position.newBuilder()
                                    .setMarketId(market.hex())
                                    .setAccount(account.hex())
                                    .build(),
                            new StreamFeed.Key(market, account),
                            BigInteger.ZERO,
                            BigInteger.ZERO);
                } else {
                    update(step, applied, market, account, applied.accountData(account));
                }
            }
        }
        last = now;
    }

    private void update(
            StreamFeed.Step step,
            AppliedAaveBook applied,
            MarketId market,
            Address account,
            AccountData data) {
        step.update(
                reads.position(applied, account, data),
                new StreamFeed.Key(market, account),
                data.totalDebtBase(),
                data.healthFactor());
    }

    /** The accounts below the highest threshold at the feed's last step, for a new subscriber. */
    StreamFeed.Snapshot snapshot() {
        AppliedAaveBook applied = current;
        if (applied == null) {
            return new StreamFeed.Snapshot(null, List.of());
        }
        MarketId market = AaveReads.marketId(following.follower().market().pool());
        List<StreamPosition> positions = new ArrayList<>();
        last.forEach(
                (account, data) ->
                        positions.add(
                                new StreamPosition(
                                        market,
                                        account,
                                        data.totalDebtBase(),
                                        data.healthFactor(),
                                        true,
                                        () -> reads.position(applied, account, data))));
        return new StreamFeed.Snapshot(AavePositionFeed.cursor(applied), positions);
    }

    /**
     * What a liquidation of {@code position} would move, sized on the book of the feed's last step
     * (the event's own when it is sent live): the view {@link OpportunityEvents} turns the stream's
     * position events with.
     */
    Optional<LiquidationOpportunity> opportunity(Position position) {
        AppliedAaveBook applied = current;
        if (applied == null || !position.hasAave()) {
            return Optional.empty();
        }
        Address account = Address.of(position.getAccount());
        BigInteger health = new BigInteger(position.getAave().getHealthFactor());
        LiquidationOpportunity.Builder o =
                LiquidationOpportunity.newBuilder()
                        .setPosition(position)
                        .setLiquidatable(health.compareTo(LIQUIDATION_THRESHOLD) < 0)
                        .setNodeWillAct(false)
                        .setNodeSkipReason(
                                liquidations.executing() ? NOT_LIQUIDATABLE : SKIP_REASON);
        // Sized at the applied block's time: a transaction mined later repays a little more
        // interest.
        AaveLiquidationPreview.largest(applied.book(), account, applied.block().timestamp())
                .ifPresent(
                        p ->
                                decide(o, applied, account, p)
                                        .setMaxRepay(p.debtToCover().toString())
                                        .setSeizedCollateral(p.collateralToLiquidator().toString())
                                        .setExpectedIncentive(p.incentive().toString())
                                        .setAave(
                                                AaveLiquidationCall.newBuilder()
                                                        .setCollateralAsset(
                                                                p.collateralAsset().hex())
                                                        .setDebtAsset(p.debtAsset().hex())
                                                        .setCloseFactorBps(p.closeFactorBps())
                                                        .setProtocolFee(
                                                                p.protocolFee().toString())));
        return Optional.of(o.build());
    }
}
