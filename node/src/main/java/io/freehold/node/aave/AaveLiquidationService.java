package io.freehold.node.aave;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.liquidation.LeaseConfiguration;
import io.freehold.node.liquidation.LiquidationMetrics;
import io.freehold.node.liquidation.LiquidatorConfiguration;
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
 * <p>Not for Aave pools yet: the replicas' lease ({@code liquidator.lease.enabled} stops the
 * start).
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
    private final LiquidationExecutor executor;
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
            this.executor = null;
            this.protocol = null;
            this.thread = null;
            LOG.info(
                    "liquidator in WATCH mode on Aave pool {}: opportunities are reported, nothing"
                            + " is sent",
                    market.pool());
            return;
        }
        if (lease.enabled()) {
            throw new IllegalArgumentException(
                    "freehold.node.liquidator.lease.enabled is not supported with"
                            + " freehold.node.protocol=aave-v3 yet: run one executing node");
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
        AaveLiquidationProtocol[] built = new AaveLiquidationProtocol[1];
        try {
            this.executor =
                    new LiquidationExecutor(
                            config,
                            key,
                            market.pool(),
                            node.chainId(),
                            rpc,
                            store,
                            metrics,
                            Clock.systemUTC(),
                            node.confirmations(),
                            (reader, fees) ->
                                    built[0] =
                                            protocol(
                                                    config,
                                                    rpc,
                                                    fees,
                                                    market,
                                                    liquidator,
                                                    nativePrice,
                                                    aave.minProfitInBase()));
        } catch (RuntimeException e) {
            rpc.close();
            throw e;
        }
        this.protocol = built[0];
        LOG.info(
                "liquidator in EXECUTE mode on Aave pool {} with {}: liquidationCall of every"
                        + " account below health factor 1, gas priced at {} base units per coin",
                market.pool(),
                key,
                nativePrice);
        this.thread = new Thread(this::run, "freehold-aave-liquidator");
        thread.setDaemon(true);
        thread.start();
    }

    private AaveLiquidationProtocol protocol(
            LiquidatorConfiguration config,
            LiquidatorRpc rpc,
            FeeEstimator fees,
            AaveMarketContracts market,
            Address liquidator,
            BigInteger nativePrice,
            BigInteger minProfit) {
        return new AaveLiquidationProtocol(
                config,
                rpc,
                fees,
                () -> following.follower().applied(),
                market,
                liquidator,
                nativePrice,
                minProfit);
    }

    /** True in EXECUTE mode: the node sends liquidations. */
    public boolean executing() {
        return executor != null;
    }

    /**
     * What the node will do about {@code account} now: empty when it will act (an attempt in
     * flight, or its preflight passes), else why not (cooling down after a refusal, or the
     * preflight's refusal). Only in EXECUTE mode.
     */
    Optional<String> wontAct(Address account, long block) {
        LiquidationCandidate c = new LiquidationCandidate(marketId, account, block, block);
        Optional<LiquidationExecutor.Decision> held = executor.held(c);
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
        rpc.close();
    }
}
