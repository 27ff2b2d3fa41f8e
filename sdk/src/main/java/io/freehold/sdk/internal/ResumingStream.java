package io.freehold.sdk.internal;

import io.freehold.sdk.Cursor;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.Subscription;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Not public API. One server stream that outlives its connections: when the call ends for a reason
 * that can pass (the connection dropped, the node restarted or shed a slow reader, the server ended
 * the call), it calls again after a backoff with full jitter ({@link #backoffMillis}), resuming
 * after the last resumable cursor. Messages are requested one at a time, when the sink is ready, so
 * the node's per-client buffer is the only buffer that can fill.
 */
public final class ResumingStream<Q, R, T> implements Subscription {

    /** Codes after which calling again cannot help: the request or the credentials are wrong. */
    private static final Set<Status.Code> FINAL =
            Set.of(
                    Status.Code.INVALID_ARGUMENT,
                    Status.Code.NOT_FOUND,
                    Status.Code.UNAUTHENTICATED,
                    Status.Code.PERMISSION_DENIED,
                    Status.Code.UNIMPLEMENTED,
                    Status.Code.FAILED_PRECONDITION,
                    Status.Code.OUT_OF_RANGE);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final ScheduledExecutorService RECONNECTS =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "freehold-watch-reconnect");
                        t.setDaemon(true);
                        return t;
                    });

    private final Channel channel;
    private final MethodDescriptor<Q, R> method;
    private final StreamProtocol<Q, R, T> protocol;
    private final EventSink<T> sink;
    private final Runnable onEnd;
    private io.freehold.proto.v1.Cursor resumeAfter;
    private ClientCallStreamObserver<Q> call;
    private boolean closed;
    private int attempt;

    /**
     * @param resumeAfter where to start (null: with a snapshot)
     * @param onEnd run once when the stream ends (closed or failed), e.g. to forget it
     */
    public ResumingStream(
            Channel channel,
            MethodDescriptor<Q, R> method,
            StreamProtocol<Q, R, T> protocol,
            EventSink<T> sink,
            Cursor resumeAfter,
            Runnable onEnd) {
        this.channel = channel;
        this.method = method;
        this.protocol = protocol;
        this.sink = sink;
        this.onEnd = onEnd;
        this.resumeAfter = resumeAfter == null ? null : ProtoConverter.cursor(resumeAfter);
    }

    public synchronized ResumingStream<Q, R, T> start() {
        if (!closed) {
            ClientCall<Q, R> next = channel.newCall(method, CallOptions.DEFAULT);
            ClientCalls.asyncServerStreamingCall(
                    next, protocol.request(resumeAfter), new Receiver());
        }
        return this;
    }

    @Override
    public synchronized Optional<Cursor> lastCursor() {
        return Optional.ofNullable(resumeAfter).map(ProtoConverter::cursor);
    }

    @Override
    public void close() {
        ClientCallStreamObserver<Q> current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = call;
        }
        if (current != null) {
            current.cancel("closed by the client", null);
        }
        sink.closed();
        onEnd.run();
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void ended(Throwable cause) {
        FreeholdException error = Errors.fromThrowable(cause);
        if (isClosed()) {
            return;
        }
        if (FINAL.contains(Status.fromThrowable(cause).getCode())) {
            synchronized (this) {
                closed = true;
            }
            sink.failed(error);
            onEnd.run();
            return;
        }
        int n;
        synchronized (this) {
            n = ++attempt;
        }
        sink.reconnecting(error, n);
        long delay = backoffMillis(n, ThreadLocalRandom.current().nextDouble());
        RECONNECTS.schedule(this::start, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * The wait before reconnection {@code attempt} (1, 2, ...): full jitter, a uniformly random
     * share ({@code random} in [0, 1)) of an exponential ceiling (100 ms, doubling, at most 5 s).
     * When a node restarts, its clients all lose their streams at once; spread over the ceiling,
     * they do not all come back in the same millisecond.
     */
    static long backoffMillis(int attempt, double random) {
        long ceiling =
                Math.min(
                        MAX_BACKOFF.toMillis(),
                        FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10));
        return (long) (ceiling * random);
    }

    /** The observer of one call; a new one per reconnection. */
    private final class Receiver implements ClientResponseObserver<Q, R> {

        private ClientCallStreamObserver<Q> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
            requests = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
            synchronized (ResumingStream.this) {
                call = requestStream;
            }
        }

        @Override
        public void onNext(R event) {
            List<T> events;
            try {
                events = protocol.translate(event);
            } catch (IllegalArgumentException e) {
                requests.cancel("malformed event", e);
                failForGood(Errors.malformedResponse("stream event", e));
                return;
            }
            synchronized (ResumingStream.this) {
                if (closed) {
                    return;
                }
                attempt = 0;
                if (protocol.resumable(event)) {
                    resumeAfter = protocol.cursor(event);
                }
            }
            try {
                sink.deliver(events, () -> requests.request(1));
            } catch (RuntimeException e) {
                requests.cancel("the observer threw", e);
                failForGood(
                        new FreeholdException(
                                "the watch's observer threw: " + e, "", java.util.Map.of(), e));
            }
        }

        @Override
        public void onError(Throwable t) {
            ended(t);
        }

        @Override
        public void onCompleted() {
            // A watch does not end by itself: the node is shutting down. Reconnect as after a drop.
            ended(
                    Status.UNAVAILABLE
                            .withDescription("the node ended the stream")
                            .asRuntimeException());
        }

        private void failForGood(FreeholdException error) {
            synchronized (ResumingStream.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            sink.failed(error);
            onEnd.run();
        }
    }
}
