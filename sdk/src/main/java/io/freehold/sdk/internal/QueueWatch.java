package io.freehold.sdk.internal;

import io.freehold.sdk.Cursor;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.Subscription;
import io.freehold.sdk.Watch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Not public API. A watch as a blocking iterator over a bounded queue: messages are requested from
 * the node only while fewer than {@link #HIGH_WATER} events wait, so a caller that stops reading
 * makes the node hold back (and, past its own buffer, shed the stream, which then resumes from the
 * cursor).
 */
public final class QueueWatch<T> implements Watch<T>, EventSink<T> {

    static final int HIGH_WATER = 1024;

    private final Deque<T> events = new ArrayDeque<>();
    private Subscription stream;
    private Runnable owedRequest;
    private FreeholdException failure;
    private boolean ended;

    /** Attaches the stream this queue is fed by (once, before it starts). */
    public void attach(Subscription stream) {
        this.stream = stream;
    }

    @Override
    public synchronized void deliver(List<T> batch, Runnable requestMore) {
        if (ended) {
            return;
        }
        events.addAll(batch);
        if (events.size() < HIGH_WATER) {
            requestMore.run();
        } else {
            owedRequest = requestMore; // asked for again once the caller has read some
        }
        notifyAll();
    }

    @Override
    public synchronized void failed(FreeholdException error) {
        failure = error;
        ended = true;
        notifyAll();
    }

    @Override
    public void reconnecting(FreeholdException cause, int attempt) {}

    @Override
    public synchronized void closed() {
        ended = true;
        events.clear();
        notifyAll();
    }

    @Override
    public synchronized boolean hasNext() {
        try {
            while (events.isEmpty() && !ended) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (events.isEmpty() && failure != null) {
            throw failure;
        }
        return !events.isEmpty();
    }

    @Override
    public synchronized T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the watch is closed");
        }
        return take();
    }

    @Override
    public synchronized Optional<T> poll(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        try {
            while (events.isEmpty() && !ended) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (events.isEmpty() && failure != null) {
            throw failure;
        }
        return events.isEmpty() ? Optional.empty() : Optional.of(take());
    }

    private T take() {
        T e = events.removeFirst();
        if (owedRequest != null && events.size() < HIGH_WATER / 2) {
            Runnable r = owedRequest;
            owedRequest = null;
            r.run();
        }
        return e;
    }

    @Override
    public Optional<Cursor> lastCursor() {
        return stream.lastCursor();
    }

    @Override
    public void close() {
        stream.close();
    }
}
