package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard's per-address limits over a real socket (port 0, loopback): streams and messages on the
 * open services (health, reflection), and failed logins, each refusal with its code and ErrorInfo
 * reason.
 */
class ApiGuardPeerLimitsTest {

    private static final String READ_SECRET = "read-secret-0123456789";

    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Finding 7: a client without a token used to open 3,000 reflection streams; the fourth is
     * refused now.
     */
    @Test
    void reflectionStreamsAreCappedPerAddressAndAClosedOneFreesItsPlace() throws Exception {
        start(3, 1_000, 10);
        List<StreamObserver<ServerReflectionRequest>> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Reflection r = reflection();
            r.listServices();
            assertThat(r.next.get(2, TimeUnit.MINUTES).hasListServicesResponse()).isTrue();
            open.add(r.requests);
        }
        Reflection fourth = reflection();
        fourth.listServices();
        assertThatThrownBy(() -> fourth.next.get(2, TimeUnit.MINUTES))
                .hasCauseInstanceOf(StatusRuntimeException.class)
                .satisfies(
                        e ->
                                assertRefused(
                                        (StatusRuntimeException) e.getCause(),
                                        Status.Code.RESOURCE_EXHAUSTED,
                                        "TOO_MANY_STREAMS"));

        open.remove(0).onCompleted(); // the server ends the stream, releasing its place
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Reflection again = reflection();
            again.listServices();
            try {
                assertThat(again.next.get(2, TimeUnit.MINUTES).hasListServicesResponse()).isTrue();
                again.requests.onCompleted();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        open.forEach(StreamObserver::onCompleted);
    }

    /**
     * Finding 7: 30,000 requests to the open services were all answered; an address over its rate
     * is refused.
     */
    @Test
    void openServiceMessagesAreRateLimitedPerAddress() throws Exception {
        start(10, 5, 10);
        var health = HealthGrpc.newBlockingStub(channel);
        StatusRuntimeException refused = null;
        for (int i = 0; i < 10_000 && refused == null; i++) {
            try {
                health.check(HealthCheckRequest.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                refused = e;
            }
        }
        assertThat(refused).as("no health check was refused").isNotNull();
        assertRefused(refused, Status.Code.RESOURCE_EXHAUSTED, "RATE_LIMITED");
    }

    /**
     * Finding 8: 3,000 wrong tokens in 3 s were all answered UNAUTHENTICATED; past the limit the
     * address waits.
     */
    @Test
    void failedLoginsAreThrottledPerAddressBeforeTheTokenIsKnown() throws Exception {
        start(4, 20, 5);
        for (int i = 0; i < 5; i++) {
            StatusRuntimeException e = call("wrong-token-" + i);
            assertRefused(e, Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED");
        }
        // Even the right token waits now: the address is refused before its token is looked at.
        StatusRuntimeException blocked = call(READ_SECRET);
        assertRefused(blocked, Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_FAILED_LOGINS");
        Duration delay =
                StatusProto.fromThrowable(blocked).getDetailsList().stream()
                        .filter(d -> d.is(RetryInfo.class))
                        .findFirst()
                        .orElseThrow()
                        .unpack(RetryInfo.class)
                        .getRetryDelay();
        assertThat(delay.getSeconds() * 1_000_000_000L + delay.getNanos())
                .isPositive()
                .isLessThanOrEqualTo(TimeUnit.MINUTES.toNanos(1));
    }

    @Test
    void aGoodTokenIsNotThrottledByItsOwnSuccesses() throws Exception {
        start(4, 20, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(
                            positions(READ_SECRET)
                                    .getPosition(GetPositionRequest.getDefaultInstance())
                                    .getAccount())
                    .isEqualTo("ok");
        }
    }

    // ------------------------------------------------------------------ helpers

    private void start(int openCallsPerPeer, int openPerSecond, int failedLoginsPerMinute)
            throws Exception {
        ApiGuard guard =
                new ApiGuard(
                        new ApiSecurityConfiguration(
                                Map.of("bot", "read:" + READ_SECRET),
                                1_000,
                                16,
                                100,
                                openCallsPerPeer,
                                openPerSecond,
                                failedLoginsPerMinute));
        server =
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .addService(
                                ServerInterceptors.intercept(
                                        new HealthStatusManager().getHealthService(), guard))
                        .addService(
                                ServerInterceptors.intercept(
                                        ProtoReflectionServiceV1.newInstance(), guard))
                        .addService(ServerInterceptors.intercept(new StandInPositions(), guard))
                        .build()
                        .start();
        channel =
                NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                        .usePlaintext()
                        .build();
    }

    private StatusRuntimeException call(String secret) {
        try {
            positions(secret).getPosition(GetPositionRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
    }

    private PositionServiceGrpc.PositionServiceBlockingStub positions(String secret) {
        Metadata headers = new Metadata();
        headers.put(ApiGuard.AUTHORIZATION, "Bearer " + secret);
        return PositionServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * One reflection stream: its request side, and its first response (or the error that ended it).
     */
    private final class Reflection {
        final CompletableFuture<ServerReflectionResponse> next = new CompletableFuture<>();
        final StreamObserver<ServerReflectionRequest> requests;

        Reflection() {
            requests =
                    ServerReflectionGrpc.newStub(channel)
                            .serverReflectionInfo(
                                    new StreamObserver<>() {
                                        @Override
                                        public void onNext(ServerReflectionResponse value) {
                                            next.complete(value);
                                        }

                                        @Override
                                        public void onError(Throwable t) {
                                            next.completeExceptionally(t);
                                        }

                                        @Override
                                        public void onCompleted() {
                                            next.completeExceptionally(
                                                    new IllegalStateException(
                                                            "ended without a response"));
                                        }
                                    });
        }

        void listServices() {
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        }
    }

    private Reflection reflection() {
        return new Reflection();
    }

    private static void assertRefused(StatusRuntimeException e, Status.Code code, String reason) {
        assertThat(e.getStatus().getCode()).isEqualTo(code);
        try {
            assertThat(
                            StatusProto.fromThrowable(e)
                                    .getDetails(0)
                                    .unpack(ErrorInfo.class)
                                    .getReason())
                    .isEqualTo(reason);
        } catch (com.google.protobuf.InvalidProtocolBufferException x) {
            throw new AssertionError(x);
        }
    }

    private static final class StandInPositions
            extends PositionServiceGrpc.PositionServiceImplBase {
        @Override
        public void getPosition(GetPositionRequest request, StreamObserver<Position> response) {
            response.onNext(Position.newBuilder().setAccount("ok").build());
            response.onCompleted();
        }
    }
}
