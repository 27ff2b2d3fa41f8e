package io.freehold.node.api;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.Heartbeat;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionRemoved;
import io.freehold.proto.v1.Retraction;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The protocol-neutral half of a watch stream: a journal of position events with cursors (block
 * number, block hash, sequence), the subscribers it feeds ({@link PositionSubscription}: a bounded
 * queue each, SLOW_CONSUMER when it fills), resume after a cursor the journal still holds,
 * retractions after a reorg and heartbeats on quiet streams. What a step publishes is the
 * protocol's business: Freehold's {@link PositionFeed} (the risk engine's positions) and, on a node
 * following an Aave pool, the Aave feeds of positions and opportunities each own one.
 *
 * <p>The journal keeps the last {@code journal} events so a client can resume after its last cursor
 * (of an event or a heartbeat) without gaps or repeats. It is in memory: after a restart of the
 * node (unless the cursor ends a step at exactly the block this run started from), or once a client
 * has been away for more than {@code journal} events, a resume gets a fresh snapshot instead (a
 * resync). Each event is converted once and serialized once for every stream ({@link Entry}); a
 * batched stream gets one message per step.
 */
public final class StreamFeed {

    /**
     * One journal entry: the event and what filters look at, and what is sent for it, computed once
     * for every subscriber (the event's bytes, its removal, its opportunity) the first time one
     * needs it. Once its step has been offered it keeps the event as its bytes only ({@link
     * #compact}): the journal holds 100,000 entries by default, and a message with its dozen
     * decimal strings is several times the bytes; every one of them survives the young collections
     * it meets, which the collector copies each time.
     */
    public static final class Entry {
        private final Cursor cursor;
        private final boolean retracted;
        private final boolean updated;
        private final MarketId marketId;
        private final Address account;
        // What a health filter looks at (null without a position).
        private final BigInteger debt;
        private final BigInteger healthFactor;
        private PositionEvent event; // null once compacted: parsed from the frame's bytes
        private Frame<PositionEvent> frame;
        private PositionEvent removal;
        private Optional<Frame<OpportunityEvent>> opportunity;

        /**
         * @param debt only its sign is read (see {@link StreamPosition#debt}); null without a
         *     position
         * @param healthFactor WAD; null without a position
         */
        public Entry(
                PositionEvent event,
                MarketId marketId,
                Address account,
                BigInteger debt,
                BigInteger healthFactor) {
            this.event = event;
            this.cursor = event.getCursor();
            this.retracted = event.hasRetracted();
            this.updated = event.hasUpdated();
            this.marketId = marketId;
            this.account = account;
            this.debt = debt;
            this.healthFactor = healthFactor;
        }

        synchronized PositionEvent event() {
            return event != null ? event : frame.message();
        }

        Cursor cursor() {
            return cursor;
        }

        boolean retracted() {
            return retracted;
        }

        boolean updated() {
            return updated;
        }

        MarketId marketId() {
            return marketId;
        }

        Address account() {
            return account;
        }

        BigInteger debt() {
            return debt;
        }

        BigInteger healthFactor() {
            return healthFactor;
        }

        /** {@link StreamFeed#key} of its position. */
        String key() {
            return StreamFeed.key(marketId, account);
        }

        /** The event as one frame for every subscriber that gets it. */
        synchronized Frame<PositionEvent> frame() {
            if (frame == null) {
                frame = Frame.of(event, PositionEvent.parser());
            }
            return frame;
        }

        /**
         * Keeps the event as its serialized bytes only (the same bytes every stream was sent); a
         * later reader of {@link #event} gets it parsed from them.
         */
        synchronized void compact() {
            if (event != null) {
                frame = Frame.ofBytes(frame().bytes(), PositionEvent.parser());
                event = null;
            }
        }

        /**
         * The removal sent to subscribers for which this update takes the position out of their
         * filter.
         */
        synchronized PositionEvent removal() {
            if (removal == null) {
                removal =
                        PositionEvent.newBuilder()
                                .setCursor(cursor)
                                .setRemoved(
                                        PositionRemoved.newBuilder()
                                                .setMarketId(marketId.hex())
                                                .setAccount(account.hex()))
                                .build();
            }
            return removal;
        }

        /**
         * The opportunity this event is (empty: none), as one frame for every opportunity
         * subscriber: computed by the first subscriber's view (a feed has one kind of opportunity
         * view).
         */
        synchronized Optional<Frame<OpportunityEvent>> opportunity(
                Function<PositionEvent, Optional<OpportunityEvent>> view) {
            if (opportunity == null) {
                opportunity = view.apply(event()).map(o -> Frame.of(o, OpportunityEvent.parser()));
            }
            return opportunity;
        }
    }

    /** A position of a step, in the order its events are published. */
    public record Key(MarketId market, Address account) {}

    /**
     * What a new subscriber starts from.
     *
     * @param block the block the positions are of (no sequence); null before any block
     * @param positions every position now (filters pick theirs)
     */
    public record Snapshot(Cursor block, List<StreamPosition> positions) {}

    /** One step being published: its events get cursors of the step's block, in order. */
    public final class Step {
        private final Cursor block;
        private final List<Entry> entries = new ArrayList<>();

        private Step(Cursor block) {
            this.block = block;
        }

        /** The next cursor of this step's block. */
        public Cursor next() {
            return StreamFeed.this.next(block);
        }

        /** Journals {@code entry} (its cursor from {@link #next}) as this step's next event. */
        public void add(Entry entry) {
            journal(entry, entries);
        }

        /** Journals an update of {@code position} (at the next cursor). */
        public void update(Position position, Key key, BigInteger debt, BigInteger healthFactor) {
            add(
                    new Entry(
                            PositionEvent.newBuilder()
                                    .setCursor(next())
                                    .setUpdated(position)
                                    .build(),
                            key.market(),
                            key.account(),
                            debt,
                            healthFactor));
        }
    }

    private final StreamConfiguration config;
    private final Journal journal;
    private final List<PositionSubscription<?>> subscriptions = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeats;
    // Cursors of this process start above any an earlier run of the node issued (it counted from
    // its own start time), so a cursor from before a restart is never mistaken for one of this
    // run's.
    private final long firstSequence = System.currentTimeMillis() * 1_000_000L;
    private long sequence = firstSequence;
    // The sequence of the newest event dropped from the journal: cursors below it cannot be
    // resumed.
    private long droppedUpTo = firstSequence;
    // The block of the last step (number and hash, no sequence); null before any.
    private Cursor last;
    // The block this run started from (the store's): a step-end cursor of an earlier run at exactly
    // this block and hash has every change the store holds, so it resumes with this run's whole
    // journal. Null: no such resume.
    private Cursor startedFrom;

    /**
     * @param name names the heartbeat thread
     */
    public StreamFeed(StreamConfiguration config, String name) {
        this.config = config;
        this.journal = new Journal(config.journal());
        this.heartbeats =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "freehold-stream-heartbeat-" + name);
                            t.setDaemon(true);
                            return t;
                        });
        long tick = heartbeatTick(config.heartbeat()).toNanos();
        heartbeats.scheduleAtFixedRate(this::heartbeat, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** The block the node's state was loaded at, before any step (null: none). */
    public synchronized void started(Cursor block) {
        last = block;
        startedFrom = block;
    }

    /** Open watch streams, for the stream metrics. */
    public int subscribers() {
        return subscriptions.size();
    }

    /**
     * Events queued for all of them and not yet sent (each queue is bounded by the stream buffer).
     */
    public long queued() {
        long n = 0;
        for (PositionSubscription<?> s : subscriptions) {
            n += s.queued();
        }
        return n;
    }

    /** The most events any one subscriber has waiting (never more than the stream buffer). */
    public long longestQueue() {
        long n = 0;
        for (PositionSubscription<?> s : subscriptions) {
            n = Math.max(n, s.queued());
        }
        return n;
    }

    /**
     * Publishes one step at {@code block} (number and hash): {@code body} journals its events, then
     * they go to every subscriber. Under the feed's lock, as is every subscription, so nothing
     * published falls between a snapshot (or replay) and the live events.
     */
    public synchronized void publish(Cursor block, Consumer<Step> body) {
        Step step = new Step(block);
        body.accept(step);
        last = block;
        offer(step.entries);
    }

    /**
     * A reorg took the state back to {@code ancestor}: a RETRACTED event naming it (everything
     * published above it is void), then {@code republish} journals the current values of the
     * positions the orphaned events had touched (given in the order they were first touched).
     */
    public synchronized void retract(
            Cursor ancestor, long orphanedBlocks, BiConsumer<Step, Set<Key>> republish) {
        Set<Key> touched = new LinkedHashSet<>();
        for (int i = 0; i < journal.size(); i++) {
            Entry e = journal.get(i);
            if (e.updated() && e.cursor().getBlockNumber() > ancestor.getBlockNumber()) {
                touched.add(new Key(e.marketId(), e.account()));
            }
        }
        Step step = new Step(ancestor);
        step.add(
                new Entry(
                        PositionEvent.newBuilder()
                                .setCursor(step.next())
                                .setRetracted(
                                        Retraction.newBuilder()
                                                .setCommonAncestor(ancestor)
                                                .setOrphanedBlocks(orphanedBlocks))
                                .build(),
                        null,
                        null,
                        null,
                        null));
        republish.accept(step, touched);
        last = ancestor;
        offer(step.entries);
    }

    /** The block of the last step (null before any): where a reorg counts its orphans from. */
    public synchronized Cursor lastBlock() {
        return last;
    }

    /**
     * Registers a subscriber: from a snapshot, or after {@code resumeAfter} if the journal still
     * holds every event after it: a cursor this run issued, or a step-end cursor of an earlier run
     * at exactly the block (and hash) this run started from, as long as this run's journal has
     * dropped nothing. Otherwise (an earlier run's cursor at another block or inside a step, or one
     * the journal has moved past) the subscriber gets a fresh snapshot: a resync. A resumed stream
     * gets its missed events, then a heartbeat at the current cursor. Under the feed's lock, so
     * nothing published falls between the snapshot (or replay) and the live events. Finding the
     * place to resume is a binary search of the journal.
     */
    synchronized void subscribe(
            PositionSubscription<?> subscription, Cursor resumeAfter, Supplier<Snapshot> now) {
        int from = resumeAfter == null ? -1 : resumeFrom(resumeAfter);
        if (from >= 0) {
            if (subscription.tracksRemovals()) {
                subscription.resumed(now.get().positions());
            }
            for (int i = from; i < journal.size(); i++) {
                subscription.replay(journal.get(i));
            }
            // The client knows it resumed.
            subscription.heartbeat(new Entry(heartbeatEvent(), null, null, null, null));
        } else {
            Snapshot snapshot = now.get();
            Cursor block = snapshot.block() != null ? snapshot.block() : last;
            subscription.snapshot(
                    snapshot.positions(),
                    block == null ? Cursor.getDefaultInstance() : next(block));
        }
        subscriptions.add(subscription);
    }

    /** The journal index to replay from for a resume after {@code c}; -1: it cannot be resumed. */
    private int resumeFrom(Cursor c) {
        long after = c.getSequence();
        if (after >= droppedUpTo && after <= sequence) {
            return journal.firstAfter(after);
        }
        boolean earlierRun = after < firstSequence;
        if (earlierRun
                && c.getStepEnd()
                && startedFrom != null
                && droppedUpTo == firstSequence
                && c.getBlockNumber() == startedFrom.getBlockNumber()
                && c.getBlockHash().equalsIgnoreCase(startedFrom.getBlockHash())) {
            return 0;
        }
        return -1;
    }

    void unsubscribe(PositionSubscription<?> subscription) {
        subscriptions.remove(subscription);
    }

    /** The cursor of the newest event or block, for heartbeats: the end of the last step. */
    synchronized Cursor current() {
        return last == null
                ? Cursor.getDefaultInstance()
                : last.toBuilder().setSequence(sequence).setStepEnd(true).build();
    }

    private void journal(Entry entry, List<Entry> step) {
        Entry dropped = journal.add(entry);
        if (dropped != null) {
            droppedUpTo = dropped.cursor().getSequence();
        }
        step.add(entry);
    }

    /**
     * One step's events to every subscriber: each event valued and serialized once, whoever gets
     * it. A batched subscriber gets a message for every step, empty if nothing of it matches, so
     * its cursor always names the node's latest step (and can resume across a restart at that
     * step).
     */
    private void offer(List<Entry> step) {
        Cursor end = current();
        Map<Object, Object> shared = new HashMap<>();
        for (PositionSubscription<?> s : subscriptions) {
            s.offer(step, end, shared);
        }
        // ended for being slow, or by the node
        subscriptions.removeIf(PositionSubscription::isClosed);
        for (Entry e : step) {
            e.compact(); // every subscriber has what it sends for the event: keep only its bytes
        }
    }

    /**
     * Under the feed's lock, so a heartbeat never carries a cursor older than an event queued
     * before it.
     */
    private synchronized void heartbeat() {
        Entry beat = new Entry(heartbeatEvent(), null, null, null, null);
        long now = System.nanoTime();
        long interval = config.heartbeat().toNanos();
        long tick = heartbeatTick(config.heartbeat()).toNanos();
        for (PositionSubscription<?> s : subscriptions) {
            s.heartbeatIfQuiet(beat, now, interval, tick);
        }
    }

    private PositionEvent heartbeatEvent() {
        return PositionEvent.newBuilder()
                .setCursor(current())
                .setHeartbeat(Heartbeat.getDefaultInstance())
                .build();
    }

    /**
     * How often quiet streams are checked: a tenth of the heartbeat interval (at least a
     * millisecond). A stream gets a heartbeat once it has been quiet for the interval less one
     * tick, so the gap between two messages on a quiet stream is at most the interval (plus the
     * scheduler's slack), never two intervals.
     */
    static Duration heartbeatTick(Duration interval) {
        return Duration.ofNanos(Math.max(1_000_000L, interval.toNanos() / 10));
    }

    private synchronized Cursor next(Cursor block) {
        return block.toBuilder().setSequence(++sequence).setStepEnd(false).build();
    }

    static String key(MarketId market, Address account) {
        return market.hex() + "/" + account.hex();
    }

    /**
     * The servers are stopping: end every stream now (clients resume from their cursor elsewhere or
     * after the restart) rather than hold the gRPC server's shutdown until its grace period runs
     * out.
     */
    public void closeStreams() {
        subscriptions.forEach(PositionSubscription::close);
        subscriptions.clear();
    }

    /** Stops the heartbeats and ends every stream. */
    public void stop() {
        heartbeats.shutdownNow();
        closeStreams();
    }

    /**
     * The last {@code capacity} entries in a ring, oldest first, in increasing sequence: a resume
     * finds its place by binary search, not by walking the journal.
     */
    static final class Journal {
        private final int capacity;
        private Entry[] ring = new Entry[16];
        private int head;
        private int size;

        Journal(int capacity) {
            this.capacity = capacity;
        }

        int size() {
            return size;
        }

        Entry get(int i) {
            return ring[(head + i) % ring.length];
        }

        /** Appends {@code e}; returns the entry dropped to make room, or null. */
        Entry add(Entry e) {
            if (size == ring.length && size < capacity) {
                Entry[] grown = new Entry[(int) Math.min(capacity, 2L * ring.length)];
                for (int i = 0; i < size; i++) {
                    grown[i] = get(i);
                }
                ring = grown;
                head = 0;
            }
            if (size < ring.length) {
                ring[(head + size) % ring.length] = e;
                size++;
                return null;
            }
            Entry dropped = ring[head];
            ring[head] = e;
            head = (head + 1) % ring.length;
            return dropped;
        }

        /**
         * The index of the first entry with a sequence above {@code sequence} ({@link #size()}:
         * none).
         */
        int firstAfter(long sequence) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (get(mid).cursor().getSequence() > sequence) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }
}
