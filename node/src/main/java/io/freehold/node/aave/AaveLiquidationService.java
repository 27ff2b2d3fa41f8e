package io.freehold.node.aave;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.liquidation.LeaseConfiguration;
import io.freehold.node.liquidation.LiquidationMetrics;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorLeadership;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.PollLoop;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.PreflightResult;
import io.freehold.node.liquidation.transact.FeeEstimator;
import io.freehold.node.liquidation.transact.LiquidationExecutor;
import io.freehold.node.liquidation.transact.LiquidatorKey;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The liquidator of a node following an Aave v3 pool. In {@code EXECUTE} mode ({@code
 * freehold.node.liquidator.mode}) it drives the node's one {@link LiquidationExecutor} with an
 * {@link AaveLiquidationProtocol}: every {@code liquidator.poll-interval} it tracks the attempts in
 * flight, then — when the follower's applied block is the chain's head, so the book it plans on is
 * the chain as it is — offers every account with debt whose health factor is below 1 ({@link
 * AaveUnhealthyAccounts}: found without valuing every account). The executor's record makes it
 * exactly once: a position with an attempt in flight (sent, or mined in a block not final yet) is
 * not planned again, across restarts.
 *
 * <p>{@code WATCH} mode (the default) sends nothing and runs no thread: the opportunities stream
 * reports what the node would do.
 *
 * <p>Replicas ({@code liquidator.lease.enabled}, the liquidator's record on one PostgreSQL): the
 * lease and fenced record of Freehold's liquidator ({@link LiquidatorLeadership}). Only the lease
 * holder drives an executor; a standby follows the pool and serves the API, and its opportunities
 * say it sends nothing; a new holder takes up the attempts its predecessor left in flight.
 */
@Context
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveLiquidationService {

    private static final Logger LOG = LoggerFactory.getLogger(AaveLiquidationService.class);

    private final LiquidatorConfiguration config;
    private final AaveFollowingService following;
    private final LiquidatorRpc rpc;
    private final MarketId marketId;
    private final LiquidatorLeadership leadership;
    private final AaveLiquidationProtocol protocol;
    private final AaveUnhealthyAccounts unhealthy;
    private final Map<Address, Long> unhealthySince = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public AaveLiquidationService(
            LiquidatorConfiguration config,
            LeaseConfiguration lease,
            NodeConfiguration node,
            AaveConfiguration aave,
            ChainRpc chain,
            AaveFollowingService following,
            AttemptStore store,
            LiquidationMetrics metrics,
            AaveUnhealthyAccounts unhealthy) {
        this(
                config,
                lease,
                node,
                aave,
                chain,
                following,
                store,
                metrics,
                unhealthy,
                System::getenv);
    }

    AaveLiquidationService(
            LiquidatorConfiguration config,
            LeaseConfiguration lease,
            NodeConfiguration node,
            AaveConfiguration aave,
            ChainRpc chain,
            AaveFollowingService following,
            AttemptStore store,
            LiquidationMetrics metrics,
            AaveUnhealthyAccounts unhealthy,
            Function<String, String> environment) {
        this.config = config;
        this.unhealthy = unhealthy;
        this.following = following;
        this.rpc = new LiquidatorRpc(chain);
        AaveMarketContracts market = following.follower().market();
        this.marketId = AaveReads.marketId(market.pool());
        if (config.mode() != LiquidatorConfiguration.Mode.EXECUTE) {
            this.leadership = null;
            this.protocol = null;
            this.thread = null;
            LOG.info(
                    "liquidator in WATCH mode on Aave pool {}: opportunities are reported, nothing"
                            + " is sent",
                    market.pool());
            return;
        }
        BigInteger nativePrice =
                aave.nativePriceInBase()
                        .filter(p -> p.signum() > 0)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "freehold.node.aave.native-price is required in"
                                                        + " EXECUTE mode: the native coin's price in"
                                                        + " the pool's base currency units, to"
                                                        + " count gas against the incentive"));
        LiquidatorKey key = LiquidatorKey.load(config, environment);
        Address liquidator = key.address();
        aave.liquidatorAddress()
                .map(a -> Address.fromHex(a.trim()))
                .filter(a -> !a.equals(liquidator))
                .ifPresent(
                        a -> {
                            throw new IllegalArgumentException(
                                    "freehold.node.aave.liquidator "
                                            + a
                                            + " is not the liquidator key's address "
                                            + liquidator
                                            + "; in EXECUTE mode the key's address liquidates");
                        });
        // One protocol for every executor this replica drives (a new one per lease epoch): it
        // holds no state of its own, only what it reads at the applied block.
        this.protocol =
                new AaveLiquidationProtocol(
                        config,
                        rpc,
                        new FeeEstimator(config, rpc),
                        () -> following.follower().applied(),
                        market,
                        liquidator,
                        nativePrice,
                        aave.minProfitInBase());
        try {
            this.leadership =
                    new LiquidatorLeadership(
                            LiquidatorLeadership.lease(lease, store),
                            store,
                            s ->
                                    new LiquidationExecutor(
                                            config,
                                            key,
                                            market.pool(),
                                            node.chainId(),
                                            rpc,
                                            s,
                                            metrics,
                                            Clock.systemUTC(),
                                            node.confirmations(),
                                            (reader, fees) -> protocol),
                            metrics);
        } catch (RuntimeException e) {
            rpc.close();
            throw e;
        }
        LOG.info(
                "liquidator in EXECUTE mode on Aave pool {} with {}: liquidationCall of every"
                        + " account below health factor 1, gas priced at {} base units per coin{}",
                market.pool(),
                key,
                nativePrice,
                leadership.describe());
        this.thread = new Thread(this::run, "freehold-aave-liquidator");
        thread.setDaemon(true);
        thread.start();
    }

    /** True in EXECUTE mode: the node sends liquidations. */
    public boolean executing() {
        return leadership != null;
    }

    /** This node's part among the replicas (SINGLE without a lease or in WATCH mode). */
    public LiquidatorLeadership.Role role() {
        return leadership == null ? LiquidatorLeadership.Role.SINGLE : leadership.role();
    }

    /** The lease epoch this node executes under (LEADER), or 0. */
    public long epoch() {
        return leadership == null ? 0 : leadership.epoch();
    }

    /**
     * What the node will do about {@code account} now: empty when it will act (an attempt in
     * flight, or its preflight passes), else why not (cooling down after a refusal, or the
     * preflight's refusal; on a standby replica, that another replica is the liquidator). Only in
     * EXECUTE mode.
     */
    Optional<String> wontAct(Address account, long block) {
        Optional<LiquidationExecutor> executor = leadership.executor();
        if (executor.isEmpty()) {
            return Optional.of(
                    "STANDBY: replica "
                            + leadership.holder().orElse("")
                            + " does not hold the liquidator lease and sends nothing; the replica"
                            + " that holds it decides");
        }
        LiquidationCandidate c = new LiquidationCandidate(marketId, account, block, block);
        Optional<LiquidationExecutor.Decision> held = executor.get().held(c);
        if (held.isPresent()) {
            return held.get().kind() == LiquidationExecutor.Decision.Kind.IN_FLIGHT
                    ? Optional.empty()
                    : Optional.of(held.get().kind() + ": " + held.get().detail());
        }
        PreflightResult result = protocol.check(c, rpc.head(), BigInteger.ZERO);
        return result.passed()
                ? Optional.empty()
                : Optional.of(result.skipReason().get() + ": " + result.message());
    }

    private void run() {
        PollLoop.run("Aave liquidator", config.pollInterval(), () -> running, this::tick, LOG);
    }

    private void tick() {
        Optional<LiquidationExecutor> leading = leadership.poll();
        if (leading.isEmpty()) {
            return; // a standby: the lease holder tracks and sends
        }
        LiquidationExecutor executor = leading.get();
        executor.track();
        Optional<AppliedAaveBook> applied = following.follower().applied();
        if (applied.isEmpty()) {
            return;
        }
        long block = applied.get().block().number();
        // Plan only on the chain as it is: a book behind the head may still show an account the
        // node (or anyone) has liquidated since, and its simulation at that block would pass.
        if (rpc.head().number() != block) {
            return;
        }
        List<LiquidationCandidate> batch = new ArrayList<>();
        Map<Address, ?> below =
                unhealthy.below(applied.get(), AaveOpportunities.LIQUIDATION_THRESHOLD);
        unhealthySince.keySet().retainAll(below.keySet());
        for (Address account : below.keySet()) {
            long since = Math.min(unhealthySince.computeIfAbsent(account, a -> block), block);
            batch.add(new LiquidationCandidate(marketId, account, since, block));
        }
        if (!batch.isEmpty()) {
            executor.consider(batch);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
        if (leadership != null) {
            leadership.release();
        }
        rpc.close();
    }
}
