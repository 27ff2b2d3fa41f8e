package io.freehold.node.ingest;

import io.freehold.node.chain.BlockHashMismatchException;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.store.BlockChanges;
import io.freehold.node.store.ReversibleChange;
import io.freehold.node.store.SnapshotFile;
import io.freehold.node.store.StateSnapshot;
import io.freehold.node.store.StateStore;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Follows the chain one step at a time: checks that the last applied block is still on the chain
 * (rolling back to the common ancestor if not, {@link ReorgResolver}), then reads the next block
 * range ({@link LogReader}, {@link RangeHeaders}), applies it to the in-memory state, commits it to
 * the store in one transaction and tells the listeners ({@link StateListeners}).
 *
 * <p>Blocks more than {@code confirmations} below the head are final: they are read ahead (fetched,
 * decoded, their headers read) on another thread while the current range is applied, and committed
 * without a journal on a third, keeping only the headers of blocks with logs; the ranges applied
 * while a commit runs go together in the next one (group commit), so during catch-up the store lags
 * the memory by at most a commit, and the checkpoint still moves only with its data. Before
 * anything that needs the store at the state's checkpoint (a reversible range, a rollback, the
 * head, close) the follower waits for the commits. Younger blocks are reversible: every header is
 * kept and every change journaled (for {@code journal-blocks}, at least the confirmations), so that
 * a reorg inside that window is undone exactly. A step refuses a reorg below the confirmations
 * ({@link ReorgTooDeepException}); {@link #recoverFromDeepReorg()} then recovers.
 *
 * <p>Not thread-safe: one thread calls {@link #step()}. {@link #state()} and the status getters may
 * be read from any thread.
 */
public final class Follower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

    /**
     * The most row changes a catch-up commit waits to gather while the previous one runs; past this
     * the follower waits for the database. About 100 bytes a row in memory.
     */
    static final int COMMIT_ROWS = 200_000;

    /** How many final ranges are read ahead of the one being applied. */
    static final int READ_AHEAD = 2;

    /** What a step did. */
    public enum StepResult {
        /** Blocks were applied; there may be more. */
        APPLIED,
        /** Nothing new: the node is at the head. */
        AT_HEAD,
        /** The chain reorganised; the store was rolled back to the common ancestor. */
        ROLLED_BACK,
        /** The chain moved during the step (a reorg in progress); nothing was applied. */
        RETRY
    }

    private final ChainRpc rpc;
    private final StateStore store;
    private final ContractAddresses contracts;
    private final EventDecoder decoder;
    private final int confirmations;
    private final int journalBlocks;
    private final int rangeBlocks;
    private final int catchUpBlocks;
    private final SyncProgress progress;
    private final LogReader logReader;
    private final RangeHeaders rangeHeaders;
    private final ReorgResolver reorgResolver;
    private final StateListeners listeners = new StateListeners();
    private final StateSnapshots snapshots; // null: none kept
    private final Set<Address> followedTokens = ConcurrentHashMap.newKeySet();
    private volatile ChainState state;
    private final AtomicLong head = new AtomicLong(-1);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong reorgs = new AtomicLong();
    private final AtomicLong deepReorgs = new AtomicLong();
    private final AtomicLong rolledBackBlocks = new AtomicLong();
    // Held for a whole step; listeners are added between steps.
    private final Object stepLock = new Object();
    // Final ranges applied in memory and not yet handed to the committer, and the commit running.
    private final ExecutorService committer =
            Executors.newSingleThreadExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "freehold-commit");
                        thread.setDaemon(true);
                        return thread;
                    });
    private final List<BlockChanges> pendingCommit = new ArrayList<>();
    private int pendingRows;
    private Future<?> committing;

    /**
     * @param rangeBlocks the most blocks one step reads (catch-up steps read an eighth of it, at
     *     least 16, and their commits gather many steps); the RPC layer splits the {@code
     *     eth_getLogs} further when an endpoint needs it
     */
    public Follower(
            ChainRpc rpc,
            StateStore store,
            ContractAddresses contracts,
            NodeConfiguration config,
            int rangeBlocks) {
        this(rpc, store, contracts, config, rangeBlocks, null, 1);
    }

    /**
     * A follower that starts from {@code snapshotFile} when it can (the store's rows changed since
     * it read by key instead of the whole store) and writes it again every {@code
     * snapshotIntervalBlocks} blocks, once at the head, and at a clean close ({@link
     * StateSnapshots}); null: it reads the whole store at start and writes no snapshot.
     *
     * @param snapshotIntervalBlocks under {@code config.journalBlocks()}, or a snapshot is always
     *     too old to be used
     */
    public Follower(
            ChainRpc rpc,
            StateStore store,
            ContractAddresses contracts,
            NodeConfiguration config,
            int rangeBlocks,
            SnapshotFile snapshotFile,
            int snapshotIntervalBlocks) {
        this.rpc = rpc;
        this.store = store;
        this.contracts = contracts;
        this.decoder = new EventDecoder(contracts);
        this.confirmations = config.confirmations();
        this.journalBlocks = config.journalBlocks();
        this.rangeBlocks = rangeBlocks;
        // Catch-up reads final blocks in ranges of an eighth: one is applied while the next ones
        // are read,
        // and the commits gather them again (queueCommit); a whole range at a time left nothing to
        // overlap
        // when the history is a few ranges long.
        this.catchUpBlocks = Math.min(rangeBlocks, Math.max(16, rangeBlocks / 8));
        this.progress = new SyncProgress(config.progressInterval(), System::nanoTime);
        this.rangeHeaders = new RangeHeaders(rpc);
        this.logReader = new LogReader(rpc, contracts, decoder, rangeHeaders);
        this.reorgResolver = new ReorgResolver(rpc, store, confirmations);
        this.snapshots =
                snapshotFile == null
                        ? null
                        : new StateSnapshots(snapshotFile, snapshotIntervalBlocks);
        if (snapshots == null) {
            reload();
        } else {
            load(() -> snapshots.load(store).orElseGet(store::loadAll));
            snapshots.offer(state); // the store is at the state's checkpoint
        }
    }

    /**
     * The state as of the last applied block. Replaced (not changed) by a rollback: read it again
     * after one.
     */
    public ChainState state() {
        return state;
    }

    /** The head seen by the last step, or -1. */
    public long head() {
        return head.get();
    }

    /** The last applied block, or -1. */
    public long appliedBlock() {
        return state.checkpoint().map(Checkpoint::number).orElse(-1L);
    }

    /**
     * The newest applied block that is final (at least {@code confirmations} deep), or -1 if none
     * is yet.
     */
    public long finalBlock() {
        return Math.max(-1, Math.min(appliedBlock(), head.get() - confirmations));
    }

    /**
     * Whether the changes of {@code block} can no longer be reorged away under the configured
     * depth.
     */
    public boolean isFinal(long block) {
        return block <= finalBlock();
    }

    public boolean caughtUp() {
        return progress.caughtUp();
    }

    public long eventsApplied() {
        return events.get();
    }

    public long blocksApplied() {
        return blocks.get();
    }

    /** Reorgs undone, inside the window or (recovered) deeper. */
    public long reorgs() {
        return reorgs.get();
    }

    /**
     * Reorgs deeper than the confirmations that were recovered from ({@link
     * #recoverFromDeepReorg()}).
     */
    public long deepReorgs() {
        return deepReorgs.get();
    }

    public long rolledBackBlocks() {
        return rolledBackBlocks.get();
    }

    /** Steps until a step finds nothing new; for tools and tests. */
    public void syncToHead() {
        while (step() != StepResult.AT_HEAD) {
            // each step applies a range, rolls back, or retries a range the chain moved under
        }
    }

    /** One step: check for a reorg, then apply up to {@code rangeBlocks} new blocks. */
    public StepResult step() {
        synchronized (stepLock) {
            return stepLocked();
        }
    }

    /**
     * Recovers from a reorg deeper than the confirmations, after a step refused it with {@link
     * ReorgTooDeepException}: rolls the store back to the newest stored block the chain still has,
     * or clears the state when none is left, in one transaction; reloads, and tells the listeners.
     * The following steps apply the new chain from there (from the start block after a clear).
     *
     * @return what was done; empty if nothing is applied or the applied block is on the chain after
     *     all
     */
    public Optional<DeepReorgRecovery> recoverFromDeepReorg() {
        synchronized (stepLock) {
            Optional<Checkpoint> checkpoint = state.checkpoint();
            if (checkpoint.isEmpty()) {
                return Optional.empty();
            }
            Checkpoint cp = checkpoint.get();
            long best = rpc.head();
            head.set(best);
            if (best >= cp.number() && rpc.header(cp.number()).hash().equals(cp.hash())) {
                return Optional.empty();
            }
            logReader.discard();
            drainCommits();
            DeepReorgRecovery recovery;
            try {
                recovery = reorgResolver.recover(cp, best);
            } finally {
                reload(); // whatever happened in the store, memory follows it
                listeners.reset(state);
            }
            long depth = recovery.depth(contracts.startBlock());
            reorgs.incrementAndGet();
            deepReorgs.incrementAndGet();
            rolledBackBlocks.addAndGet(depth);
            if (recovery.resync()) {
                LOG.warn(
                        "deep reorg: block {} ({}) is no longer on the chain and no stored block is; cleared the"
                                + " state and resyncing from block {}",
                        cp.number(),
                        cp.hash().hex(),
                        contracts.startBlock());
            } else {
                Checkpoint to = recovery.rolledBackTo().orElseThrow();
                LOG.warn(
                        "deep reorg: block {} ({}) is no longer on the chain; rolled back {} block(s), past blocks"
                                + " taken for final, to block {} ({}) and will re-apply from there",
                        cp.number(),
                        cp.hash().hex(),
                        depth,
                        to.number(),
                        to.hash().hex());
            }
            return Optional.of(recovery);
        }
    }

    private StepResult stepLocked() {
        long best = rpc.head();
        head.set(best);
        Optional<Checkpoint> checkpoint = state.checkpoint();
        if (checkpoint.isPresent()) {
            Checkpoint cp = checkpoint.get();
            if (best < cp.number() || !rpc.header(cp.number()).hash().equals(cp.hash())) {
                drainCommits();
                rollBack(cp, best);
                return StepResult.ROLLED_BACK;
            }
        }
        long from = checkpoint.map(cp -> cp.number() + 1).orElse(contracts.startBlock());
        if (from > best) {
            drainCommits(); // at the head the store is at the state's checkpoint
            progress.atHead(from - 1);
            offerSnapshot();
            return StepResult.AT_HEAD;
        }
        // Blocks inside the journal's depth are committed with a journal and every header; older
        // ones
        // are final and committed in wide ranges without.
        long lastUnjournaled = best - journalBlocks;
        boolean reversible = from > lastUnjournaled;
        long to =
                reversible
                        ? Math.min(best, from + rangeBlocks - 1)
                        : Math.min(lastUnjournaled, from + catchUpBlocks - 1);
        try {
            applyRange(from, to, reversible, checkpoint);
        } catch (BlockHashMismatchException | ChainMovedException e) {
            LOG.info(
                    "the chain moved while blocks {}..{} were read ({}); reading again",
                    from,
                    to,
                    e.getMessage());
            return StepResult.RETRY;
        }
        return StepResult.APPLIED;
    }

    private void applyRange(
            long from, long to, boolean reversible, Optional<Checkpoint> checkpoint) {
        if (reversible) {
            drainCommits(); // a reversible commit follows the stored checkpoint: the final ranges
            // go first
        }
        // Reversible blocks: the headers before the logs. A reorg between the two reads then leaves
        // logs
        // of the new branch against headers of the old (caught below, or by the next step's hash
        // check),
        // never headers of the new branch without the logs it added (which nothing would ever
        // catch).
        // The end of a catch-up: the first reversible range may have been read ahead, in that
        // order.
        Optional<LogReader.Fetched> ahead =
                reversible
                        ? logReader.readAheadReversible(from, to, followedTokens)
                        : Optional.empty();
        Map<Long, BlockHeader> reversibleHeaders = null;
        if (ahead.isPresent()) {
            reversibleHeaders = ahead.get().headers();
            RangeHeaders.checkParent(reversibleHeaders, from, checkpoint);
        } else if (reversible) {
            reversibleHeaders = rangeHeaders.all(from, to, checkpoint);
        }
        LogReader.Fetched fetched =
                ahead.isPresent()
                        ? ahead.get()
                        : logReader.read(from, to, followedTokens, !reversible);
        // A range read ahead may end before the step's (the head moved since).
        to = fetched.to();
        if (!reversible) {
            logReader.readAhead(
                    to + 1,
                    head.get() - journalBlocks,
                    catchUpBlocks,
                    READ_AHEAD,
                    head.get(),
                    rangeBlocks,
                    followedTokens);
        }
        List<Log> logs = fetched.logs();
        TreeMap<Long, List<ProtocolEvent>> byBlock = fetched.byBlock();
        Set<Address> newTokens = fetched.newTokens();
        Map<Long, BlockHeader> headers = reversible ? reversibleHeaders : fetched.headers();
        if (!newTokens.isEmpty()) {
            // A market on a token the node did not follow: read the token's own history too, so its
            // pause flag, frozen holders and rent are right from the market's first block.
            logs = logReader.mergeNewTokens(logs, newTokens, from, to, byBlock, this::isFollowed);
            if (!reversible) {
                SortedSet<Long> logBlocks = new TreeSet<>();
                logs.forEach(log -> logBlocks.add(LogReader.blockOf(log)));
                headers = rangeHeaders.withLogs(logBlocks, to);
            }
        }
        RangeHeaders.checkLogs(logs, headers);
        List<BlockChanges> changes = new ArrayList<>();
        BlockApplier applier = new BlockApplier(state, contracts.dutchAuction());
        int eventCount = 0;
        try {
            int rows = 0;
            for (BlockHeader header : headers.values()) {
                List<ProtocolEvent> blockEvents = byBlock.getOrDefault(header.number(), List.of());
                eventCount += blockEvents.size();
                BlockChanges block = applier.apply(header, blockEvents, reversible);
                rows += block.changes().size();
                changes.add(block);
            }
            if (reversible) {
                store.commit(changes);
            } else {
                queueCommit(changes, rows);
            }
        } catch (RuntimeException e) {
            reloadAfterFailure();
            throw e;
        }
        followedTokens.addAll(newTokens);
        events.addAndGet(eventCount);
        blocks.addAndGet(to - from + 1);
        if (reversible) {
            store.prune(Math.max(0, to - journalBlocks));
            state.confirmUpTo(Math.max(0, to - confirmations) - 1);
        }
        progress.applied(from, to, eventCount, head.get());
        AppliedRange changed = applier.changed(from);
        listeners.applied(
                new AppliedRange(
                        from,
                        to,
                        changed.toTimestamp(),
                        reversible,
                        changed.markets(),
                        changed.positions(),
                        changed.tokens()),
                state);
        if (reversible) {
            offerSnapshot(); // committed above: the store is at the state's checkpoint
        }
    }

    private void offerSnapshot() {
        if (snapshots != null) {
            snapshots.offer(state);
        }
    }

    // ---- committing final ranges ---------------------------------------------------------------

    /**
     * Hands a final range's blocks to the committer. While a commit is running the ranges applied
     * meanwhile wait and go together in the next one (a group commit: the slower the database, the
     * larger the transactions), up to {@link #COMMIT_ROWS} rows, past which the follower waits for
     * the running commit. Each commit moves the checkpoint to its own last block, in its
     * transaction.
     */
    private void queueCommit(List<BlockChanges> changes, int rows) {
        pendingCommit.addAll(changes);
        pendingRows += rows;
        if (committing != null && !committing.isDone() && pendingRows < COMMIT_ROWS) {
            return;
        }
        awaitCommit();
        List<BlockChanges> batch = List.copyOf(pendingCommit);
        pendingCommit.clear();
        pendingRows = 0;
        committing = committer.submit(() -> store.commit(batch));
    }

    /** Waits for the running commit; rethrows its failure. */
    private void awaitCommit() {
        Future<?> running = committing;
        if (running == null) {
            return;
        }
        try {
            running.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing", e);
        } finally {
            committing = null;
        }
    }

    /**
     * Commits every final range applied in memory, and waits: afterwards the store is at the
     * state's checkpoint. Before anything that reads or rolls back the store, or commits a
     * reversible range. If a commit fails, the state is reloaded from the store (the listeners
     * reset) and the failure thrown.
     */
    private void drainCommits() {
        try {
            awaitCommit();
            if (!pendingCommit.isEmpty()) {
                List<BlockChanges> batch = List.copyOf(pendingCommit);
                pendingCommit.clear();
                pendingRows = 0;
                store.commit(batch);
            }
        } catch (RuntimeException e) {
            reloadAfterFailure();
            throw e;
        }
    }

    /** The memory may hold ranges the store does not: start again from the store. */
    private void reloadAfterFailure() {
        try {
            awaitCommit();
        } catch (RuntimeException ignored) {
            // the failure being handled, or this one: either way the store is what it is
        }
        pendingCommit.clear();
        pendingRows = 0;
        reload();
        listeners.reset(state);
    }

    /**
     * Adds a listener and hands it the current state at once (as a {@link StateListener#reset}).
     * Waits for a step in progress to finish, so the listener never starts from a half-applied
     * range.
     */
    public void addListener(StateListener listener) {
        synchronized (stepLock) {
            listeners.add(listener, state);
        }
    }

    /** Stops reading ahead, and commits what is applied but not yet stored. */
    @Override
    public void close() {
        logReader.close();
        synchronized (stepLock) {
            try {
                drainCommits();
                if (snapshots != null) {
                    snapshots.writeNow(state); // the store is at the state's checkpoint
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "closing: the last applied blocks were not stored ({}); they are read again at the next start",
                        e.getMessage());
            } finally {
                committer.shutdownNow();
                if (snapshots != null) {
                    snapshots.close();
                }
            }
        }
    }

    private void rollBack(Checkpoint cp, long best) {
        BlockHeader ancestor = reorgResolver.rollBack(cp, best);
        long depth = cp.number() - ancestor.number();
        reorgs.incrementAndGet();
        rolledBackBlocks.addAndGet(depth);
        reload();
        listeners.reset(state);
        LOG.warn(
                "reorg: block {} ({}) is no longer on the chain; rolled back {} block(s) to the common ancestor {}"
                        + " ({}) and will re-apply from there",
                cp.number(),
                cp.hash().hex(),
                depth,
                ancestor.number(),
                ancestor.hash().hex());
    }

    private void reload() {
        load(store::loadAll);
    }

    private void load(Supplier<StateSnapshot> source) {
        // The journal's newest changes (a GROUP BY over every journal row) are read on another
        // connection while this one reads the state: on a restart both are large. The two reads
        // agree because this thread is the store's only writer of state and journal, and it is
        // here, not committing.
        CompletableFuture<List<ReversibleChange>> reversible =
                CompletableFuture.supplyAsync(store::reversibleChanges);
        StateSnapshot snapshot = source.get();
        List<ReversibleChange> changes;
        try {
            changes = reversible.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        ChainState loaded = ChainState.of(snapshot, changes);
        followedTokens.clear();
        followedTokens.addAll(contracts.propertyTokens());
        loaded.markets().forEach(m -> followedTokens.add(m.params().collateralToken()));
        state = loaded;
    }

    private boolean isFollowed(Address token) {
        return followedTokens.contains(token);
    }
}
