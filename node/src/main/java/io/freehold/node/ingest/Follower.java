package io.freehold.node.ingest;

import io.freehold.node.chain.BlockHashMismatchException;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.ingest.EventDecoder.Source;
import io.freehold.node.ingest.ProtocolEvent.MarketCreated;
import io.freehold.types.Address;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.store.BlockChanges;
import io.freehold.node.store.ReversibleChange;
import io.freehold.node.store.RollbackTooDeepException;
import io.freehold.node.store.StateSnapshot;
import io.freehold.node.store.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Follows the chain one step at a time: checks that the last applied block is still on the chain
 * (rolling back to the common ancestor if not), then reads the next block range with
 * {@code eth_getLogs}, applies it to the in-memory state and commits it to the store in one
 * transaction.
 *
 * <p>Blocks more than {@code confirmations} below the head are final: they are read in wide ranges
 * and committed without a journal, keeping only the headers of blocks with logs. Younger blocks are
 * reversible: every header is kept and every change journaled, so that a reorg inside that window is
 * undone exactly. A reorg below it stops the node ({@link ReorgTooDeepException}).
 *
 * <p>Not thread-safe: one thread calls {@link #step()}. {@link #state()} and the status getters may
 * be read from any thread.
 */
public final class Follower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

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
    private final int rangeBlocks;
    private final SyncProgress progress;
    private final Set<Address> followedTokens = ConcurrentHashMap.newKeySet();
    private volatile ChainState state;
    private final AtomicLong head = new AtomicLong(-1);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong reorgs = new AtomicLong();
    private final AtomicLong rolledBackBlocks = new AtomicLong();
    // Catch-up reads the next final range while the current one is applied and committed: fetching
    // (network, JSON) and applying (memory, database) then share the two cores instead of taking turns.
    private final ExecutorService prefetcher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "freehold-log-prefetch");
        thread.setDaemon(true);
        return thread;
    });
    private Prefetch prefetched;
    // Held for a whole step; listeners are added between steps.
    private final Object stepLock = new Object();
    private final List<StateListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Logs being read ahead for the final range {@code from..to} of the given tokens. */
    private record Prefetch(long from, long to, Set<Address> tokens, Future<List<Log>> logs) {}

    /**
     * @param rangeBlocks the most blocks one step reads and commits; the RPC layer splits the
     *     {@code eth_getLogs} further when an endpoint needs it
     */
    public Follower(ChainRpc rpc, StateStore store, ContractAddresses contracts, NodeConfiguration config,
            int rangeBlocks) {
        this.rpc = rpc;
        this.store = store;
        this.contracts = contracts;
        this.decoder = new EventDecoder(contracts);
        this.confirmations = config.confirmations();
        this.rangeBlocks = rangeBlocks;
        this.progress = new SyncProgress(config.progressInterval(), System::nanoTime);
        reload();
    }

    /** The state as of the last applied block. Replaced (not changed) by a rollback: read it again after one. */
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

    /** The newest applied block that is final (at least {@code confirmations} deep), or -1 if none is yet. */
    public long finalBlock() {
        return Math.max(-1, Math.min(appliedBlock(), head.get() - confirmations));
    }

    /** Whether the changes of {@code block} can no longer be reorged away under the configured depth. */
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

    public long reorgs() {
        return reorgs.get();
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

    private StepResult stepLocked() {
        long best = rpc.head();
        head.set(best);
        Optional<Checkpoint> checkpoint = state.checkpoint();
        if (checkpoint.isPresent()) {
            Checkpoint cp = checkpoint.get();
            if (best < cp.number() || !rpc.header(cp.number()).hash().equals(cp.hash())) {
                rollBackToCommonAncestor(cp, best);
                return StepResult.ROLLED_BACK;
            }
        }
        long from = checkpoint.map(cp -> cp.number() + 1).orElse(contracts.startBlock());
        if (from > best) {
            progress.atHead(from - 1);
            return StepResult.AT_HEAD;
        }
        long lastFinal = best - confirmations;
        boolean reversible = from > lastFinal;
        long to = Math.min(reversible ? best : lastFinal, from + rangeBlocks - 1);
        try {
            applyRange(from, to, reversible, checkpoint);
        } catch (BlockHashMismatchException | ChainMovedException e) {
            LOG.info("the chain moved while blocks {}..{} were read ({}); reading again", from, to, e.getMessage());
            return StepResult.RETRY;
        }
        return StepResult.APPLIED;
    }

    private void applyRange(long from, long to, boolean reversible, Optional<Checkpoint> checkpoint) {
        // Reversible blocks: the headers before the logs. A reorg between the two reads then leaves logs
        // of the new branch against headers of the old (caught below, or by the next step's hash check),
        // never headers of the new branch without the logs it added (which nothing would ever catch).
        Map<Long, BlockHeader> reversibleHeaders =
                reversible ? headersFor(from, to, true, new TreeSet<>(), checkpoint) : null;
        List<Log> logs = takePrefetched(from, to).orElseGet(() -> fetchLogs(from, to, followedTokens, true));
        if (!reversible) {
            prefetch(to + 1, Math.min(head.get() - confirmations, to + rangeBlocks));
        }
        TreeMap<Long, List<ProtocolEvent>> byBlock = new TreeMap<>();
        Set<Address> newTokens = new LinkedHashSet<>();
        for (Log log : logs) {
            Optional<ProtocolEvent> event = decoder.decode(log, this::isFollowed);
            if (event.isPresent()) {
                byBlock.computeIfAbsent(blockOf(log), b -> new ArrayList<>()).add(event.get());
                if (event.get() instanceof MarketCreated created && !isFollowed(created.params().collateralToken())) {
                    newTokens.add(created.params().collateralToken());
                }
            }
        }
        if (!newTokens.isEmpty()) {
            // A market on a token the node did not follow: read the token's own history too, so its
            // pause flag, frozen holders and rent are right from the market's first block.
            logs = mergeNewTokens(logs, newTokens, from, to, byBlock);
        }
        SortedSet<Long> logBlocks = new TreeSet<>();
        logs.forEach(log -> logBlocks.add(blockOf(log)));
        Map<Long, BlockHeader> headers =
                reversible ? reversibleHeaders : headersFor(from, to, false, logBlocks, checkpoint);
        for (Log log : logs) {
            BlockHeader header = headers.get(blockOf(log));
            if (header == null || !header.hash().hex().equals(log.getBlockHash().toLowerCase(java.util.Locale.ROOT))) {
                throw mismatchedLog(log, header);
            }
        }
        List<BlockChanges> changes = new ArrayList<>();
        BlockApplier applier = new BlockApplier(state);
        int eventCount = 0;
        try {
            for (BlockHeader header : headers.values()) {
                List<ProtocolEvent> blockEvents = byBlock.getOrDefault(header.number(), List.of());
                eventCount += blockEvents.size();
                changes.add(applier.apply(header, blockEvents, reversible));
            }
            store.commit(changes);
        } catch (RuntimeException e) {
            reload(); // the memory may hold part of the range the store does not: start again from the store
            notifyReset();
            throw e;
        }
        followedTokens.addAll(newTokens);
        events.addAndGet(eventCount);
        blocks.addAndGet(to - from + 1);
        if (reversible) {
            long keepFrom = Math.max(0, to - confirmations);
            store.prune(keepFrom);
            state.confirmUpTo(keepFrom - 1);
        }
        progress.applied(from, to, eventCount, head.get());
        AppliedRange changed = applier.changed(from);
        notifyApplied(new AppliedRange(from, to, changed.toTimestamp(), reversible, changed.markets(),
                changed.positions(), changed.tokens()));
    }

    /** The logs read ahead for exactly this range and the current tokens, if any; drops any other read-ahead. */
    private Optional<List<Log>> takePrefetched(long from, long to) {
        Prefetch p = prefetched;
        prefetched = null;
        if (p == null) {
            return Optional.empty();
        }
        if (p.from() != from || p.to() != to || !p.tokens().equals(Set.copyOf(followedTokens))) {
            p.logs().cancel(true);
            return Optional.empty();
        }
        try {
            return Optional.of(p.logs().get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // as if read now: the step fails and is retried
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading logs " + from + ".." + to, e);
        }
    }

    private void prefetch(long from, long to) {
        if (from > to) {
            return;
        }
        Set<Address> tokens = Set.copyOf(followedTokens);
        prefetched = new Prefetch(from, to, tokens, prefetcher.submit(() -> fetchLogs(from, to, tokens, true)));
    }

    /**
     * Adds a listener and hands it the current state at once (as a {@link StateListener#reset}). Waits
     * for a step in progress to finish, so the listener never starts from a half-applied range.
     */
    public void addListener(StateListener listener) {
        synchronized (stepLock) {
            listeners.add(listener);
            listener.reset(state);
        }
    }

    private void notifyApplied(AppliedRange range) {
        for (StateListener l : listeners) {
            try {
                l.applied(range, state);
            } catch (RuntimeException e) {
                LOG.error("state listener {} failed on blocks {}..{}", l, range.fromBlock(), range.toBlock(), e);
            }
        }
    }

    private void notifyReset() {
        for (StateListener l : listeners) {
            try {
                l.reset(state);
            } catch (RuntimeException e) {
                LOG.error("state listener {} failed on a reset", l, e);
            }
        }
    }

    /** Stops reading ahead. */
    @Override
    public void close() {
        prefetcher.shutdownNow();
    }

    /** The logs of the followed contracts, only the events the node applies. */
    private List<Log> fetchLogs(long from, long to, Set<Address> tokens, boolean coreContracts) {
        List<String> addresses = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        if (coreContracts) {
            addresses.add(contracts.lendingPool().hex());
            addresses.add(contracts.oracle().hex());
            addresses.add(contracts.identityRegistry().hex());
            topics.addAll(EventDecoder.topics(Source.POOL));
            topics.addAll(EventDecoder.topics(Source.ORACLE));
            topics.addAll(EventDecoder.topics(Source.REGISTRY));
        }
        if (!tokens.isEmpty()) {
            tokens.stream().sorted().forEach(t -> addresses.add(t.hex()));
            topics.addAll(EventDecoder.topics(Source.TOKEN));
        }
        return rpc.logs(from, to, addresses, List.of(topics));
    }

    /**
     * Adds the logs of tokens first met in this range: their history before the range is applied in
     * the block of the market's creation, just before it (it concerns only the token's own flags and
     * rent); their logs inside the range join the range in chain order.
     */
    private List<Log> mergeNewTokens(List<Log> logs, Set<Address> newTokens, long from, long to,
            TreeMap<Long, List<ProtocolEvent>> byBlock) {
        List<Log> tokenLogs = fetchLogs(contracts.startBlock(), to, newTokens, false);
        List<ProtocolEvent> earlier = new ArrayList<>();
        List<Log> merged = new ArrayList<>(logs);
        for (Log log : tokenLogs) {
            Optional<ProtocolEvent> event = decoder.decode(log, newTokens::contains);
            if (event.isEmpty()) {
                continue;
            }
            long block = blockOf(log);
            if (block < from) {
                earlier.add(event.get());
            } else {
                merged.add(log);
            }
        }
        merged.sort(Comparator.comparing(Log::getBlockNumber).thenComparing(Log::getLogIndex));
        byBlock.clear();
        for (Log log : merged) {
            Optional<ProtocolEvent> event = decoder.decode(log, t -> isFollowed(t) || newTokens.contains(t));
            event.ifPresent(e -> byBlock.computeIfAbsent(blockOf(log), b -> new ArrayList<>()).add(e));
        }
        if (!earlier.isEmpty()) {
            for (List<ProtocolEvent> blockEvents : byBlock.values()) {
                int at = indexOfCreation(blockEvents, newTokens);
                if (at >= 0) {
                    blockEvents.addAll(at, earlier);
                    break;
                }
            }
        }
        return merged;
    }

    private static int indexOfCreation(List<ProtocolEvent> events, Set<Address> tokens) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof MarketCreated created && tokens.contains(created.params().collateralToken())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The headers the range is committed with, by number: every block when reversible (the reorg
     * window needs them all, linked by parent hash to the checkpoint); otherwise the blocks with
     * logs (their timestamps drive interest, their hashes check the logs) and the last block (the new
     * checkpoint).
     */
    private Map<Long, BlockHeader> headersFor(long from, long to, boolean reversible, SortedSet<Long> logBlocks,
            Optional<Checkpoint> checkpoint) {
        Map<Long, BlockHeader> headers = new TreeMap<>();
        if (reversible) {
            List<BlockHeader> fetched = rpc.headers(from, to);
            if (checkpoint.isPresent() && checkpoint.get().number() == from - 1) {
                BlockHash parent = fetched.get(0).parentHash();
                if (!parent.equals(checkpoint.get().hash())) {
                    throw new ChainMovedException("block " + from + " has parent " + parent
                            + " but the node applied " + checkpoint.get().hash() + " at block " + (from - 1));
                }
            }
            fetched.forEach(h -> headers.put(h.number(), h));
        } else {
            SortedSet<Long> numbers = new TreeSet<>(logBlocks);
            numbers.add(to);
            headers.putAll(rpc.headersAt(numbers));
        }
        return headers;
    }

    private void rollBackToCommonAncestor(Checkpoint cp, long best) {
        List<BlockHeader> stored = store.headers(0);
        long oldest = stored.stream().filter(h -> h.number() < cp.number()).mapToLong(BlockHeader::number).min()
                .orElse(-1);
        SortedSet<Long> candidates = new TreeSet<>();
        for (BlockHeader h : stored) {
            if (h.number() <= best) {
                candidates.add(h.number());
            }
        }
        Map<Long, BlockHeader> onChain = candidates.isEmpty() ? Map.of() : rpc.headersAt(candidates);
        BlockHeader ancestor = null;
        for (int i = stored.size() - 1; i >= 0; i--) {
            BlockHeader h = stored.get(i);
            BlockHeader chain = onChain.get(h.number());
            if (chain != null && chain.hash().equals(h.hash())) {
                ancestor = h;
                break;
            }
        }
        if (ancestor == null) {
            throw new ReorgTooDeepException(cp.number(), oldest,
                    "none of the " + stored.size() + " stored headers is on the chain now (head " + best + ")");
        }
        try {
            store.rollbackTo(ancestor.number());
        } catch (RollbackTooDeepException e) {
            throw new ReorgTooDeepException(cp.number(), e.oldestTarget(), e.getMessage());
        }
        long depth = cp.number() - ancestor.number();
        reorgs.incrementAndGet();
        rolledBackBlocks.addAndGet(depth);
        reload();
        notifyReset();
        LOG.warn("reorg: block {} ({}) is no longer on the chain; rolled back {} block(s) to the common ancestor {}"
                + " ({}) and will re-apply from there", cp.number(), cp.hash().hex(), depth, ancestor.number(),
                ancestor.hash().hex());
    }

    private void reload() {
        // The journal's newest changes (a GROUP BY over every journal row) are read on another connection
        // while this one streams the tables: on a restart both are large. The two reads agree because this
        // thread is the store's only writer of state and journal, and it is here, not committing.
        CompletableFuture<List<ReversibleChange>> reversible = CompletableFuture.supplyAsync(store::reversibleChanges);
        StateSnapshot snapshot = store.loadAll();
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

    /** The log's block number; web3j's getter parses the hex into a BigInteger on every call. */
    private static long blockOf(Log log) {
        return Long.parseLong(log.getBlockNumberRaw().substring(2), 16);
    }

    /** A log whose block hash is not the hash of the header read for its block: the chain moved. */
    private static ChainMovedException mismatchedLog(Log log, BlockHeader header) {
        return new ChainMovedException("log " + log.getLogIndex() + " of block " + log.getBlockNumber()
                + " names block hash " + log.getBlockHash() + " but the header read has "
                + (header == null ? "none" : header.hash()));
    }
}
