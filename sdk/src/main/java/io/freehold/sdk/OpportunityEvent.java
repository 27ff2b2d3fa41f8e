package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * What an opportunities watch delivers ({@link Liquidations#watchOpportunities(OpportunityQuery)}):
 * the positions that are opportunities now ({@link Snapshot}, then {@link InSync}), then every
 * change ({@link Changed}), every position that stops being one ({@link Gone}), and reorgs ({@link
 * Retracted}). Resumes by itself, without gaps or repeats, as {@link PositionEvent} explains.
 *
 * <pre>{@code
 * client.liquidations().watchOpportunities(OpportunityQuery.liquidatable(), null, event -> {
 *     if (event instanceof OpportunityEvent.Changed c && c.opportunity().liquidatable()) {
 *         bot.consider(c.opportunity());
 *     }
 * });
 * }</pre>
 */
public sealed interface OpportunityEvent {

    /** Resume after this. */
    Cursor cursor();

    /** One opportunity of the initial snapshot. */
    record Snapshot(Opportunity opportunity, Cursor cursor) implements OpportunityEvent {
        public Snapshot {
            Objects.requireNonNull(opportunity, "opportunity");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** The initial snapshot is complete ({@code opportunities} of them); changes follow. */
    record InSync(long opportunities, Cursor cursor) implements OpportunityEvent {
        public InSync {
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** A position became an opportunity, or its opportunity changed. */
    record Changed(Opportunity opportunity, Cursor cursor) implements OpportunityEvent {
        public Changed {
            Objects.requireNonNull(opportunity, "opportunity");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** The position is no longer an opportunity: liquidated, repaid, or the price rose. */
    record Gone(MarketId marketId, Address account, Cursor cursor) implements OpportunityEvent {
        public Gone {
            Objects.requireNonNull(marketId, "marketId");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** A reorg: what was reported for blocks after {@code commonAncestor} is withdrawn. */
    record Retracted(Cursor commonAncestor, long orphanedBlocks, Cursor cursor)
            implements OpportunityEvent {
        public Retracted {
            Objects.requireNonNull(commonAncestor, "commonAncestor");
            Objects.requireNonNull(cursor, "cursor");
        }
    }
}
