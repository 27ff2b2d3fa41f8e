package io.freehold.node.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.freehold.node.RunningNode;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over its calls per second, a token is refused on both surfaces the same way: REST answers 429
 * with {@code Retry-After} and reason RATE_LIMITED, gRPC RESOURCE_EXHAUSTED with the same ErrorInfo
 * reason and a {@code google.rpc.RetryInfo} saying when to come back.
 */
class RestRateLimitTest {

    private static final String TOKEN = "rate-limited-secret-0123456789";

    @TempDir Path dir;

    @Test
    void overTheRateBothSurfacesRefuseWithRateLimitedAndWhenToRetry() throws Exception {
        try (RunningNode node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.api.tokens.slow",
                                "read:" + TOKEN,
                                "freehold.node.api.requests-per-second",
                                3))) {
            RestClient rest = new RestClient(node.server.getPort(), TOKEN);
            HttpResponse<String> limited = null;
            for (int i = 0; i < 200 && limited == null; i++) {
                HttpResponse<String> r = rest.get("/v1/status");
                if (r.statusCode() == 429) {
                    limited = r;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
            }
            assertThat(limited).as("refused within 200 calls at 3 per second").isNotNull();
            assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
            RestApiTest.assertRefused(limited, 429, "RATE_LIMITED", null);
            assertThat(limited.body())
                    .contains("\"code\":\"RESOURCE_EXHAUSTED\"")
                    .contains("\"token\":\"slow\"");

            Metadata auth = new Metadata();
            auth.put(
                    Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + TOKEN);
            ManagedChannel channel =
                    ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                            .usePlaintext()
                            .intercept(MetadataUtils.newAttachHeadersInterceptor(auth))
                            .build();
            try {
                StatusRuntimeException refused = null;
                for (int i = 0; i < 200 && refused == null; i++) {
                    try {
                        NodeServiceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(5, TimeUnit.SECONDS)
                                .getStatus(GetStatusRequest.getDefaultInstance());
                    } catch (StatusRuntimeException e) {
                        refused = e;
                    }
                }
                assertThat(refused).isNotNull();
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                com.google.rpc.Status details = StatusProto.fromThrowable(refused);
                assertThat(details.getDetailsList())
                        .anySatisfy(
                                any -> {
                                    assertThat(any.is(ErrorInfo.class)).isTrue();
                                    assertThat(any.unpack(ErrorInfo.class).getReason())
                                            .isEqualTo("RATE_LIMITED");
                                });
                assertThat(details.getDetailsList())
                        .anySatisfy(
                                any -> {
                                    assertThat(any.is(RetryInfo.class)).isTrue();
                                    assertThat(
                                                    any.unpack(RetryInfo.class)
                                                            .getRetryDelay()
                                                            .getSeconds())
                                            .isEqualTo(1);
                                });
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
