package io.freehold.sdk.internal;

import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.freehold.sdk.FreeholdSettings;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Not public API. Builds the channel a client's settings describe. */
public final class Channels {

    // Only unary calls are retried: a stream that failed part-way resumes from its cursor instead.
    static final List<MethodDescriptor<?, ?>> RETRIED =
            List.of(
                    NodeServiceGrpc.getGetStatusMethod(),
                    MarketServiceGrpc.getListMarketsMethod(),
                    MarketServiceGrpc.getGetMarketMethod(),
                    PositionServiceGrpc.getGetPositionMethod(),
                    PositionServiceGrpc.getListPositionsMethod(),
                    SimulationServiceGrpc.getSimulateMethod());

    private Channels() {}

    /** A Netty channel to {@code settings.target()}, with TLS as configured. */
    public static ManagedChannel create(FreeholdSettings settings) {
        return configure(
                        NettyChannelBuilder.forTarget(settings.target(), credentials(settings)),
                        settings)
                .build();
    }

    /** Applies everything but the transport: the bearer token and the retry policy. */
    public static ManagedChannelBuilder<?> configure(
            ManagedChannelBuilder<?> builder, FreeholdSettings settings) {
        settings.bearerToken()
                .ifPresent(token -> builder.intercept(new BearerTokenInterceptor(token)));
        builder.disableServiceConfigLookUp(); // the node's DNS must not change our retry policy
        if (settings.retryAttempts() > 1) {
            builder.enableRetry()
                    .maxRetryAttempts(settings.retryAttempts())
                    .defaultServiceConfig(serviceConfig(settings));
        } else {
            builder.disableRetry();
        }
        return builder;
    }

    static ChannelCredentials credentials(FreeholdSettings settings) {
        if (!settings.tls()) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        settings.trustedCaPem()
                .ifPresent(
                        pem -> {
                            try {
                                tls.trustManager(pem.toFile());
                            } catch (IOException e) {
                                throw new UncheckedIOException(
                                        "cannot read the trusted CA certificates in " + pem, e);
                            }
                        });
        return tls.build();
    }

    // gRPC's retry (gRFC A6): exponential backoff with full jitter, within the call's deadline.
    static Map<String, ?> serviceConfig(FreeholdSettings settings) {
        List<Map<String, ?>> names =
                RETRIED.stream()
                        .<Map<String, ?>>map(
                                m ->
                                        Map.of(
                                                "service",
                                                m.getServiceName(),
                                                "method",
                                                m.getBareMethodName()))
                        .toList();
        Map<String, ?> retryPolicy =
                Map.of(
                        "maxAttempts", (double) settings.retryAttempts(),
                        "initialBackoff", seconds(settings.retryInitialBackoff()),
                        "maxBackoff", seconds(settings.retryMaxBackoff()),
                        "backoffMultiplier", 2.0,
                        "retryableStatusCodes", List.of("UNAVAILABLE"));
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retryPolicy)));
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString()
                + "s";
    }
}
