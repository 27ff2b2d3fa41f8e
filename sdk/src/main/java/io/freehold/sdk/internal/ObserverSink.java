package io.freehold.sdk.internal;

import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.WatchObserver;
import java.util.List;

/**
 * Not public API. Hands events to a {@link WatchObserver}; the next message is requested when it
 * returns.
 */
public final class ObserverSink<T> implements EventSink<T> {

    private final WatchObserver<T> observer;

    public ObserverSink(WatchObserver<T> observer) {
        this.observer = observer;
    }

    @Override
    public void deliver(List<T> events, Runnable requestMore) {
        for (T e : events) {
            observer.onEvent(e);
        }
        requestMore.run();
    }

    @Override
    public void failed(FreeholdException error) {
        observer.onError(error);
    }

    @Override
    public void reconnecting(FreeholdException cause, int attempt) {
        observer.onReconnecting(cause, attempt);
    }

    @Override
    public void closed() {}
}
