package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.RequestLiquidationRequest;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard in front of a server with stand-in endpoints: tokens and roles, the per-token rate, and
 * the stream caps, each refusal with its code and ErrorInfo reason. (The anonymous loopback case is
 * covered by NodeApiTest, over a real socket.)
 */
class ApiGuardTest {

    private static final String READ_SECRET = "read-secret-0123456789";
    private static final String ADMIN_SECRET = "admin-secret-0123456789";

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

    @Test
    void noTokenOrAnUnknownOneIsUnauthenticated() throws Exception {
        start(50, 4, 100);
        assertRefused(
                () -> positions(null).getPosition(GetPositionRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED,
                "UNAUTHENTICATED");
        assertRefused(
                () ->
                        positions("not-a-token-at-all-xyz")
                                .getPosition(GetPositionRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED,
                "UNAUTHENTICATED");
        assertThat(
                        positions(READ_SECRET)
                                .getPosition(GetPositionRequest.getDefaultInstance())
                                .getAccount())
                .isEqualTo("ok");
    }

    @Test
    void aReadTokenCannotCallAdminMethodsAndAnAdminTokenCan() throws Exception {
        start(50, 4, 100);
        assertRefused(
                () ->
                        liquidations(READ_SECRET)
                                .requestLiquidation(RequestLiquidationRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED,
                "PERMISSION_DENIED");
        assertThat(
                        liquidations(ADMIN_SECRET)
                                .requestLiquidation(RequestLiquidationRequest.getDefaultInstance())
                                .getReason())
                .isEqualTo("accepted");
        assertThat(
                        positions(ADMIN_SECRET)
                                .getPosition(GetPositionRequest.getDefaultInstance())
                                .getAccount())
                .isEqualTo("ok");
    }

    @Test
    void aTokenOverItsRateIsRefusedAndOthersAreNot() throws Exception {
        start(3, 4, 100);
        var reader = positions(READ_SECRET);
        int ok = 0;
        StatusRuntimeException refused = null;
        // The allowance is 3 per one-second period. Calls go on until the first refusal; on a
        // stalled machine a period may end between two calls and grant 3 more, so the bound is 3
        // per period that began while calling, not 3 in all.
        long start = System.nanoTime();
        for (int i = 0; i < 1_000 && refused == null; i++) {
            try {
                reader.getPosition(GetPositionRequest.getDefaultInstance());
                ok++;
            } catch (StatusRuntimeException e) {
                refused = e;
            }
        }
        long periods = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 1;
        assertThat((long) ok).isPositive().isLessThanOrEqualTo(3 * (periods + 1));
        assertThat(refused).isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(reason(refused)).isEqualTo("RATE_LIMITED");
        // another token has its own allowance
        assertThat(
                        positions(ADMIN_SECRET)
                                .getPosition(GetPositionRequest.getDefaultInstance())
                                .getAccount())
                .isEqualTo("ok");
    }

    @Test
    void streamsAreCappedPerTokenAndAClosedStreamFreesItsPlace() throws Exception {
        start(50, 2, 100);
        var reader =
                PositionServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(READ_SECRET));
        var first = io.grpc.Context.current().withCancellation();
        var second = io.grpc.Context.current().withCancellation();
        Iterator<PositionEvent> a =
                first.call(() -> reader.watchPositions(WatchPositionsRequest.getDefaultInstance()));
        Iterator<PositionEvent> b =
                second.call(
                        () -> reader.watchPositions(WatchPositionsRequest.getDefaultInstance()));
        assertThat(a.next().hasHeartbeat()).isTrue();
        assertThat(b.next().hasHeartbeat()).isTrue();
        Iterator<PositionEvent> third =
                reader.watchPositions(WatchPositionsRequest.getDefaultInstance());
        assertRefused(third::next, Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_STREAMS");

        first.cancel(null);
        // the cancelled stream's place is released once the server sees the cancel
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                var ctx = io.grpc.Context.current().withCancellation();
                Iterator<PositionEvent> again =
                        ctx.call(
                                () ->
                                        reader.watchPositions(
                                                WatchPositionsRequest.getDefaultInstance()));
                assertThat(again.next().hasHeartbeat()).isTrue();
                ctx.cancel(null);
                break;
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        second.cancel(null);
    }

    private void start(int perSecond, int streamsPerToken, int streams) throws Exception {
        ApiGuard guard =
                new ApiGuard(
                        new ApiSecurityConfiguration(
                                Map.of(
                                        "bot",
                                        "read:" + READ_SECRET,
                                        "ops",
                                        "admin:" + ADMIN_SECRET),
                                perSecond,
                                streamsPerToken,
                                streams,
                                4,
                                20,
                                1_000));
        String name = InProcessServerBuilder.generateName();
        server =
                InProcessServerBuilder.forName(name)
                        .addService(ServerInterceptors.intercept(new StandInPositions(), guard))
                        .addService(ServerInterceptors.intercept(new StandInLiquidations(), guard))
                        .build()
                        .start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    private PositionServiceGrpc.PositionServiceBlockingStub positions(String secret) {
        var stub = PositionServiceGrpc.newBlockingStub(channel);
        return secret == null ? stub : stub.withInterceptors(bearer(secret));
    }

    private LiquidationServiceGrpc.LiquidationServiceBlockingStub liquidations(String secret) {
        return LiquidationServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(secret));
    }

    private static io.grpc.ClientInterceptor bearer(String secret) {
        Metadata headers = new Metadata();
        headers.put(ApiGuard.AUTHORIZATION, "Bearer " + secret);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static void assertRefused(Runnable call, Status.Code code, String reason) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            assertThat(reason(e)).isEqualTo(reason);
                        });
    }

    private static String reason(StatusRuntimeException e) {
        try {
            return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class).getReason();
        } catch (Exception x) {
            throw new AssertionError("no ErrorInfo in " + e, x);
        }
    }

    /**
     * Answers unary calls at once and keeps streams open (a heartbeat, then nothing) until
     * cancelled.
     */
    private static final class StandInPositions
            extends PositionServiceGrpc.PositionServiceImplBase {
        @Override
        public void getPosition(GetPositionRequest request, StreamObserver<Position> response) {
            response.onNext(Position.newBuilder().setAccount("ok").build());
            response.onCompleted();
        }

        @Override
        public void watchPositions(
                WatchPositionsRequest request, StreamObserver<PositionEvent> response) {
            response.onNext(
                    PositionEvent.newBuilder()
                            .setHeartbeat(io.freehold.proto.v1.Heartbeat.getDefaultInstance())
                            .build());
        }
    }

    private static final class StandInLiquidations
            extends LiquidationServiceGrpc.LiquidationServiceImplBase {
        @Override
        public void requestLiquidation(
                RequestLiquidationRequest request, StreamObserver<LiquidationAttempt> response) {
            response.onNext(LiquidationAttempt.newBuilder().setReason("accepted").build());
            response.onCompleted();
        }
    }
}
