package io.freehold.sdk;

import java.util.Optional;

/**
 * A running watch: where it stands, and how to stop it. Closing is idempotent and ends the watch
 * without an error.
 *
 * <pre>{@code
 * Subscription s = client.liquidations().watchOpportunities(OpportunityQuery.liquidatable(), bot::onEvent);
 * // ... later, e.g. at shutdown: persist where to resume, then stop
 * s.lastCursor().ifPresent(store::save);
 * s.close();
 * }</pre>
 */
public interface Subscription extends AutoCloseable {

    /** The cursor of the last event delivered whole (resumable), empty before the first. */
    Optional<Cursor> lastCursor();

    /** Stops the watch: no events or errors follow. */
    @Override
    void close();
}
