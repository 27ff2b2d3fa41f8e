package io.freehold.sdk.internal;

import io.freehold.sdk.FreeholdException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Not public API. Runs one unary call with the client's deadline, blocking or as a future, and
 * turns the response into an SDK type and a failure into a {@link FreeholdException}.
 */
public final class UnaryCalls {

    private final Channel channel;
    private final Duration deadline;

    public UnaryCalls(Channel channel, Duration deadline) {
        this.channel = channel;
        this.deadline = deadline;
    }

    public <Q, R, T> T blocking(
            MethodDescriptor<Q, R> method, Q request, Function<R, T> convert, String what) {
        R response;
        try {
            response = ClientCalls.blockingUnaryCall(channel, method, options(), request);
        } catch (RuntimeException e) {
            throw Errors.fromThrowable(e);
        }
        return convert(response, convert, what);
    }

    /** Cancelling the returned future cancels the call. */
    public <Q, R, T> CompletableFuture<T> async(
            MethodDescriptor<Q, R> method, Q request, Function<R, T> convert, String what) {
        CompletableFuture<T> future = new CompletableFuture<>();
        ClientCall<Q, R> call = channel.newCall(method, options());
        future.whenComplete(
                (result, failure) -> {
                    if (future.isCancelled()) {
                        call.cancel("cancelled by the caller", null);
                    }
                });
        ClientCalls.asyncUnaryCall(
                call,
                request,
                new StreamObserver<R>() {
                    @Override
                    public void onNext(R response) {
                        try {
                            future.complete(convert(response, convert, what));
                        } catch (FreeholdException e) {
                            future.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        future.completeExceptionally(Errors.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {}
                });
        return future;
    }

    // A fresh deadline per call: CallOptions holds an absolute one.
    private CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static <R, T> T convert(R response, Function<R, T> convert, String what) {
        try {
            return convert.apply(response);
        } catch (IllegalArgumentException e) {
            throw Errors.malformedResponse(what, e);
        }
    }
}
