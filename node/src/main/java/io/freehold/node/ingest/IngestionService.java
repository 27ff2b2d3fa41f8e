package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.chain.RpcException;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.DeepReorg;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.config.SnapshotConfiguration;
import io.freehold.node.store.SnapshotFile;
import io.freehold.node.store.StateStore;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Follower} on its own thread for the life of the node.
 *
 * <p>At start-up (before the HTTP server opens) it checks what can only be checked against the
 * chain: the configuration resolves to contract addresses, an endpoint answers, and it is on {@code
 * freehold.node.chain-id}. Any of those failing stops the start with a message that names the
 * setting to fix. Later, a transient RPC failure is logged and retried after the poll interval (the
 * RPC layer has already retried and failed over). A reorg deeper than the window is recovered from
 * by itself ({@code freehold.node.deep-reorg=recover}, the default: phase {@link Phase#RECOVERING},
 * health NOT_SERVING, until the node is back at the head) or stops following for good ({@code
 * stop}); events that do not add up always stop it. When following stops, the status says why and
 * {@link FatalStop} decides what happens to the process.
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class IngestionService {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionService.class);

    /** How the follower thread is doing. */
    public enum Phase {
        /** Loading the store; no step yet. */
        STARTING,
        /** Applying old blocks: the state is right but behind the head. */
        CATCHING_UP,
        /** At the head, following each new block. */
        FOLLOWING,
        /**
         * After a reorg deeper than the window: the store was rolled back past blocks taken for
         * final, or cleared for a resync; the node reapplies the chain and serves nothing as
         * current until it is back at the head.
         */
        RECOVERING,
        /** The last step failed (no endpoint answered, a database error); retrying with backoff. */
        RETRYING,
        /**
         * Stopped for good: events that do not add up, or a reorg deeper than the window with
         * {@code freehold.node.deep-reorg=stop}.
         */
        FAILED,
        /** Shut down, or never started ({@code freehold.node.follow=false}). */
        STOPPED
    }

    private final NodeConfiguration config;
    private final ChainRpc rpc;
    private final Follower follower;
    private final FatalStop fatalStop;
    private final Thread thread;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;
    // Set by a deep-reorg recovery, cleared by the first step after it that finds the node at the
    // head.
    private volatile boolean recovering;

    /** Without a state snapshot file: every start reads the whole store (tools and tests). */
    public IngestionService(
            NodeConfiguration config,
            RpcConfiguration rpcConfig,
            ChainRpc rpc,
            StateStore store,
            FatalStop fatalStop) {
        this(
                config,
                rpcConfig,
                rpc,
                store,
                fatalStop,
                new SnapshotConfiguration(false, null, null),
                "");
    }

    @Inject
    public IngestionService(
            NodeConfiguration config,
            RpcConfiguration rpcConfig,
            ChainRpc rpc,
            StateStore store,
            FatalStop fatalStop,
            SnapshotConfiguration snapshot,
            @Value("${datasources.default.url:}") String datasourceUrl) {
        this.config = config;
        this.rpc = rpc;
        this.fatalStop = fatalStop;
        ContractAddresses contracts = ContractAddresses.resolve(config);
        requireChain(rpcConfig);
        int journalBlocks = config.journalBlocks();
        this.follower =
                new Follower(
                        rpc,
                        store,
                        contracts,
                        config,
                        rpcConfig.maxLogRangeBlocks(),
                        snapshot.fileFor(datasourceUrl).map(SnapshotFile::new).orElse(null),
                        snapshot.intervalBlocks(journalBlocks));
        follower.state()
                .checkpoint()
                .ifPresentOrElse(
                        cp ->
                                LOG.info(
                                        "resuming after block {} ({}) from the store",
                                        cp.number(),
                                        cp.hash().hex()),
                        () ->
                                LOG.info(
                                        "empty store: reading from block {}",
                                        contracts.startBlock()));
        LOG.info(
                "following pool {}, oracle {}, registry {} and {} property token(s) on chain {}",
                contracts.lendingPool(),
                contracts.oracle(),
                contracts.identityRegistry(),
                contracts.propertyTokens().size(),
                config.chainId());
        this.thread = new Thread(this::run, "freehold-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** The follower, for the parts of the node that read its state. */
    public Follower follower() {
        return follower;
    }

    public Phase phase() {
        return phase.get();
    }

    /** Why the last step failed, or why following stopped; empty when all is well. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    private void requireChain(RpcConfiguration rpcConfig) {
        try {
            rpc.requireChainId(config.chainId());
        } catch (RpcException e) {
            throw new IllegalStateException(
                    "cannot reach any JSON-RPC endpoint ("
                            + String.join(
                                    ", ",
                                    rpcConfig.endpoints().stream()
                                            .map(io.freehold.node.chain.RpcEndpoint::redact)
                                            .toList())
                            + "): "
                            + e.getMessage()
                            + ". Check freehold.node.rpc.endpoints and that the node (or anvil) is up",
                    e);
        }
    }

    private void run() {
        Duration wait = config.pollInterval();
        while (running) {
            try {
                Follower.StepResult result = follower.step();
                lastError.set(null);
                wait = config.pollInterval();
                if (recovering && result == Follower.StepResult.AT_HEAD) {
                    recovering = false;
                    LOG.info(
                            "recovered from the deep reorg: back at the head, block {}",
                            follower.appliedBlock());
                }
                phase.set(
                        recovering
                                ? Phase.RECOVERING
                                : follower.caughtUp() ? Phase.FOLLOWING : Phase.CATCHING_UP);
                if (result == Follower.StepResult.AT_HEAD) {
                    sleep(wait);
                }
            } catch (ReorgTooDeepException e) {
                if (config.deepReorg() == DeepReorg.STOP) {
                    fail(e);
                    return;
                }
                try {
                    recover(e);
                } catch (RuntimeException failed) {
                    if (!running) {
                        return;
                    }
                    lastError.set(failed.toString());
                    LOG.error(
                            "recovering from the deep reorg failed, trying again in {}",
                            wait,
                            failed);
                    sleep(wait);
                }
            } catch (RpcException e) {
                lastError.set(e.getMessage());
                phase.set(Phase.RETRYING);
                LOG.warn("reading the chain failed, trying again in {}: {}", wait, e.getMessage());
                sleep(wait);
                wait =
                        wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                                ? Duration.ofSeconds(30)
                                : wait.multipliedBy(2);
            } catch (StateDivergedException | MalformedLogException e) {
                fail(e);
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                lastError.set(e.toString());
                phase.set(Phase.RETRYING);
                LOG.error("following failed, trying again in {}", wait, e);
                sleep(wait);
            } catch (Error e) {
                // Out of memory, a class that cannot be loaded, a broken listener: the thread would
                // end here and the node go on serving the last state as if it were current. Stop
                // instead, so that a supervisor restarts the process.
                fail(new IllegalStateException("the follower thread failed: " + e, e));
                return;
            }
        }
    }

    /**
     * The phase goes RECOVERING first (health: NOT_SERVING on both surfaces, see
     * api.health.Serving), then the store is rolled back or cleared; a failure here (the database
     * or the endpoints away) is retried by the next step, which meets the same reorg again.
     */
    private void recover(ReorgTooDeepException e) {
        recovering = true;
        phase.set(Phase.RECOVERING);
        LOG.warn(
                "recovering from a reorg deeper than the window (freehold.node.deep-reorg=recover): {}",
                e.getMessage());
        follower.recoverFromDeepReorg();
    }

    private void fail(RuntimeException e) {
        lastError.set(e.getMessage());
        phase.set(Phase.FAILED);
        LOG.error("following stopped: {}", e.getMessage());
        fatalStop.stop(e);
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
        follower.close();
        if (phase.get() != Phase.FAILED) {
            phase.set(Phase.STOPPED);
        }
    }
}
