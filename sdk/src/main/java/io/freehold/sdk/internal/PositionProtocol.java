package io.freehold.sdk.internal;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.freehold.sdk.PositionEvent.InSync;
import io.freehold.sdk.PositionEvent.Removed;
import io.freehold.sdk.PositionEvent.Retracted;
import io.freehold.sdk.PositionEvent.Snapshot;
import io.freehold.sdk.PositionEvent.Updated;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.ArrayList;
import java.util.List;

/**
 * Not public API. WatchPositions: the node's events turned into the SDK's, resyncs into
 * differences.
 */
public final class PositionProtocol
        implements StreamProtocol<
                WatchPositionsRequest, PositionEvent, io.freehold.sdk.PositionEvent> {

    private final PositionFilter filter;
    private final HeldValues<io.freehold.proto.v1.Position> held = new HeldValues<>();

    public PositionProtocol(PositionFilter filter) {
        this.filter = filter;
    }

    @Override
    public WatchPositionsRequest request(Cursor resumeAfter) {
        // Batched: a step's changes come as one message (a node that predates batches ignores the
        // field and
        // sends them one by one; both are handled below).
        WatchPositionsRequest.Builder b =
                WatchPositionsRequest.newBuilder().setFilter(filter).setBatched(true);
        if (resumeAfter != null) {
            b.setResumeAfter(resumeAfter);
        }
        return b.build();
    }

    @Override
    public List<io.freehold.sdk.PositionEvent> translate(PositionEvent e) {
        io.freehold.sdk.Cursor cursor = ProtoConverter.cursor(e.getCursor());
        List<io.freehold.sdk.PositionEvent> out = new ArrayList<>(1);
        switch (e.getEventCase()) {
            case SNAPSHOT -> {
                io.freehold.proto.v1.Position p = e.getSnapshot();
                switch (held.snapshot(key(p.getMarketId(), p.getAccount()), withoutCursor(p))) {
                    case NEW_IN_FIRST_SNAPSHOT ->
                            out.add(new Snapshot(ProtoConverter.position(p), cursor));
                    case CHANGED -> out.add(new Updated(ProtoConverter.position(p), cursor));
                    case UNCHANGED -> {}
                }
            }
            case SNAPSHOT_END -> {
                for (String k : held.snapshotEnded()) {
                    out.add(
                            new Removed(
                                    MarketId.fromHex(k.substring(0, 66)),
                                    Address.fromHex(k.substring(67)),
                                    cursor));
                }
                if (held.markSynced()) {
                    out.add(new InSync(e.getSnapshotEnd().getPositions(), cursor));
                }
            }
            case UPDATED -> {
                io.freehold.proto.v1.Position p = e.getUpdated();
                held.updated(key(p.getMarketId(), p.getAccount()), withoutCursor(p));
                out.add(new Updated(ProtoConverter.position(p), cursor));
            }
            case REMOVED -> {
                if (held.removed(key(e.getRemoved().getMarketId(), e.getRemoved().getAccount()))) {
                    out.add(
                            new Removed(
                                    MarketId.fromHex(e.getRemoved().getMarketId()),
                                    Address.fromHex(e.getRemoved().getAccount()),
                                    cursor));
                }
            }
            case RETRACTED ->
                    out.add(
                            new Retracted(
                                    ProtoConverter.cursor(e.getRetracted().getCommonAncestor()),
                                    e.getRetracted().getOrphanedBlocks(),
                                    cursor));
            case BATCH -> { // one step's changes, each with its own cursor: handed on one by one,
                // in order
                for (PositionEvent inner : e.getBatch().getEventsList()) {
                    if (inner.hasBatch() || inner.hasSnapshot()) {
                        throw new IllegalArgumentException(
                                "a batch holds changes only, not " + inner.getEventCase());
                    }
                    out.addAll(translate(inner));
                }
            }
            default -> {} // heartbeats (and kinds newer than this SDK) only move the cursor
        }
        return out;
    }

    @Override
    public Cursor cursor(PositionEvent event) {
        return event.getCursor();
    }

    @Override
    public boolean resumable(PositionEvent event) {
        return !event.hasSnapshot();
    }

    static String key(String marketId, String account) {
        return marketId.toLowerCase(java.util.Locale.ROOT)
                + "/"
                + account.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The position's values alone: a snapshot taken at a later block with the same values is not a
     * change.
     */
    private static io.freehold.proto.v1.Position withoutCursor(io.freehold.proto.v1.Position p) {
        return p.toBuilder().clearAsOf().clearAsOfTimestamp().build();
    }
}
