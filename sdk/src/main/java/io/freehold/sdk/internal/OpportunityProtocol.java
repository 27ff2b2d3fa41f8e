package io.freehold.sdk.internal;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.sdk.OpportunityEvent.Changed;
import io.freehold.sdk.OpportunityEvent.Gone;
import io.freehold.sdk.OpportunityEvent.InSync;
import io.freehold.sdk.OpportunityEvent.Retracted;
import io.freehold.sdk.OpportunityEvent.Snapshot;
import io.freehold.sdk.OpportunityQuery;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.ArrayList;
import java.util.List;

/**
 * Not public API. WatchOpportunities: the node's events turned into the SDK's, resyncs into
 * differences.
 */
public final class OpportunityProtocol
        implements StreamProtocol<
                WatchOpportunitiesRequest, OpportunityEvent, io.freehold.sdk.OpportunityEvent> {

    private final OpportunityQuery query;
    private final HeldValues<LiquidationOpportunity> held = new HeldValues<>();

    public OpportunityProtocol(OpportunityQuery query) {
        this.query = query;
    }

    @Override
    public WatchOpportunitiesRequest request(Cursor resumeAfter) {
        // Batched, as for positions: a node that predates batches ignores the field.
        WatchOpportunitiesRequest.Builder b =
                WatchOpportunitiesRequest.newBuilder().setBatched(true);
        query.market().ifPresent(m -> b.setMarketId(m.toString()));
        query.healthFactorBelow().ifPresent(w -> b.setHealthFactorBelow(w.raw().toString()));
        if (resumeAfter != null) {
            b.setResumeAfter(resumeAfter);
        }
        return b.build();
    }

    @Override
    public List<io.freehold.sdk.OpportunityEvent> translate(OpportunityEvent e) {
        io.freehold.sdk.Cursor cursor = ProtoConverter.cursor(e.getCursor());
        List<io.freehold.sdk.OpportunityEvent> out = new ArrayList<>(1);
        switch (e.getEventCase()) {
            case SNAPSHOT -> {
                LiquidationOpportunity o = e.getSnapshot();
                switch (held.snapshot(key(o), withoutCursor(o))) {
                    case NEW_IN_FIRST_SNAPSHOT ->
                            out.add(new Snapshot(ProtoConverter.opportunity(o), cursor));
                    case CHANGED -> out.add(new Changed(ProtoConverter.opportunity(o), cursor));
                    case UNCHANGED -> {}
                }
            }
            case SNAPSHOT_END -> {
                for (String k : held.snapshotEnded()) {
                    out.add(
                            new Gone(
                                    MarketId.fromHex(k.substring(0, 66)),
                                    Address.fromHex(k.substring(67)),
                                    cursor));
                }
                if (held.markSynced()) {
                    out.add(new InSync(e.getSnapshotEnd().getPositions(), cursor));
                }
            }
            case OPPORTUNITY -> {
                held.updated(key(e.getOpportunity()), withoutCursor(e.getOpportunity()));
                out.add(new Changed(ProtoConverter.opportunity(e.getOpportunity()), cursor));
            }
            case GONE -> {
                if (held.removed(
                        PositionProtocol.key(
                                e.getGone().getMarketId(), e.getGone().getAccount()))) {
                    out.add(
                            new Gone(
                                    MarketId.fromHex(e.getGone().getMarketId()),
                                    Address.fromHex(e.getGone().getAccount()),
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
                for (OpportunityEvent inner : e.getBatch().getEventsList()) {
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
    public Cursor cursor(OpportunityEvent event) {
        return event.getCursor();
    }

    @Override
    public boolean resumable(OpportunityEvent event) {
        return !event.hasSnapshot();
    }

    private static String key(LiquidationOpportunity o) {
        return PositionProtocol.key(o.getPosition().getMarketId(), o.getPosition().getAccount());
    }

    private static LiquidationOpportunity withoutCursor(LiquidationOpportunity o) {
        return o.toBuilder()
                .setPosition(o.getPosition().toBuilder().clearAsOf().clearAsOfTimestamp())
                .build();
    }
}
