package io.freehold.node.api.metrics;

import com.google.rpc.ErrorInfo;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;

/**
 * Times every gRPC call by method and final status, and counts refusals by their ErrorInfo reason.
 * Runs outside the API guard, so calls it refuses (UNAUTHENTICATED, RATE_LIMITED, TOO_MANY_STREAMS)
 * are timed and counted too. The open services (health, reflection) are left out: probes would
 * drown the rest.
 */
@Singleton
public final class GrpcMetricsInterceptor implements ServerInterceptor, Ordered {

    private final ApiMetrics metrics;

    public GrpcMetricsInterceptor(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!method.startsWith("freehold.")) {
            return next.startCall(call, headers);
        }
        long start = System.nanoTime();
        return next.startCall(
                new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        try {
                            metrics.grpcCall(
                                    method, status.getCode().name(), System.nanoTime() - start);
                            if (!status.isOk()) {
                                metrics.refusal("grpc", reason(status, trailers));
                            }
                        } finally {
                            super.close(status, trailers);
                        }
                    }
                },
                headers);
    }

    private static String reason(Status status, Metadata trailers) {
        com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
        if (details != null) {
            for (com.google.protobuf.Any any : details.getDetailsList()) {
                if (any.is(ErrorInfo.class)) {
                    try {
                        return any.unpack(ErrorInfo.class).getReason();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        break;
                    }
                }
            }
        }
        return status.getCode().name(); // e.g. CANCELLED, INTERNAL: no reason of the API's own
    }
}
