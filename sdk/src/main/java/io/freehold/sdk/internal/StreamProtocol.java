package io.freehold.sdk.internal;

import io.freehold.proto.v1.Cursor;
import java.util.List;

/**
 * Not public API. How one kind of watch speaks: the request (resuming after a cursor or not), and
 * the turn from the node's events into the SDK's, which is where what the client already holds is
 * kept.
 *
 * @param <Q> the request message
 * @param <R> the node's event message
 * @param <T> the SDK's event type
 */
public interface StreamProtocol<Q, R, T> {

    /** The request; {@code resumeAfter} is null for a fresh start. */
    Q request(Cursor resumeAfter);

    /** The SDK's events for one of the node's (none for a heartbeat). */
    List<T> translate(R event);

    /** The event's cursor. */
    Cursor cursor(R event);

    /**
     * Whether a stream may resume after this event's cursor: not from inside a snapshot, where the
     * node would continue with changes and the rest of the snapshot would be missed.
     */
    boolean resumable(R event);
}
