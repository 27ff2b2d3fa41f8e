package io.freehold.sdk.internal;

import io.freehold.sdk.FreeholdException;
import java.util.List;

/** Not public API. Where a watch's events go: an observer, or the queue behind an iterator. */
public interface EventSink<T> {

    /**
     * Delivers {@code events}; runs {@code requestMore} once ready for the next message (now or
     * later).
     */
    void deliver(List<T> events, Runnable requestMore);

    /** The watch ended for good. */
    void failed(FreeholdException error);

    /** The watch will reconnect. */
    void reconnecting(FreeholdException cause, int attempt);

    /** The watch was closed by the caller. */
    void closed();
}
