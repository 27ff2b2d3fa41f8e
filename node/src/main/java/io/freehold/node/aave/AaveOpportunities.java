package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveLiquidationPreview;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.api.ApiArguments;
import io.freehold.node.api.ApiException;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.LiquidatorRpc.CallResult;
import io.freehold.proto.v1.AaveLiquidationCall;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionRemoved;
import io.freehold.proto.v1.Retraction;
import io.freehold.proto.v1.SnapshotEnd;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * {@code WatchOpportunities} on an Aave pool: each subscriber gets the accounts with debt whose
 * health factor is below its threshold (default 1, the pool's liquidation line) — first a snapshot
 * at the applied block and {@code snapshot_end}, then after each follower step an {@code
 * opportunity} for every account that is below and new or changed, a {@code gone} for every account
 * no longer below, and after a reorg a {@code retracted} (the block the book went back to) followed
 * by the accounts below there.
 *
 * <p>Which accounts are valued after a step is {@link AaveUnhealthyAccounts}'s decision (an {@code
 * AaveHealthIndex} per threshold: only the accounts whose certificate may have lapsed). The stream
 * has no resume (a {@code resume_after} is answered with a new snapshot), no heartbeats and no
 * bounded queue. Each opportunity is sized ({@link AaveLiquidationPreview#largest}: the largest
 * debt against the largest collateral, at the applied block's time) and, with {@code
 * freehold.node.aave.liquidator}, its {@code liquidationCall} simulated from that address at the
 * applied block ({@code node_skip_reason} says whether it passes or how it reverts). In EXECUTE
 * mode ({@link AaveLiquidationService}) {@code node_will_act} is true when the node liquidates the
 * account (an attempt in flight, or its preflight passes), else false with the skip reason.
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
    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();

    public AaveOpportunities(
            AaveFollowingService following,
            AaveReads reads,
            ChainRpc rpc,
            AaveConfiguration config,
            AaveLiquidationService liquidations,
            AaveUnhealthyAccounts unhealthy) {
        this.following = following;
        this.unhealthy = unhealthy;
        this.liquidations = liquidations;
        this.reads = reads;
        this.calls = new LiquidatorRpc(rpc);
        this.liquidator =
                config.liquidatorAddress().map(a -> address(a, "liquidator")).orElse(null);
        following.addListener(this);
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

    /** Opens a subscription: the snapshot now, the changes from the next step on. */
    public void watch(WatchOpportunitiesRequest request, StreamObserver<OpportunityEvent> out) {
        MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
        MarketId ours = AaveReads.marketId(following.follower().market().pool());
        if (market != null && !market.equals(ours)) {
            throw ApiException.unknownMarket(market);
        }
        BigInteger below =
                ApiArguments.optionalRatio("health_factor_below", request.getHealthFactorBelow());
        Subscription s = new Subscription(out, below == null ? LIQUIDATION_THRESHOLD : below);
        if (out instanceof ServerCallStreamObserver<OpportunityEvent> server) {
            server.setOnCancelHandler(() -> subscriptions.remove(s));
        }
        synchronized (s) {
            subscriptions.add(s);
            following
                    .follower()
                    .applied()
                    .ifPresent(a -> s.snapshot(a, unhealthy.below(a, s.threshold)));
            if (!s.sentSnapshot) {
                s.waitingForFirstBlock = true;
            }
        }
    }

    @Override
    public void applied(AaveFollower.StepResult result, long before, AppliedAaveBook applied) {
        Map<BigInteger, Map<Address, AccountData>> byThreshold = new HashMap<>();
        for (Subscription s : subscriptions) {
            synchronized (s) {
                try {
                    if (applied == null) {
                        s.retract(null, before);
                        continue;
                    }
                    Map<Address, AccountData> now =
                            byThreshold.computeIfAbsent(
                                    s.threshold, t -> unhealthy.below(applied, t));
                    if (s.waitingForFirstBlock) {
                        s.snapshot(applied, now);
                        s.waitingForFirstBlock = false;
                        continue;
                    }
                    if (result != AaveFollower.StepResult.APPLIED) {
                        s.retract(applied, before);
                    }
                    s.changes(applied, now);
                } catch (RuntimeException e) {
                    subscriptions.remove(s); // the client is gone
                }
            }
        }
    }

    /** One client's stream and what it was last sent. */
    private final class Subscription {
        private final StreamObserver<OpportunityEvent> out;
        private final BigInteger threshold;
        private final Map<Address, AccountData> sent = new HashMap<>();
        private long sequence;
        boolean sentSnapshot;
        boolean waitingForFirstBlock;

        Subscription(StreamObserver<OpportunityEvent> out, BigInteger threshold) {
            this.out = out;
            this.threshold = threshold;
        }

        void snapshot(AppliedAaveBook applied, Map<Address, AccountData> now) {
            now.forEach(
                    (account, data) ->
                            out.onNext(
                                    OpportunityEvent.newBuilder()
                                            .setCursor(cursor(applied))
                                            .setSnapshot(opportunity(applied, account, data))
                                            .build()));
            out.onNext(
                    OpportunityEvent.newBuilder()
                            .setCursor(cursor(applied))
                            .setSnapshotEnd(SnapshotEnd.newBuilder().setPositions(now.size()))
                            .build());
            sent.clear();
            sent.putAll(now);
            sentSnapshot = true;
        }

        /** Everything sent for blocks after the book's block is withdrawn: sent again below. */
        void retract(AppliedAaveBook applied, long before) {
            Cursor.Builder ancestor = Cursor.newBuilder();
            long to = -1;
            if (applied != null) {
                ancestor.setBlockNumber(applied.block().number())
                        .setBlockHash(applied.block().hash().hex());
                to = applied.block().number();
            }
            out.onNext(
                    OpportunityEvent.newBuilder()
                            .setCursor(ancestor.setSequence(++sequence))
                            .setRetracted(
                                    Retraction.newBuilder()
                                            .setCommonAncestor(ancestor)
                                            .setOrphanedBlocks(Math.max(0, before - to)))
                            .build());
            sent.clear();
        }

        void changes(AppliedAaveBook applied, Map<Address, AccountData> now) {
            for (Map.Entry<Address, AccountData> e : now.entrySet()) {
                if (!e.getValue().equals(sent.get(e.getKey()))) {
                    out.onNext(
                            OpportunityEvent.newBuilder()
                                    .setCursor(cursor(applied))
                                    .setOpportunity(opportunity(applied, e.getKey(), e.getValue()))
                                    .build());
                }
            }
            String market = AaveReads.marketId(following.follower().market().pool()).hex();
            for (Address account : Set.copyOf(sent.keySet())) {
                if (!now.containsKey(account)) {
                    out.onNext(
                            OpportunityEvent.newBuilder()
                                    .setCursor(cursor(applied))
                                    .setGone(
                                            PositionRemoved.newBuilder()
                                                    .setMarketId(market)
                                                    .setAccount(account.hex()))
                                    .build());
                }
            }
            sent.clear();
            sent.putAll(now);
        }

        private LiquidationOpportunity opportunity(
                AppliedAaveBook applied, Address account, AccountData data) {
            LiquidationOpportunity.Builder o =
                    LiquidationOpportunity.newBuilder()
                            .setPosition(reads.position(applied, account, data))
                            .setLiquidatable(
                                    data.healthFactor().compareTo(LIQUIDATION_THRESHOLD) < 0)
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
                                            .setSeizedCollateral(
                                                    p.collateralToLiquidator().toString())
                                            .setExpectedIncentive(p.incentive().toString())
                                            .setAave(
                                                    AaveLiquidationCall.newBuilder()
                                                            .setCollateralAsset(
                                                                    p.collateralAsset().hex())
                                                            .setDebtAsset(p.debtAsset().hex())
                                                            .setCloseFactorBps(p.closeFactorBps())
                                                            .setProtocolFee(
                                                                    p.protocolFee().toString())));
            return o.build();
        }

        private Cursor cursor(AppliedAaveBook applied) {
            return Cursor.newBuilder()
                    .setBlockNumber(applied.block().number())
                    .setBlockHash(applied.block().hash().hex())
                    .setSequence(++sequence)
                    .build();
        }
    }
}
