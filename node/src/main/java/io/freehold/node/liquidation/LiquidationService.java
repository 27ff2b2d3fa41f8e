package io.freehold.node.liquidation;

import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.ingest.ContractAddresses;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.ingest.NodeConfiguration;
import io.freehold.types.Address;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the liquidator for the life of the node, on its own thread, every {@code poll-interval}: track the
 * liquidations in flight, then consider the candidates that arrived — pushed with {@link #offer}, or asked
 * of every {@link CandidateSource} bean.
 *
 * <p>In {@code EXECUTE} mode it loads the key at start (a missing or unusable key stops the node with a
 * message naming the setting) and drives a {@link LiquidationExecutor}. In {@code WATCH} mode, the default,
 * it runs preflight only and logs what it would send or why not, at most once per position per cooldown;
 * nothing is signed, and nothing is recorded. Watch mode uses the key's address if a key is configured,
 * else the configured receiver; with neither it can only log the candidates.
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class LiquidationService {

    private static final Logger LOG = LoggerFactory.getLogger(LiquidationService.class);

    private final LiquidatorConfiguration config;
    private final BeanProvider<CandidateSource> sources;
    private final LiquidatorRpc rpc;
    private final LiquidationExecutor executor;
    private final Preflight watchPreflight;
    private final Map<String, LiquidationCandidate> offered = new ConcurrentHashMap<>();
    private final Map<String, Instant> watchedUntil = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    // IngestionService first: the chain id and the contract addresses are checked there, with its messages.
    public LiquidationService(LiquidatorConfiguration config, NodeConfiguration node, RpcConfiguration rpcConfig,
            IngestionService ingestion, AttemptStore store, LiquidationMetrics metrics,
            BeanProvider<CandidateSource> sources) {
        this(config, node, rpcConfig, store, metrics, sources, System::getenv);
    }

    LiquidationService(LiquidatorConfiguration config, NodeConfiguration node, RpcConfiguration rpcConfig,
            AttemptStore store, LiquidationMetrics metrics, BeanProvider<CandidateSource> sources,
            Function<String, String> environment) {
        this.config = config;
        this.sources = sources;
        Address pool = ContractAddresses.resolve(node).lendingPool();
        this.rpc = LiquidatorRpc.of(rpcConfig);
        try {
            if (config.mode() == LiquidatorConfiguration.Mode.EXECUTE) {
                LiquidatorKey key = LiquidatorKey.load(config, environment);
                this.executor = new LiquidationExecutor(config, key, pool, node.chainId(), rpc, store, metrics,
                        Clock.systemUTC());
                this.watchPreflight = null;
                LOG.info("liquidator in EXECUTE mode with {}", key);
            } else {
                this.executor = null;
                Optional<Address> account = LiquidatorKey.find(config, environment).map(LiquidatorKey::address)
                        .or(() -> Optional.ofNullable(config.receiver()).map(Address::of));
                this.watchPreflight = account.map(a -> new Preflight(config, rpc, new PoolReader(rpc, pool),
                        new FeeEstimator(config, rpc), a,
                        config.receiver() != null ? Address.of(config.receiver()) : a)).orElse(null);
                LOG.info("liquidator in WATCH mode: candidates are checked and logged, nothing is sent{}",
                        account.map(a -> " (as " + a + ")").orElse(" (no key or receiver configured: candidates"
                                + " are only listed)"));
            }
        } catch (RuntimeException e) {
            rpc.close();
            throw e;
        }
        this.thread = new Thread(this::run, "freehold-liquidator");
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands candidates in; they are considered on the next tick (the latest for a position wins). */
    public void offer(List<LiquidationCandidate> candidates) {
        for (LiquidationCandidate c : candidates) {
            offered.put(c.position(), c);
        }
    }

    public LiquidatorConfiguration.Mode mode() {
        return config.mode();
    }

    /** The executor, in EXECUTE mode. */
    public Optional<LiquidationExecutor> executor() {
        return Optional.ofNullable(executor);
    }

    private void run() {
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("liquidator tick failed, trying again in {}: {}", config.pollInterval(), e.toString());
            }
            try {
                Thread.sleep(config.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void tick() {
        List<LiquidationCandidate> batch = new ArrayList<>();
        for (String position : List.copyOf(offered.keySet())) {
            LiquidationCandidate c = offered.remove(position);
            if (c != null) {
                batch.add(c);
            }
        }
        sources.stream().forEach(source -> {
            try {
                batch.addAll(source.candidates());
            } catch (RuntimeException e) {
                LOG.warn("candidate source {} failed: {}", source.getClass().getSimpleName(), e.toString());
            }
        });
        if (executor != null) {
            executor.track();
            if (!batch.isEmpty()) {
                executor.consider(batch);
            }
        } else {
            watch(batch);
        }
    }

    private void watch(List<LiquidationCandidate> batch) {
        Instant now = Instant.now();
        for (LiquidationCandidate c : batch) {
            Instant until = watchedUntil.get(c.position());
            if (until != null && now.isBefore(until)) {
                continue;
            }
            watchedUntil.put(c.position(), now.plus(config.cooldown()));
            if (watchPreflight == null) {
                LOG.info("watch-only: candidate {} (unhealthy since block {}, detected at {})", c.position(),
                        c.unhealthySinceBlock(), c.detectedAtBlock());
                continue;
            }
            PreflightResult result = watchPreflight.check(c);
            if (result.passed()) {
                LOG.info("watch-only: would liquidate {}: {}", c.position(), result.plan().get());
            } else {
                LOG.info("watch-only: would skip {}: {} {}", c.position(), result.skipReason().get(), result.message());
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
        rpc.close();
    }
}
