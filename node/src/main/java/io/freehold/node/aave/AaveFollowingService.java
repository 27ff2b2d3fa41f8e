package io.freehold.node.aave;

import io.freehold.contracts.math.aave.UnsupportedAaveFeatureException;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.config.SnapshotConfiguration;
import io.freehold.node.ingest.FatalStop;
import io.freehold.node.ingest.FollowLoop;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code freehold.node.protocol=aave-v3}: checks the market at start (before the servers open;
 * a refusal stops the start with {@link AaveMarketRefusedException}'s message) and runs the {@link
 * AaveFollower} on its own thread for the life of the node. A transient RPC failure is retried
 * after the poll interval, doubling to 30 s; a feature the book refuses met on the way ({@link
 * UnsupportedAaveFeatureException}) or logs that do not add up stop following for good ({@link
 * FatalStop}): figures the book cannot compute exactly are not served.
 *
 * <p>The follower stores its book at a final block in an {@link AaveBookFile} ({@code <H2
 * file>.aave-book}, or {@code freehold.node.aave.book-file}) every {@code
 * freehold.node.snapshot.interval-blocks} and once more at a clean stop (after the follower thread
 * ended), and takes it up at the next start when its block is still on the chain.
 */
@Context
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveFollowingService {

    private static final Logger LOG = LoggerFactory.getLogger(AaveFollowingService.class);

    /** How the follower thread is doing. */
    public enum Phase {
        CATCHING_UP,
        FOLLOWING,
        RETRYING,
        FAILED,
        STOPPED
    }

    private final AaveFollower follower;
    private final FollowLoop loop;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.CATCHING_UP);
    private final java.util.List<AaveStepListener> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public AaveFollowingService(
            NodeConfiguration config,
            AaveConfiguration aave,
            RpcConfiguration rpcConfig,
            ChainRpc rpc,
            FatalStop fatalStop,
            SnapshotConfiguration snapshot,
            @Value("${datasources.default.url:}") String datasourceUrl,
            @Value("${freehold.node.aave.book-file:}") String bookFile) {
        FollowLoop.requireChain(rpc, rpcConfig, config.chainId());
        AaveMarketContracts market = new AaveMarketCheck(rpc).check(aave);
        // The book at a final block, stored next to the store (or at aave.book-file) every
        // snapshot.interval-blocks and at a clean stop, so a restart resumes from it.
        AaveFollower.Store store =
                snapshot.fileFor(datasourceUrl, bookFile, ".aave-book")
                        .map(
                                path ->
                                        new AaveFollower.Store(
                                                new AaveBookFile(path),
                                                config.chainId(),
                                                config.confirmations(),
                                                snapshot.intervalBlocks(config.journalBlocks())))
                        .orElse(null);
        if (store == null) {
            LOG.info(
                    "the Aave book is not stored (snapshots disabled, or no H2 file store and no"
                            + " freehold.node.aave.book-file): every start reads from block {}",
                    market.startBlock());
        }
        this.follower =
                new AaveFollower(
                        rpc, market, config.journalBlocks(), rpcConfig.maxLogRangeBlocks(), store);
        this.loop =
                new FollowLoop(
                        "Aave market",
                        "freehold-aave-follower",
                        new Steps(),
                        config.pollInterval(),
                        fatalStop,
                        LOG);
        loop.start();
    }

    /**
     * {@code listener} hears of every step that changed the applied book, on the follower thread.
     */
    public void addListener(AaveStepListener listener) {
        listeners.add(listener);
    }

    public AaveFollower follower() {
        return follower;
    }

    public Phase phase() {
        return phase.get();
    }

    public Optional<String> lastError() {
        return loop.lastError();
    }

    /** The Aave follower in the {@link FollowLoop}: its listeners, phases and fatal failures. */
    private final class Steps implements FollowLoop.Steps {

        @Override
        public boolean step() {
            long before = follower.appliedBlock();
            AaveFollower.StepResult result = follower.step();
            if (result != AaveFollower.StepResult.AT_HEAD
                    && result != AaveFollower.StepResult.CHAIN_MOVED) {
                AppliedAaveBook applied = follower.applied().orElse(null);
                for (AaveStepListener listener : listeners) {
                    try {
                        listener.applied(result, before, applied);
                    } catch (RuntimeException e) {
                        LOG.error("a listener of the Aave follower failed", e);
                    }
                }
            }
            boolean atHead = result == AaveFollower.StepResult.AT_HEAD;
            phase.set(atHead ? Phase.FOLLOWING : Phase.CATCHING_UP);
            return atHead;
        }

        @Override
        public boolean fatal(RuntimeException e) {
            // The book met a feature it refuses, or a balance went below zero (a missed or doubled
            // log): the figures would be wrong from here on.
            return e instanceof UnsupportedAaveFeatureException
                    || e instanceof IllegalStateException
                    || e instanceof IllegalArgumentException;
        }

        @Override
        public void retrying() {
            phase.set(Phase.RETRYING);
        }

        @Override
        public void failed() {
            phase.set(Phase.FAILED);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        boolean ended = loop.stop();
        if (phase.get() != Phase.FAILED) {
            phase.set(Phase.STOPPED);
            if (ended) {
                follower.storeNow(); // the newest final book, so a restart starts from it
            }
        }
    }
}
