package io.freehold.node.api;

import com.google.rpc.Code;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.SnapshotEnd;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.stub.ServerCallStreamObserver;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One {@code WatchPositions} client: its filter, and a bounded queue drained only as fast as the
 * client reads (gRPC's flow control: {@code isReady} and the on-ready handler). A client that stops
 * reading fills its queue and is ended with RESOURCE_EXHAUSTED (SLOW_CONSUMER): memory per client
 * is bounded, and the client resumes from the last cursor it received.
 *
 * <p>What is sent for an event of the journal is computed once for every subscriber (its {@link
 * Frame}, so the gRPC streams write the same bytes). A batched subscriber gets each step's events
 * as one message whose cursor is the step's last; subscribers with the same fixed filter share that
 * message too.
 */
final class PositionSubscription<T> {

    /**
     * What the client receives, as T: for events of its own, for the journal's shared events, and
     * batches.
     */
    interface View<T> {

        /**
         * For an event built for this subscriber alone (snapshot, snapshot end, removal); empty:
         * nothing.
         */
        Optional<T> of(PositionEvent event);

        /** For a journal entry (or a heartbeat) that other subscribers may get too. */
        default Optional<T> shared(StreamFeed.Entry entry) {
            return of(entry.event());
        }

        /**
         * One message holding {@code items} in order, at {@code cursor}; only for batching views.
         */
        default T batch(Cursor cursor, List<T> items) {
            throw new UnsupportedOperationException("this view does not batch");
        }

        /** Positions sent as they are (the Server-Sent Events routes, tests). */
        static <T> View<T> of(Function<PositionEvent, Optional<T>> view) {
            return view::apply;
        }

        /** Positions as frames: an event of the journal is serialized once for every stream. */
        View<Frame<PositionEvent>> POSITION_FRAMES =
                new View<>() {
                    @Override
                    public Optional<Frame<PositionEvent>> of(PositionEvent event) {
                        return Optional.of(Frame.of(event, PositionEvent.parser()));
                    }

                    @Override
                    public Optional<Frame<PositionEvent>> shared(StreamFeed.Entry entry) {
                        return Optional.of(entry.frame());
                    }

                    @Override
                    public Frame<PositionEvent> batch(
                            Cursor cursor, List<Frame<PositionEvent>> items) {
                        return Frame.batch(
                                cursor,
                                PositionEvent.BATCH_FIELD_NUMBER,
                                items,
                                PositionEvent.parser());
                    }
                };

        /**
         * Opportunities as frames: an event's opportunity is computed and serialized once for every
         * stream.
         */
        static View<Frame<OpportunityEvent>> opportunityFrames(
                Function<PositionEvent, Optional<OpportunityEvent>> view) {
            return new View<>() {
                @Override
                public Optional<Frame<OpportunityEvent>> of(PositionEvent event) {
                    return view.apply(event).map(o -> Frame.of(o, OpportunityEvent.parser()));
                }

                @Override
                public Optional<Frame<OpportunityEvent>> shared(StreamFeed.Entry entry) {
                    return entry.opportunity(view);
                }

                @Override
                public Frame<OpportunityEvent> batch(
                        Cursor cursor, List<Frame<OpportunityEvent>> items) {
                    return Frame.batch(
                            cursor,
                            OpportunityEvent.BATCH_FIELD_NUMBER,
                            items,
                            OpportunityEvent.parser());
                }
            };
        }
    }

    /** A queued message and how many events it holds (a batch counts each). */
    private record Queued<T>(T item, int events) {}

    /** A step's message for a batched subscriber, and the events it counts for (at least 1). */
    private record Batch<T>(T message, int events) {}

    private final MarketId market;
    private final Address owner;
    private final BigInteger healthBelow;
    private final ServerCallStreamObserver<T> observer;
    // What the client receives for each position event, computed when the event is queued (so it is
    // valued
    // as of the event, not as of whenever the client reads it); empty: nothing to send.
    private final View<T> view;
    private final boolean batched;
    // Subscribers whose batches are the same (same view, same fixed filter) share one: this is its
    // key.
    private final Object batchKey;
    private final int capacity;
    private final ArrayDeque<Queued<T>> queue = new ArrayDeque<>();
    private int queuedEvents;
    private final Set<String> visible = new HashSet<>(); // positions the client holds as matching
    private volatile long lastSentNanos = System.nanoTime();
    private boolean closed;

    /** A position stream: events sent as they are. */
    static PositionSubscription<PositionEvent> ofPositions(
            MarketId market,
            Address owner,
            BigInteger healthBelow,
            ServerCallStreamObserver<PositionEvent> observer,
            int capacity) {
        return new PositionSubscription<>(
                market, owner, healthBelow, observer, View.of(Optional::of), false, capacity);
    }

    /**
     * @param batched each step's events as one message ({@code view} must batch)
     */
    PositionSubscription(
            MarketId market,
            Address owner,
            BigInteger healthBelow,
            ServerCallStreamObserver<T> observer,
            View<T> view,
            boolean batched,
            int capacity) {
        this.view = view;
        this.batched = batched;
        this.market = market;
        this.owner = owner;
        this.healthBelow = healthBelow;
        this.observer = observer;
        this.capacity = capacity;
        // Without a health threshold a position matches or not for good: no removals, so the batch
        // is the
        // same for every subscriber with this view and these market and owner filters.
        this.batchKey =
                batched && healthBelow == null
                        ? List.of(view, String.valueOf(market), String.valueOf(owner))
                        : null;
        observer.setOnReadyHandler(this::drain);
    }

    /** The initial (or resync) snapshot: every matching position, then the end marker. */
    synchronized void snapshot(List<StreamPosition> positions, Cursor cursor) {
        int n = 0;
        for (StreamPosition p : positions) {
            if (matches(p) && p.holdsAnything()) {
                visible.add(StreamFeed.key(p.marketId(), p.account()));
                enqueue(
                        view.of(
                                PositionEvent.newBuilder()
                                        .setCursor(cursor)
                                        .setSnapshot(p.message().get())
                                        .build()));
                n++;
            }
        }
        enqueue(
                view.of(
                        PositionEvent.newBuilder()
                                .setCursor(cursor)
                                .setSnapshotEnd(SnapshotEnd.newBuilder().setPositions(n))
                                .build()));
        drain();
    }

    /**
     * A resuming client: before the journal is replayed to it, it may hold any position that
     * matches now (so later changes that take one out of the filter send a removal).
     */
    synchronized void resumed(List<StreamPosition> current) {
        for (StreamPosition p : current) {
            if (matches(p)) {
                visible.add(StreamFeed.key(p.marketId(), p.account()));
            }
        }
    }

    /**
     * An event from the journal, for a resuming client (one message per event, batched or not). A
     * position that no longer matches gets a removal whether or not this subscription sent it: the
     * client may have it from before it reconnected.
     */
    synchronized void replay(StreamFeed.Entry entry) {
        if (!entry.retracted()) {
            visible.add(entry.key());
        }
        route(entry, null, true);
    }

    /** A live event (a step of one). */
    synchronized void offer(StreamFeed.Entry entry) {
        route(entry, null, tracksRemovals());
        drain();
    }

    /**
     * The events of one step, live, ending at {@code end} (the step's last cursor, marked as a
     * step's end). A batched client gets one message for the step, with no events if none matches.
     * {@code shared} is the step's cache of batches for subscribers that share a filter (the
     * feed's, one per step).
     */
    synchronized void offer(List<StreamFeed.Entry> step, Cursor end, Map<Object, Object> shared) {
        boolean track = tracksRemovals();
        if (!batched) {
            for (StreamFeed.Entry e : step) {
                route(e, null, track);
            }
        } else {
            @SuppressWarnings("unchecked")
            Batch<T> batch = batchKey == null ? null : (Batch<T>) shared.get(batchKey);
            if (batch == null) {
                // The first subscriber with this filter in this step routes the step (the others
                // would route it alike: no removals without a health threshold) and leaves the
                // batch for them.
                List<T> items = new ArrayList<>();
                for (StreamFeed.Entry e : step) {
                    route(e, items, track);
                }
                batch = new Batch<>(view.batch(end, items), Math.max(1, items.size()));
                if (batchKey != null) {
                    shared.put(batchKey, batch);
                }
            }
            enqueue(batch.message(), batch.events());
        }
        drain();
    }

    /**
     * Whether a position can leave the filter (a health threshold): then a resume needs what
     * matches now.
     */
    boolean tracksRemovals() {
        return healthBelow != null;
    }

    /** A heartbeat (with the current cursor), whether or not the stream was quiet. */
    synchronized void heartbeat(StreamFeed.Entry beat) {
        enqueue(view.shared(beat));
        drain();
    }

    /**
     * The heartbeat timer's tick at {@code nowNanos}: a heartbeat if the stream is quiet (see
     * {@link #heartbeatDue}).
     */
    synchronized void heartbeatIfQuiet(
            StreamFeed.Entry beat, long nowNanos, long intervalNanos, long tickNanos) {
        if (queue.isEmpty() && heartbeatDue(nowNanos, lastSentNanos, intervalNanos, tickNanos)) {
            enqueue(view.shared(beat));
        }
        drain(); // also a safety net should a readiness signal have been missed
    }

    /**
     * Whether a stream last sent to at {@code lastSentNanos} needs a heartbeat at a tick at {@code
     * nowNanos}, with ticks {@code tickNanos} apart: once it has been quiet for the interval less
     * one tick. The next tick would come too late: the gap would exceed the interval.
     */
    static boolean heartbeatDue(
            long nowNanos, long lastSentNanos, long intervalNanos, long tickNanos) {
        return nowNanos - lastSentNanos >= intervalNanos - tickNanos;
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                observer.onCompleted();
            } catch (RuntimeException e) {
                // the call is already gone
            }
        }
    }

    /**
     * Routes a journal entry: to {@code batch} if given, else queued as its own message. {@code
     * track}: keep the positions the client holds, to send a removal when one leaves the filter;
     * without a health threshold a position never leaves it once the client is live, so a live
     * stream without one skips the bookkeeping (a replay keeps it: see {@link #replay}).
     */
    private void route(StreamFeed.Entry entry, List<T> batch, boolean track) {
        if (entry.retracted()) {
            add(view.shared(entry), batch);
            return;
        }
        if (matches(entry.marketId(), entry.account(), entry.debt(), entry.healthFactor())) {
            if (track) {
                visible.add(entry.key());
            }
            add(view.shared(entry), batch);
        } else if (track && visible.remove(entry.key())) {
            add(view.of(entry.removal()), batch);
        }
    }

    private void add(Optional<T> item, List<T> batch) {
        if (batch == null) {
            enqueue(item);
        } else {
            item.ifPresent(batch::add);
        }
    }

    private boolean matches(StreamPosition p) {
        return matches(p.marketId(), p.account(), p.debt(), p.healthFactor());
    }

    private boolean matches(MarketId m, Address account, BigInteger debt, BigInteger healthFactor) {
        if (market != null && !market.equals(m)) {
            return false;
        }
        if (owner != null && !owner.equals(account)) {
            return false;
        }
        return healthBelow == null
                || (debt.signum() > 0 && healthFactor.compareTo(healthBelow) < 0);
    }

    private void enqueue(Optional<T> item) {
        item.ifPresent(i -> enqueue(i, 1));
    }

    private void enqueue(T item, int events) {
        if (closed) {
            return;
        }
        if (queuedEvents > 0 && queuedEvents + events > capacity) {
            closed = true;
            queue.clear();
            queuedEvents = 0;
            observer.onError(
                    new ApiException(
                                    Code.RESOURCE_EXHAUSTED,
                                    "SLOW_CONSUMER",
                                    null,
                                    "the stream's buffer filled"
                                            + " because the client is not reading; reconnect with the last cursor")
                            .with("buffer", Integer.toString(capacity))
                            .toStatus());
            return;
        }
        queue.addLast(new Queued<>(item, events));
        queuedEvents += events;
    }

    synchronized void drain() {
        while (!closed && !queue.isEmpty() && observer.isReady()) {
            Queued<T> next = queue.removeFirst();
            queuedEvents -= next.events();
            observer.onNext(next.item());
            lastSentNanos = System.nanoTime();
        }
    }

    /** Events waiting for the client (read without the lock: a gauge's sample). */
    int queued() {
        return queuedEvents;
    }

    boolean isClosed() {
        return closed;
    }
}
