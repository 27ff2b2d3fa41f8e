package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveEvents;
import io.freehold.contracts.math.aave.AaveLog;
import io.freehold.node.chain.ChainRpc;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Follows one Aave v3 market into an {@link AaveBook}, block by block, through the node's one RPC
 * layer ({@link ChainRpc}: retries, breakers, rate limit, failover, chain-id and lag checks).
 *
 * <p>What it asks for: every log in the range whose topic 0 is one the book reads ({@link
 * AaveEvents#ALL}), from any address. The book keeps only those of the contracts it follows (the
 * pool, configurator and oracle, the tokens a {@code ReserveInitialized} names, the sources the
 * oracle names), so the follower needs no list of addresses learned on the way, and the two logs
 * that come before their emitter is known (an aToken's {@code Initialized}, a source's first {@code
 * AnswerUpdated}) are in the same answer. The price: on a busy chain every Chainlink aggregator's
 * {@code AnswerUpdated} is fetched too.
 *
 * <p>Reorgs: blocks are applied up to the head, each range's headers linked by parent hash to the
 * last applied block (and the logs' block hashes checked against those headers). The follower keeps
 * the book as it stood after each of the newest {@code journalBlocks} blocks ({@link AaveBook#copy}
 * when the block changed it, the previous snapshot otherwise). When the last applied block is no
 * longer on the chain, it finds the newest kept block the chain still has (one batch of headers)
 * and takes its snapshot up again. A reorg deeper than the kept window, or one that replaced every
 * kept block, clears the book and reads again from the start block (the Freehold follower's {@code
 * deep-reorg=recover} with no stored ancestor).
 *
 * <p>Restarts ({@link Store}, optional): every {@code intervalBlocks} blocks, and at {@link
 * #storeNow}, the book at the newest <em>final</em> block (the head minus {@code confirmations}, or
 * the applied block when it is older) is written to an {@link AaveBookFile} with that block's
 * header. A final block is one no reorg inside the window replaces, so the stored book never needs
 * undoing. At construction the follower takes up the stored book when the file is whole, of this
 * chain and market, and its block is still on the chain (same hash); otherwise it says why and
 * reads from the start block.
 *
 * <p>Not thread-safe: one thread steps it; readers take {@link #applied()}.
 */
public final class AaveFollower {

    private static final Logger LOG = LoggerFactory.getLogger(AaveFollower.class);

    /** What one {@link #step} did. */
    public enum StepResult {
        /** Applied a range of blocks; more may be waiting. */
        APPLIED,
        /** Nothing new: the applied block is the head. */
        AT_HEAD,
        /** The chain replaced applied blocks: the book went back to the newest surviving one. */
        REORGED,
        /** The chain replaced every kept block: the book was cleared to read from the start. */
        RESYNCED,
        /** The chain moved during the step (a log of a block no longer in the headers): retry. */
        CHAIN_MOVED
    }

    private record Kept(BlockHeader header, AaveBook book) {}

    /**
     * Where and how often the book is stored.
     *
     * @param chainId the chain the book is of (a file of another chain is refused)
     * @param confirmations blocks below the head that make a block final: the stored book's block
     *     is at most {@code head - confirmations}
     * @param intervalBlocks final blocks between two writes
     */
    public record Store(AaveBookFile file, long chainId, int confirmations, int intervalBlocks) {
        public Store {
            if (confirmations < 0 || intervalBlocks < 1) {
                throw new IllegalArgumentException(
                        "confirmations must not be negative and intervalBlocks must be positive");
            }
        }
    }

    private static final List<List<String>> TOPICS =
            List.of(new ArrayList<>(new TreeSet<>(AaveEvents.ALL)));

    private final ChainRpc rpc;
    private final AaveMarketContracts market;
    private final int journalBlocks;
    private final int maxRangeBlocks;

    private AaveBook book;

    /** The last applied block; before the first step, the start block's parent (or none). */
    private BlockHeader applied;

    private final NavigableMap<Long, Kept> kept = new TreeMap<>();
    private volatile AppliedAaveBook published;
    private long reorgs;
    private long resyncs;

    private final Store store;

    /** The block of the stored book this follower took up at construction; -1 if none. */
    private final long resumedFrom;

    /** The first block this follower asked the logs of since it was made; -1 before any. */
    private long firstBlockRead = -1;

    /** The block of the last book written (or taken up), -1 before any. */
    private volatile long storedBlock = -1;

    /** The newest head a step saw: which blocks are final when {@link #storeNow} runs. */
    private long lastHead = -1;

    /**
     * @param journalBlocks how many of the newest applied blocks a reorg can return to without a
     *     resync ({@code freehold.node.journal-blocks}, at least the confirmations)
     * @param maxRangeBlocks the widest range one step reads ({@code
     *     freehold.node.rpc.max-log-range-blocks})
     */
    public AaveFollower(
            ChainRpc rpc, AaveMarketContracts market, int journalBlocks, int maxRangeBlocks) {
        this(rpc, market, journalBlocks, maxRangeBlocks, null);
    }

    /**
     * A follower that stores its book at final blocks and, made again on the same file, takes it up
     * ({@code store} null: nothing stored, every start reads from the start block).
     */
    public AaveFollower(
            ChainRpc rpc,
            AaveMarketContracts market,
            int journalBlocks,
            int maxRangeBlocks,
            Store store) {
        if (journalBlocks < 1 || maxRangeBlocks < 1) {
            throw new IllegalArgumentException("journalBlocks and maxRangeBlocks must be positive");
        }
        this.rpc = rpc;
        this.market = market;
        // The final block (head - confirmations) must be among the kept ones to be stored.
        this.journalBlocks =
                store == null ? journalBlocks : Math.max(journalBlocks, store.confirmations() + 1);
        this.maxRangeBlocks = maxRangeBlocks;
        this.store = store;
        reset();
        this.resumedFrom = store == null ? -1 : takeUpStored();
    }

    /**
     * Takes up the stored book if it can be trusted: whole, of this chain and market, at or after
     * the start block, its block still on the chain. Returns its block, or -1 (reason logged).
     */
    private long takeUpStored() {
        Optional<AaveBookFile.Stored> read =
                store.file().read(store.chainId(), market.bookMarket());
        if (read.isEmpty()) {
            return -1;
        }
        BlockHeader block = read.get().block();
        if (block.number() < market.startBlock()) {
            LOG.warn(
                    "the stored Aave book {} is at block {}, before aave.start-block {}: reading the"
                            + " market from the start block",
                    store.file().path(),
                    block.number(),
                    market.startBlock());
            return -1;
        }
        long head = rpc.head();
        BlockHeader onChain = block.number() <= head ? rpc.header(block.number()) : null;
        if (onChain == null || !onChain.hash().equals(block.hash())) {
            LOG.warn(
                    "the stored Aave book {} is at block {} ({}), which is no longer on the chain"
                            + " ({}): reading the market from block {}",
                    store.file().path(),
                    block.number(),
                    block.hash().hex(),
                    onChain == null
                            ? "the head is " + head
                            : "the chain has " + onChain.hash().hex(),
                    market.startBlock());
            return -1;
        }
        book = read.get().book();
        applied = block;
        kept.put(block.number(), new Kept(block, book.copy()));
        storedBlock = block.number();
        publish();
        LOG.info(
                "took up the stored Aave book {} at block {} ({}): reading from block {}",
                store.file().path(),
                block.number(),
                block.hash().hex(),
                block.number() + 1);
        return block.number();
    }

    /** The block whose stored book this follower took up at its start, if it did. */
    public java.util.OptionalLong resumedFrom() {
        return resumedFrom < 0
                ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(resumedFrom);
    }

    /**
     * The lowest block whose logs this follower has read since it was made (the start block after a
     * start without a stored book or a resync; the block after the stored one otherwise); empty
     * before the first read.
     */
    public java.util.OptionalLong firstBlockRead() {
        return firstBlockRead < 0
                ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(firstBlockRead);
    }

    /** The block of the book last written to (or taken up from) the store; -1 if none. */
    public long storedBlock() {
        return storedBlock;
    }

    /**
     * Writes the book at the newest final block now, if it is newer than the one stored (a clean
     * stop calls it; a {@code kill -9} leaves the last periodic write). Not concurrently with
     * {@link #step}.
     */
    public void storeNow() {
        if (store != null) {
            store(0);
        }
    }

    /**
     * Writes the newest final book if it is at least {@code interval} blocks past the stored one.
     */
    private void store(int interval) {
        if (applied == null || lastHead < 0) {
            return;
        }
        long last = lastHead - store.confirmations();
        BlockHeader block;
        AaveBook finalBook;
        if (applied.number() <= last) {
            block = applied;
            finalBook = book;
        } else {
            Map.Entry<Long, Kept> k = kept.floorEntry(last);
            if (k == null) {
                return; // no final block kept yet (just after a start or a rollback)
            }
            block = k.getValue().header();
            finalBook = k.getValue().book();
        }
        if (block.number() <= storedBlock || block.number() - storedBlock < interval) {
            return;
        }
        long started = System.nanoTime();
        try {
            store.file().write(new AaveBookFile.Stored(store.chainId(), block, finalBook));
            storedBlock = block.number();
            LOG.info(
                    "stored the Aave book at block {} in {} ({} ms)",
                    block.number(),
                    store.file().path(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (java.io.IOException | RuntimeException e) {
            // Only a copy: following goes on, a restart reads from an older book or the start.
            LOG.warn("could not store the Aave book in {}: {}", store.file().path(), e.toString());
        }
    }

    /** The book as of the last applied block; empty before the first block is applied. */
    public Optional<AppliedAaveBook> applied() {
        return Optional.ofNullable(published);
    }

    /** The number of the last applied block, or {@code startBlock - 1}. */
    public long appliedBlock() {
        return applied == null ? market.startBlock() - 1 : applied.number();
    }

    public AaveMarketContracts market() {
        return market;
    }

    /** Reorgs undone from a kept snapshot since start. */
    public long reorgs() {
        return reorgs;
    }

    /** Reorgs too deep for the kept snapshots (the book read again from the start block). */
    public long resyncs() {
        return resyncs;
    }

    /** Reads and applies the next range of blocks, or handles a reorg. */
    public StepResult step() {
        long head = rpc.head();
        lastHead = head;
        long next = appliedBlock() + 1;
        if (applied != null && head <= applied.number()) {
            // Nothing new, unless the chain replaced the applied block at the same or a lower
            // height (a reorg to a shorter or equally long branch).
            BlockHeader now = head == applied.number() ? rpc.header(head) : null;
            if (now != null && now.hash().equals(applied.hash())) {
                return StepResult.AT_HEAD;
            }
            return rollBack(head);
        }
        if (next > head) {
            return StepResult.AT_HEAD;
        }
        long to = Math.min(head, next + maxRangeBlocks - 1);
        List<BlockHeader> headers = rpc.headers(next, to);
        if (applied != null && !headers.get(0).parentHash().equals(applied.hash())) {
            return rollBack(head);
        }
        Map<Long, BlockHeader> byNumber = new HashMap<>();
        headers.forEach(h -> byNumber.put(h.number(), h));
        List<Log> logs = rpc.logs(next, to, List.of(), TOPICS, false);
        if (firstBlockRead < 0 || next < firstBlockRead) {
            firstBlockRead = next;
        }
        TreeMap<Long, List<AaveLog>> byBlock = new TreeMap<>();
        for (Log log : logs) {
            long number = log.getBlockNumber().longValueExact();
            BlockHeader header = byNumber.get(number);
            if (header == null || !header.hash().hex().equalsIgnoreCase(log.getBlockHash())) {
                LOG.info("block {} changed while reading {}..{}; reading again", number, next, to);
                return StepResult.CHAIN_MOVED;
            }
            byBlock.computeIfAbsent(number, n -> new ArrayList<>())
                    .add(
                            new AaveLog(
                                    number,
                                    header.timestamp(),
                                    log.getLogIndex().longValueExact(),
                                    Address.of(log.getAddress()),
                                    log.getTopics(),
                                    log.getData()));
        }
        long keepFrom = head - journalBlocks + 1;
        for (BlockHeader header : headers) {
            List<AaveLog> blockLogs = byBlock.getOrDefault(header.number(), List.of());
            blockLogs.forEach(book::apply);
            applied = header;
            if (header.number() >= keepFrom) {
                // The previous block's snapshot is this block's too when this block changed
                // nothing; only the previous block's (blocks between may have been applied
                // without a snapshot while catching up).
                Kept previous = kept.get(header.number() - 1);
                AaveBook snapshot =
                        blockLogs.isEmpty() && previous != null ? previous.book() : book.copy();
                kept.put(header.number(), new Kept(header, snapshot));
            }
        }
        kept.headMap(applied.number() - journalBlocks + 1).clear();
        publish();
        if (store != null) {
            store(store.intervalBlocks());
        }
        return StepResult.APPLIED;
    }

    /**
     * The applied block is gone: back to the newest kept block the chain (head {@code head}) still
     * has, or to the start.
     */
    private StepResult rollBack(long head) {
        SortedSet<Long> candidates = new TreeSet<>(kept.headMap(head, true).keySet());
        Map<Long, BlockHeader> onChain =
                candidates.isEmpty() ? Map.of() : rpc.headersAt(candidates);
        for (Kept k : kept.descendingMap().values()) {
            BlockHeader chain = onChain.get(k.header().number());
            if (chain != null && chain.hash().equals(k.header().hash())) {
                long from = applied.number();
                applied = k.header();
                book = k.book().copy();
                kept.tailMap(applied.number(), false).clear();
                if (storedBlock > applied.number()) {
                    storedBlock = -1; // a reorg deeper than the confirmations: store again
                }
                reorgs++;
                publish();
                LOG.warn(
                        "reorg: block {} is no longer on the chain; back to block {} ({})",
                        from,
                        applied.number(),
                        applied.hash().hex());
                return StepResult.REORGED;
            }
        }
        LOG.warn(
                "reorg deeper than the {} kept block(s) (applied {}, head {}): reading the market"
                        + " again from block {}",
                journalBlocks,
                applied.number(),
                head,
                market.startBlock());
        resyncs++;
        reset();
        return StepResult.RESYNCED;
    }

    private void reset() {
        book = new AaveBook(market.bookMarket());
        kept.clear();
        published = null;
        storedBlock = -1;
        applied = market.startBlock() == 0 ? null : rpc.header(market.startBlock() - 1);
    }

    private void publish() {
        Kept top = kept.get(applied.number());
        published = new AppliedAaveBook(applied, top != null ? top.book() : book.copy());
    }
}
