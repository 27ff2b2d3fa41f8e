package io.freehold.sdk.internal;

import io.freehold.sdk.Auction;
import io.freehold.sdk.AuctionEvent;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionEvent;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Not public API. Turns a position watch into auction events: it keeps the last auction it
 * delivered per position and hands on what differs (started, changed, ended). Retractions need
 * nothing of their own: the node follows one with the surviving values of the positions it touched,
 * which this compares like any other update. Called by one stream at a time.
 */
public final class AuctionFeed implements EventSink<PositionEvent> {

    private record Key(MarketId marketId, Address account) {}

    private final EventSink<AuctionEvent> sink;
    private final Map<Key, Auction> running = new HashMap<>();

    public AuctionFeed(EventSink<AuctionEvent> sink) {
        this.sink = sink;
    }

    @Override
    public void deliver(List<PositionEvent> events, Runnable requestMore) {
        List<AuctionEvent> out = new ArrayList<>();
        synchronized (running) {
            for (PositionEvent e : events) {
                translate(e, out);
            }
        }
        sink.deliver(out, requestMore);
    }

    private void translate(PositionEvent e, List<AuctionEvent> out) {
        if (e instanceof PositionEvent.Snapshot s) {
            position(s.position(), s, out);
        } else if (e instanceof PositionEvent.Updated u) {
            position(u.position(), u, out);
        } else if (e instanceof PositionEvent.Removed r) {
            Auction last = running.remove(new Key(r.marketId(), r.account()));
            if (last != null) {
                out.add(
                        new AuctionEvent.Ended(
                                r.marketId(), r.account(), last, Optional.empty(), r.cursor()));
            }
        } else if (e instanceof PositionEvent.InSync i) {
            out.add(new AuctionEvent.InSync(running.size(), i.cursor()));
        }
    }

    private void position(Position p, PositionEvent e, List<AuctionEvent> out) {
        Key key = new Key(p.marketId(), p.account());
        Optional<Auction> now = p.actionability().auction();
        Auction before = running.get(key);
        if (now.isPresent()) {
            Auction a = now.get();
            running.put(key, a);
            if (before == null || before.auctionId() != a.auctionId()) {
                if (before != null) {
                    out.add(
                            new AuctionEvent.Ended(
                                    p.marketId(), p.account(), before, Optional.of(p), e.cursor()));
                }
                out.add(new AuctionEvent.Started(p, a, e.cursor()));
            } else if (!before.equals(a)) {
                out.add(new AuctionEvent.Changed(p, a, e.cursor()));
            }
        } else if (before != null) {
            running.remove(key);
            out.add(
                    new AuctionEvent.Ended(
                            p.marketId(), p.account(), before, Optional.of(p), e.cursor()));
        }
    }

    @Override
    public void failed(FreeholdException error) {
        sink.failed(error);
    }

    @Override
    public void reconnecting(FreeholdException cause, int attempt) {
        sink.reconnecting(cause, attempt);
    }

    @Override
    public void closed() {
        sink.closed();
    }
}
