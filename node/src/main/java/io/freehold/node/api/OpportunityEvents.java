package io.freehold.node.api;

import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionEvent;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code WatchOpportunities} as a view of a position stream, whatever the protocol: a snapshot or
 * update of a position becomes its opportunity (the protocol's sizing), a removal {@code gone}, and
 * the snapshot end, retractions and heartbeats pass through with their cursors.
 */
public final class OpportunityEvents {

    private OpportunityEvents() {}

    /**
     * @param opportunity what a liquidation of the position would move (empty: nothing to send)
     */
    public static Function<PositionEvent, Optional<OpportunityEvent>> view(
            Function<Position, Optional<LiquidationOpportunity>> opportunity) {
        return e -> of(e, opportunity);
    }

    static Optional<OpportunityEvent> of(
            PositionEvent e, Function<Position, Optional<LiquidationOpportunity>> opportunity) {
        OpportunityEvent.Builder out = OpportunityEvent.newBuilder().setCursor(e.getCursor());
        if (e.hasSnapshot() || e.hasUpdated()) {
            Position p = e.hasSnapshot() ? e.getSnapshot() : e.getUpdated();
            Optional<LiquidationOpportunity> o = opportunity.apply(p);
            if (o.isEmpty()) {
                return Optional.empty();
            }
            if (e.hasSnapshot()) {
                out.setSnapshot(o.get());
            } else {
                out.setOpportunity(o.get());
            }
        } else if (e.hasSnapshotEnd()) {
            out.setSnapshotEnd(e.getSnapshotEnd());
        } else if (e.hasRemoved()) {
            out.setGone(e.getRemoved());
        } else if (e.hasRetracted()) {
            out.setRetracted(e.getRetracted());
        } else if (e.hasHeartbeat()) {
            out.setHeartbeat(e.getHeartbeat());
        } else {
            return Optional.empty();
        }
        return Optional.of(out.build());
    }
}
