package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * What a position watch delivers ({@link FreeholdClient#watchPositions(PositionQuery)}): first a
 * {@link Snapshot} of every matching position and one {@link InSync}, then a {@link Updated} or
 * {@link Removed} for every change, a {@link Retracted} when a reorg orphans blocks it reported.
 * Every event carries the {@link Cursor} to resume after.
 *
 * <p>After a dropped connection or a restart of the node the watch resumes by itself: nothing is
 * missed and nothing is delivered twice. When the node can no longer replay from the cursor it
 * sends a fresh snapshot; the watch compares it with what it has delivered and passes on only the
 * differences (as {@link Updated} and {@link Removed}), so the watch holds a copy of each matching
 * position.
 *
 * <pre>{@code
 * try (Watch<PositionEvent> watch = client.watchPositions(PositionQuery.all())) {
 *     while (watch.hasNext()) {
 *         PositionEvent e = watch.next();
 *         if (e instanceof PositionEvent.Updated u) {
 *             System.out.println(u.position().account() + " now " + u.position().healthFactor());
 *         }
 *     }
 * }
 * }</pre>
 */
public sealed interface PositionEvent {

    /**
     * Resume after this (e.g. {@link FreeholdClient#watchPositions(PositionQuery, Cursor)} after a
     * restart).
     */
    Cursor cursor();

    /** One matching position of the initial snapshot. */
    record Snapshot(Position position, Cursor cursor) implements PositionEvent {
        public Snapshot {
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** The initial snapshot is complete ({@code positions} of them); changes follow. */
    record InSync(long positions, Cursor cursor) implements PositionEvent {
        public InSync {
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** The position changed, or newly matches the query. */
    record Updated(Position position, Cursor cursor) implements PositionEvent {
        public Updated {
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /**
     * The position no longer matches the query (e.g. repaid above its health filter, or emptied).
     */
    record Removed(MarketId marketId, Address account, Cursor cursor) implements PositionEvent {
        public Removed {
            Objects.requireNonNull(marketId, "marketId");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /**
     * A reorg: what was reported for blocks after {@code commonAncestor} is withdrawn ({@code
     * orphanedBlocks} of them); updates for the new branch follow.
     */
    record Retracted(Cursor commonAncestor, long orphanedBlocks, Cursor cursor)
            implements PositionEvent {
        public Retracted {
            Objects.requireNonNull(commonAncestor, "commonAncestor");
            Objects.requireNonNull(cursor, "cursor");
        }
    }
}
