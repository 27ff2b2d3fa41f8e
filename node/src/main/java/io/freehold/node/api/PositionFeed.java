package io.freehold.node.api;

import io.freehold.node.ingest.AppliedRange;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.ingest.StateListener;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskEngine;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.MarketRecord;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.Heartbeat;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionRemoved;
import io.freehold.proto.v1.Retraction;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.annotation.PreDestroy;
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

/**
 * The journal behind {@code WatchPositions}: after each step of the follower (and so after the risk
 * engine, registered before it), an UPDATED event for every position whose shares or collateral
 * changed and for every position of a market whose price or flags changed; after a rollback, a
 * RETRACTED event naming the common ancestor, then the current values of every position the
 * orphaned events had touched. Interest alone does not produce events (it moves every debt every
 * block); heartbeats carry the cursor.
 *
 * <p>Each event has a cursor (block number, block hash, sequence); the last {@code journal} events
 * are kept so a client can resume after its last cursor (of an event or a heartbeat) without gaps
 * or repeats. The journal is in memory: after a restart of the node (unless the cursor ends a step
 * at exactly the block this run started from), or once a client has been away for more than {@code
 * journal} events, a resume gets a fresh snapshot instead (a resync), which the SDK turns into just
 * the differences. Each event is valued and converted once here and serialized once for every
 * stream ({@link Entry}); a batched stream gets one message per step. Subscribers are fed on their
 * own terms ({@link PositionSubscription}).
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class PositionFeed implements StateListener {

    /**
     * One journal entry: the event and what filters look at, and what is sent for it, computed once
     * for every subscriber (the event's bytes, its removal, its opportunity) the first time one
     * needs it. Once its step has been offered it keeps the event as its bytes only ({@link
     * #compact}): the journal holds 100,000 entries by default, and a message with its dozen
     * decimal strings and the valuation behind it is several times the bytes; every one of them
     * survives the young collections it meets, which the collector copies each time.
     */
    static final class Entry {
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

        Entry(PositionEvent event, MarketId marketId, Address account, PositionRisk risk) {
            this.event = event;
            this.cursor = event.getCursor();
            this.retracted = event.hasRetracted();
            this.updated = event.hasUpdated();
            this.marketId = marketId;
            this.account = account;
            this.debt = risk == null ? null : risk.debt();
            this.healthFactor = risk == null ? null : risk.healthFactor();
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

        /** Loan-token base units owed, rounded up (null without a position). */
        BigInteger debt() {
            return debt;
        }

        /** WAD, rounded down (null without a position). */
        BigInteger healthFactor() {
            return healthFactor;
        }

        /** {@link PositionFeed#key} of its position. */
        String key() {
            return PositionFeed.key(marketId, account);
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
         * subscriber.
         */
        synchronized Optional<Frame<OpportunityEvent>> opportunity(OpportunityView view) {
            if (opportunity == null) {
                opportunity = view.apply(event()).map(o -> Frame.of(o, OpportunityEvent.parser()));
            }
            return opportunity;
        }
    }

    private final RiskEngine engine;
    private final StreamConfiguration config;
    private final Journal journal;
    private final List<PositionSubscription<?>> subscriptions = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "freehold-stream-heartbeat");
                        t.setDaemon(true);
                        return t;
                    });
    // Cursors of this process start above any an earlier run of the node issued (it counted from
    // its own
    // start time), so a cursor from before a restart is never mistaken for one of this run's.
    private final long firstSequence = System.currentTimeMillis() * 1_000_000L;
    private long sequence = firstSequence;
    // The sequence of the newest event dropped from the journal: cursors below it cannot be
    // resumed.
    private long droppedUpTo = firstSequence;
    private Checkpoint last;
    // The checkpoint this run started from (the store's): a step-end cursor of an earlier run at
    // exactly
    // this block and hash has every change the store holds, so it resumes with this run's whole
    // journal.
    private Checkpoint startedFrom;
    private boolean started;

    public PositionFeed(RiskService risk, IngestionService ingestion, StreamConfiguration config) {
        this.engine = risk.engine();
        this.config = config;
        this.journal = new Journal(config.journal());
        ingestion.follower().addListener(this);
        long tick = heartbeatTick(config.heartbeat()).toNanos();
        heartbeats.scheduleAtFixedRate(this::heartbeat, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** Open watch streams (positions and opportunities), for the stream metrics. */
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

    @Override
    public synchronized void applied(AppliedRange range, ChainState state) {
        Checkpoint cp = state.checkpoint().orElseThrow();
        Set<Key> keys = new LinkedHashSet<>();
        range.positions().forEach(p -> keys.add(new Key(p.marketId(), p.account())));
        for (MarketRecord m : state.markets()) {
            if (range.tokens().contains(m.params().collateralToken())) {
                state.positions(m.id()).forEach(p -> keys.add(new Key(p.marketId(), p.account())));
            }
        }
        List<Entry> step = new ArrayList<>(keys.size());
        publishUpdates(keys, cp, step);
        last = cp;
        offer(step);
    }

    @Override
    public synchronized void reset(ChainState state) {
        Optional<Checkpoint> cp = state.checkpoint();
        if (!started) {
            started = true; // the state loaded at start: nothing to retract
            last = cp.orElse(null);
            startedFrom = last;
            return;
        }
        if (cp.isEmpty()) {
            return;
        }
        // Everything published above the ancestor is void; the positions it touched get their
        // values again.
        Set<Key> touched = new LinkedHashSet<>();
        long orphaned = last == null ? 0 : Math.max(0, last.number() - cp.get().number());
        for (int i = 0; i < journal.size(); i++) {
            Entry e = journal.get(i);
            if (e.updated() && e.cursor().getBlockNumber() > cp.get().number()) {
                touched.add(new Key(e.marketId(), e.account()));
            }
        }
        Cursor ancestor = cursor(cp.get());
        List<Entry> step = new ArrayList<>(touched.size() + 1);
        journal(
                new Entry(
                        PositionEvent.newBuilder()
                                .setCursor(next(cp.get()))
                                .setRetracted(
                                        Retraction.newBuilder()
                                                .setCommonAncestor(ancestor)
                                                .setOrphanedBlocks(orphaned))
                                .build(),
                        null,
                        null,
                        null),
                step);
        publishUpdates(touched, cp.get(), step);
        last = cp.get();
        offer(step);
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
    synchronized void subscribe(PositionSubscription<?> subscription, Cursor resumeAfter) {
        int from = resumeAfter == null ? -1 : resumeFrom(resumeAfter);
        if (from >= 0) {
            if (subscription.tracksRemovals()) {
                List<PositionRisk> current = new ArrayList<>();
                engine.markets().forEach(m -> current.addAll(engine.positions(m.marketId())));
                subscription.resumed(current);
            }
            for (int i = from; i < journal.size(); i++) {
                subscription.replay(journal.get(i));
            }
            subscription.heartbeat(
                    new Entry(heartbeatEvent(), null, null, null)); // the client knows it resumed
        } else {
            List<PositionRisk> current = new ArrayList<>();
            engine.markets().forEach(m -> current.addAll(engine.positions(m.marketId())));
            Checkpoint cp = engine.asOf().orElse(last);
            subscription.snapshot(current, cp == null ? Cursor.getDefaultInstance() : next(cp));
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
                && c.getBlockNumber() == startedFrom.number()
                && c.getBlockHash().equalsIgnoreCase(cursor(startedFrom).getBlockHash())) {
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
                : cursor(last).toBuilder().setSequence(sequence).setStepEnd(true).build();
    }

    private void publishUpdates(Set<Key> keys, Checkpoint cp, List<Entry> step) {
        for (Key k : keys) {
            engine.risk(k.market(), k.account())
                    .ifPresent(
                            risk ->
                                    journal(
                                            new Entry(
                                                    PositionEvent.newBuilder()
                                                            .setCursor(next(cp))
                                                            .setUpdated(ApiProtos.position(risk))
                                                            .build(),
                                                    k.market(),
                                                    k.account(),
                                                    risk),
                                            step));
        }
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
        subscriptions.removeIf(
                PositionSubscription::isClosed); // ended for being slow, or by the node
        for (Entry e : step) {
            e.compact(); // every subscriber has what it sends for the event: keep only its bytes
        }
    }

    /**
     * Under the feed's lock, so a heartbeat never carries a cursor older than an event queued
     * before it.
     */
    private synchronized void heartbeat() {
        Entry beat = new Entry(heartbeatEvent(), null, null, null);
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

    private Cursor next(Checkpoint cp) {
        return cursor(cp).toBuilder().setSequence(++sequence).build();
    }

    static Cursor cursor(Checkpoint cp) {
        return ApiProtos.cursor(cp);
    }

    /** A position of a step, in the order its events are published. */
    private record Key(MarketId market, Address account) {}

    static String key(MarketId market, Address account) {
        return market.hex() + "/" + account.hex();
    }

    /**
     * The servers are stopping: end every stream now (clients resume from their cursor elsewhere or
     * after the restart) rather than hold the gRPC server's shutdown until its grace period runs
     * out.
     */
    @EventListener
    void onServerShutdown(ServerShutdownEvent event) {
        subscriptions.forEach(PositionSubscription::close);
        subscriptions.clear();
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        subscriptions.forEach(PositionSubscription::close);
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
