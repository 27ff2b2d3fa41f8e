package io.freehold.node.liquidation;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.CandidateSource;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.PoolReader;
import io.freehold.node.liquidation.decide.Preflight;
import io.freehold.node.liquidation.decide.PreflightResult;
import io.freehold.node.liquidation.transact.FeeEstimator;
import io.freehold.node.liquidation.transact.LiquidationExecutor;
import io.freehold.node.liquidation.transact.LiquidatorKey;
import io.freehold.node.liquidation.transact.LiquidatorLease;
import io.freehold.types.Address;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
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
 * Runs the liquidator for the life of the node, on its own thread, every {@code poll-interval}:
 * track the liquidations in flight, then consider the candidates that arrived — pushed with {@link
 * #offer}, or asked of every {@link CandidateSource} bean.
 *
 * <p>In {@code EXECUTE} mode it loads the key at start (a missing or unusable key stops the node
 * with a message naming the setting) and drives a {@link LiquidationExecutor}. In {@code WATCH}
 * mode, the default, it runs preflight only and logs what it would send or why not, at most once
 * per position per cooldown; nothing is signed, and nothing is recorded. Watch mode uses the key's
 * address if a key is configured, else the configured receiver; with neither it can only log the
 * candidates. Among replicas ({@code liquidator.lease.enabled}) a {@link LiquidatorLeadership}
 * decides which one executes.
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class LiquidationService {

    private static final Logger LOG = LoggerFactory.getLogger(LiquidationService.class);

    private final LiquidatorConfiguration config;
    private final BeanProvider<CandidateSource> sources;
    private final LiquidatorRpc rpc;
    private final LiquidatorLeadership leadership;
    private final Preflight watchPreflight;
    private final Map<String, LiquidationCandidate> offered = new ConcurrentHashMap<>();
    private final Map<String, Instant> watchedUntil = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    // IngestionService first: the chain id and the contract addresses are checked there, with its
    // messages.
    // The follower's ChainRpc: one endpoint layer, so its rate limit, breakers and lag checks cover
    // both.
    @Inject
    public LiquidationService(
            LiquidatorConfiguration config,
            LeaseConfiguration leaseConfig,
            NodeConfiguration node,
            ChainRpc chain,
            IngestionService ingestion,
            AttemptStore store,
            LiquidationMetrics metrics,
            BeanProvider<CandidateSource> sources) {
        this(
                config,
                node,
                chain,
                store,
                metrics,
                sources,
                System::getenv,
                LiquidatorLeadership.lease(leaseConfig, store));
    }

    LiquidationService(
            LiquidatorConfiguration config,
            NodeConfiguration node,
            ChainRpc chain,
            AttemptStore store,
            LiquidationMetrics metrics,
            BeanProvider<CandidateSource> sources,
            Function<String, String> environment,
            LiquidatorLease lease) {
        this.config = config;
        this.sources = sources;
        Address pool = ContractAddresses.resolve(node).lendingPool();
        this.rpc = new LiquidatorRpc(chain);
        try {
            if (config.mode() == LiquidatorConfiguration.Mode.EXECUTE) {
                LiquidatorKey key = LiquidatorKey.load(config, environment);
                // An attempt is final with its block: the follower's confirmations are the node's
                // one notion
                // of finality, so attempts and the stored liquidation history agree after any
                // reorg.
                this.leadership =
                        new LiquidatorLeadership(
                                lease,
                                store,
                                s ->
                                        new LiquidationExecutor(
                                                config,
                                                key,
                                                pool,
                                                node.chainId(),
                                                rpc,
                                                s,
                                                metrics,
                                                Clock.systemUTC(),
                                                node.confirmations()),
                                metrics);
                this.watchPreflight = null;
                LOG.info("liquidator in EXECUTE mode with {}{}", key, leadership.describe());
            } else {
                this.leadership = null;
                Optional<Address> account =
                        LiquidatorKey.find(config, environment)
                                .map(LiquidatorKey::address)
                                .or(() -> Optional.ofNullable(config.receiver()).map(Address::of));
                this.watchPreflight =
                        account.map(
                                        a ->
                                                new Preflight(
                                                        config,
                                                        rpc,
                                                        new PoolReader(rpc, pool),
                                                        new FeeEstimator(config, rpc),
                                                        a,
                                                        config.receiver() != null
                                                                ? Address.of(config.receiver())
                                                                : a))
                                .orElse(null);
                LOG.info(
                        "liquidator in WATCH mode: candidates are checked and logged, nothing is sent{}",
                        account.map(a -> " (as " + a + ")")
                                .orElse(
                                        " (no key or receiver configured: candidates"
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

    /** This node's part among the replicas. */
    public LiquidatorLeadership.Role role() {
        return leadership == null ? LiquidatorLeadership.Role.SINGLE : leadership.role();
    }

    /** The lease epoch this node executes under (LEADER), or 0. */
    public long epoch() {
        return leadership == null ? 0 : leadership.epoch();
    }

    /**
     * Hands candidates in; they are considered on the next tick (the latest for a position wins).
     */
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
        return leadership == null ? Optional.empty() : leadership.executor();
    }

    private void run() {
        PollLoop.run("liquidator", config.pollInterval(), () -> running, this::tick, LOG);
    }

    private void tick() {
        List<LiquidationCandidate> batch = new ArrayList<>();
        for (String position : List.copyOf(offered.keySet())) {
            LiquidationCandidate c = offered.remove(position);
            if (c != null) {
                batch.add(c);
            }
        }
        sources.stream()
                .forEach(
                        source -> {
                            try {
                                batch.addAll(source.candidates());
                            } catch (RuntimeException e) {
                                LOG.warn(
                                        "candidate source {} failed: {}",
                                        source.getClass().getSimpleName(),
                                        e.toString());
                            }
                        });
        if (leadership == null) {
            watch(batch);
            return;
        }
        leadership
                .poll()
                .ifPresent(
                        current -> {
                            current.track();
                            if (!batch.isEmpty()) {
                                current.consider(batch);
                            }
                        });
        // A standby drops the batch: the leader's own sources hand it the same candidates.
    }

    private void watch(List<LiquidationCandidate> batch) {
        Instant now = Instant.now();
        for (LiquidationCandidate c : batch) {
            Instant until = watchedUntil.get(c.position());
            if (until != null && now.isBefore(until)) {
                continue;
            }
            try {
                if (watchPreflight == null) {
                    LOG.info(
                            "watch-only: candidate {} (unhealthy since block {}, detected at {})",
                            c.position(),
                            c.unhealthySinceBlock(),
                            c.detectedAtBlock());
                    continue;
                }
                PreflightResult result = watchPreflight.check(c);
                if (result.passed()) {
                    LOG.info(
                            "watch-only: would send {} for {}: {}",
                            result.kind(),
                            c.position(),
                            result.plan().get());
                } else {
                    LOG.info(
                            "watch-only: would skip {}: {} {}",
                            c.position(),
                            result.skipReason().get(),
                            result.message());
                }
            } finally {
                // Marked once checked and logged (or failed), so whoever sees the mark on another
                // thread knows the check is over; quiet for the cooldown either way.
                watchedUntil.put(c.position(), now.plus(config.cooldown()));
            }
        }
    }

    /**
     * Whether WATCH mode has checked and logged a candidate for {@code position} (market/borrower,
     * as {@link LiquidationCandidate#position()}): what a test waits for instead of a time.
     */
    boolean watched(String position) {
        return watchedUntil.containsKey(position);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
        if (leadership != null) {
            leadership.release();
        }
        rpc.close();
    }
}
