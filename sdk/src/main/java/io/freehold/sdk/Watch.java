package io.freehold.sdk;

import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;

/**
 * A watch as a blocking iterator: {@link #next()} waits for the next event; {@link #hasNext()} is
 * false once the watch is closed. A failure the watch cannot recover from (a bad query, a revoked
 * token) is thrown from {@code hasNext}/{@code next} as a {@link FreeholdException}; dropped
 * connections and node restarts are not failures, the watch resumes by itself. Events wait in a
 * bounded buffer: a consumer that stops reading makes the node hold back, not this process grow.
 * Not for use by several threads.
 *
 * <pre>{@code
 * try (Watch<OpportunityEvent> watch = client.liquidations().watchOpportunities(OpportunityQuery.liquidatable())) {
 *     for (OpportunityEvent e : (Iterable<OpportunityEvent>) () -> watch) {
 *         handle(e);
 *     }
 * }
 * }</pre>
 *
 * @param <T> {@link PositionEvent} or {@link OpportunityEvent}
 */
public interface Watch<T> extends Iterator<T>, Subscription {

    /** The next event if one comes within {@code timeout}; empty on timeout or once closed. */
    Optional<T> poll(Duration timeout);
}
