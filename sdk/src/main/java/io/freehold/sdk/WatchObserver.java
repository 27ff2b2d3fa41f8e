package io.freehold.sdk;

/**
 * Receives a watch's events, one at a time, on a gRPC thread: the next event is not requested from
 * the node until {@link #onEvent} returns, so a slow observer slows the stream rather than filling
 * memory. Only {@link #onEvent} is required.
 *
 * <pre>{@code
 * Subscription s = client.watchPositions(PositionQuery.all(), null, new WatchObserver<>() {
 *     public void onEvent(PositionEvent e) { System.out.println(e); }
 *     public void onReconnecting(FreeholdException cause, int attempt) { log.warn("reconnecting", cause); }
 * });
 * }</pre>
 *
 * @param <T> {@link PositionEvent} or {@link OpportunityEvent}
 */
@FunctionalInterface
public interface WatchObserver<T> {

    void onEvent(T event);

    /**
     * The watch ended for good: the query is invalid, the token is refused, or {@link #onEvent}
     * threw. Not called after {@link Subscription#close()}.
     */
    default void onError(FreeholdException error) {}

    /**
     * The connection dropped or the node went away; the watch will reconnect and resume from its
     * cursor.
     */
    default void onReconnecting(FreeholdException cause, int attempt) {}
}
