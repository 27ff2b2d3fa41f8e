package io.freehold.node.api;

import com.google.rpc.Code;
import io.freehold.node.risk.PositionRisk;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.Heartbeat;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionRemoved;
import io.freehold.proto.v1.SnapshotEnd;
import io.grpc.stub.ServerCallStreamObserver;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One {@code WatchPositions} client: its filter, and a bounded queue drained only as fast as the client
 * reads (gRPC's flow control: {@code isReady} and the on-ready handler). A client that stops reading fills
 * its queue and is ended with RESOURCE_EXHAUSTED (SLOW_CONSUMER): memory per client is bounded, and the
 * client resumes from the last cursor it received.
 */
final class PositionSubscription<T> {

    private final MarketId market;
    private final Address owner;
    private final BigInteger healthBelow;
    private final ServerCallStreamObserver<T> observer;
    // What the client receives for each position event, computed when the event is queued (so it is valued
    // as of the event, not as of whenever the client reads it); empty: nothing to send.
    private final Function<PositionEvent, Optional<T>> view;
    private final int capacity;
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final Set<String> visible = new HashSet<>(); // positions the client holds as matching
    private volatile long lastSentNanos = System.nanoTime();
    private boolean closed;

    /** A position stream: events sent as they are. */
    static PositionSubscription<PositionEvent> ofPositions(MarketId market, Address owner, BigInteger healthBelow,
            ServerCallStreamObserver<PositionEvent> observer, int capacity) {
        return new PositionSubscription<>(market, owner, healthBelow, observer, Optional::of, capacity);
    }

    PositionSubscription(MarketId market, Address owner, BigInteger healthBelow, ServerCallStreamObserver<T> observer,
            Function<PositionEvent, Optional<T>> view, int capacity) {
        this.view = view;
        this.market = market;
        this.owner = owner;
        this.healthBelow = healthBelow;
        this.observer = observer;
        this.capacity = capacity;
        observer.setOnReadyHandler(this::drain);
    }

    /** The initial (or resync) snapshot: every matching position, then the end marker. */
    synchronized void snapshot(List<PositionRisk> positions, Cursor cursor) {
        int n = 0;
        for (PositionRisk p : positions) {
            if (matches(p.marketId(), p.account(), p) && hasAnything(p)) {
                visible.add(PositionFeed.key(p.marketId(), p.account()));
                enqueue(PositionEvent.newBuilder().setCursor(cursor).setSnapshot(ApiProtos.position(p)).build());
                n++;
            }
        }
        enqueue(PositionEvent.newBuilder().setCursor(cursor).setSnapshotEnd(SnapshotEnd.newBuilder().setPositions(n))
                .build());
        drain();
    }

    /**
     * A resuming client: before the journal is replayed to it, it may hold any position that matches now
     * (so later changes that take one out of the filter send a removal).
     */
    synchronized void resumed(List<PositionRisk> current) {
        for (PositionRisk p : current) {
            if (matches(p.marketId(), p.account(), p)) {
                visible.add(PositionFeed.key(p.marketId(), p.account()));
            }
        }
    }

    /**
     * An event from the journal, for a resuming client. A position that no longer matches gets a removal
     * whether or not this subscription sent it: the client may have it from before it reconnected.
     */
    synchronized void replay(PositionFeed.Entry entry) {
        if (!entry.event().hasRetracted()) {
            visible.add(PositionFeed.key(entry.marketId(), entry.account()));
        }
        route(entry);
    }

    /** A live event. */
    synchronized void offer(PositionFeed.Entry entry) {
        route(entry);
        drain();
    }

    synchronized void heartbeatIfQuiet(Cursor cursor, long quietNanos) {
        if (queue.isEmpty() && System.nanoTime() - lastSentNanos >= quietNanos) {
            enqueue(PositionEvent.newBuilder().setCursor(cursor).setHeartbeat(Heartbeat.getDefaultInstance()).build());
        }
        drain(); // also a safety net should a readiness signal have been missed
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

    private void route(PositionFeed.Entry entry) {
        PositionEvent e = entry.event();
        if (e.hasRetracted()) {
            enqueue(e);
            return;
        }
        String key = PositionFeed.key(entry.marketId(), entry.account());
        if (matches(entry.marketId(), entry.account(), entry.risk())) {
            visible.add(key);
            enqueue(e);
        } else if (visible.remove(key)) {
            enqueue(PositionEvent.newBuilder().setCursor(e.getCursor()).setRemoved(PositionRemoved.newBuilder()
                    .setMarketId(entry.marketId().hex()).setAccount(entry.account().hex())).build());
        }
    }

    private boolean matches(MarketId m, Address account, PositionRisk risk) {
        if (market != null && !market.equals(m)) {
            return false;
        }
        if (owner != null && !owner.equals(account)) {
            return false;
        }
        return healthBelow == null || (risk.debt().signum() > 0 && risk.healthFactor().compareTo(healthBelow) < 0);
    }

    private static boolean hasAnything(PositionRisk p) {
        return p.valuation().supplyShares().signum() > 0 || p.valuation().borrowShares().signum() > 0
                || p.collateral().signum() > 0;
    }

    private void enqueue(PositionEvent event) {
        if (closed) {
            return;
        }
        Optional<T> item = view.apply(event);
        if (item.isEmpty()) {
            return;
        }
        if (queue.size() >= capacity) {
            closed = true;
            queue.clear();
            observer.onError(new ApiException(Code.RESOURCE_EXHAUSTED, "SLOW_CONSUMER", null, "the stream's buffer filled"
                    + " because the client is not reading; reconnect with the last cursor")
                    .with("buffer", Integer.toString(capacity)).toStatus());
            return;
        }
        queue.addLast(item.get());
    }

    synchronized void drain() {
        while (!closed && !queue.isEmpty() && observer.isReady()) {
            observer.onNext(queue.removeFirst());
            lastSentNanos = System.nanoTime();
        }
    }

    /** Events waiting for the client (read without the lock: a gauge's sample). */
    int queued() {
        return queue.size();
    }

    boolean isClosed() {
        return closed;
    }
}
