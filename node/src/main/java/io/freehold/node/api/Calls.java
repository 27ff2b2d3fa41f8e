package io.freehold.node.api;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every unary endpoint answers: the value, or the {@link ApiException} as its status, or — for
 * anything unexpected — INTERNAL with a message that leaks nothing, logged here with its stack.
 */
public final class Calls {

    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    private Calls() {}

    public static <T> void unary(StreamObserver<T> response, Supplier<T> answer) {
        T value;
        try {
            value = answer.get();
        } catch (ApiException e) {
            response.onError(e.toStatus());
            return;
        } catch (RuntimeException e) {
            LOG.error("API call failed", e);
            response.onError(
                    Status.INTERNAL
                            .withDescription("the node failed to answer; see its log")
                            .asRuntimeException());
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
