package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
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
    private final FollowLoop loop;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
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
        ContractAddresses contracts = ContractAddresses.resolve(config);
        FollowLoop.requireChain(rpc, rpcConfig, config.chainId());
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
        this.loop =
                new FollowLoop(
                        "Freehold pool",
                        "freehold-follower",
                        new Steps(),
                        config.pollInterval(),
                        fatalStop,
                        LOG);
        loop.start();
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
        return loop.lastError();
    }

    /** Freehold's follower in the {@link FollowLoop}: its phases and its deep-reorg rule. */
    private final class Steps implements FollowLoop.Steps {

        @Override
        public boolean step() {
            Follower.StepResult result;
            try {
                result = follower.step();
            } catch (ReorgTooDeepException e) {
                if (config.deepReorg() == DeepReorg.STOP) {
                    throw e; // fatal, below
                }
                recover(e); // a failure here is retried by the loop, which meets the reorg again
                return false;
            }
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
            return result == Follower.StepResult.AT_HEAD;
        }

        @Override
        public boolean fatal(RuntimeException e) {
            return e instanceof StateDivergedException
                    || e instanceof MalformedLogException
                    || (e instanceof ReorgTooDeepException && config.deepReorg() == DeepReorg.STOP);
        }

        @Override
        public void retrying() {
            // A recovery that failed half-way is still a recovery: nothing is served as current.
            phase.set(recovering ? Phase.RECOVERING : Phase.RETRYING);
        }

        @Override
        public void failed() {
            phase.set(Phase.FAILED);
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

    @PreDestroy
    void stop() throws InterruptedException {
        loop.stop();
        follower.close();
        if (phase.get() != Phase.FAILED) {
            phase.set(Phase.STOPPED);
        }
    }
}
