package io.freehold.node.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.RunningNode;
import io.freehold.node.chain.FaultInjectingProxy;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.micronaut.json.JsonMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A node that is behind the chain says so on both surfaces at once: the standard gRPC health
 * service (overall and per data service) answers NOT_SERVING and HTTP {@code /health/readiness}
 * 503, while {@code /health/liveness} stays 200 (restarting would not help); once it has caught up,
 * SERVING and 200. The node is made to fall behind for certain: it is stopped, the chain moves 60
 * blocks on, and it comes back through a proxy that holds every {@code eth_getLogs} answer until
 * the test lets them go.
 */
class HonestHealthTest {

    private static final int MAX_LAG = 3;

    @TempDir Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aNodeBehindTheChainIsNotServingOnEitherSurfaceThenServing() throws Exception {
        try (RunningNode node =
                        RunningNode.start(
                                dir,
                                Map.of(
                                        "freehold.node.health.max-lag-blocks",
                                        MAX_LAG,
                                        "freehold.node.health.refresh-interval",
                                        "100ms",
                                        "freehold.node.confirmations",
                                        4));
                FaultInjectingProxy proxy = FaultInjectingProxy.start(node.anvil.rpcUrl())) {
            awaitServing(node);

            node.stopNode();
            mine(node, 60);
            CountDownLatch hold = new CountDownLatch(1);
            proxy.rewrite(
                    "eth_getLogs",
                    answer -> {
                        try {
                            hold.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return answer;
                    });
            node.restart(Map.of("freehold.node.rpc.endpoints", List.of(proxy.url())));
            ManagedChannel channel =
                    ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                            .usePlaintext()
                            .build();
            try {
                // The node knows the head and cannot apply: behind by more than the lag it serves
                // at.
                await(() -> lag(node) > MAX_LAG, "the node sees the new head");
                // gRPC health follows on its refresh, a moment later: waited for, not read at once.
                await(
                        () -> grpcHealth(channel, "") == ServingStatus.NOT_SERVING,
                        "gRPC NOT_SERVING");
                assertThat(grpcHealth(channel, "freehold.v1.PositionService"))
                        .isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(grpcHealth(channel, "freehold.v1.MarketService"))
                        .isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(grpcHealth(channel, "freehold.v1.NodeService"))
                        .isEqualTo(ServingStatus.SERVING);
                assertThat(get(node, "/health/readiness").statusCode()).isEqualTo(503);
                assertThat(get(node, "/health").statusCode()).isEqualTo(503);
                assertThat(get(node, "/health/liveness").statusCode()).isEqualTo(200);

                hold.countDown();
                proxy.heal();
                await(
                        () -> grpcHealth(channel, "") == ServingStatus.SERVING,
                        "gRPC SERVING after catching up");
                assertThat(lag(node)).isLessThanOrEqualTo(MAX_LAG);
                await(() -> get(node, "/health/readiness").statusCode() == 200, "readiness 200");
                assertThat(grpcHealth(channel, "freehold.v1.PositionService"))
                        .isEqualTo(ServingStatus.SERVING);
                assertThat(get(node, "/health/liveness").statusCode()).isEqualTo(200);
            } finally {
                hold.countDown();
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitServing(RunningNode node) throws Exception {
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                        .usePlaintext()
                        .build();
        try {
            await(() -> grpcHealth(channel, "") == ServingStatus.SERVING, "SERVING at start");
            await(() -> get(node, "/health/readiness").statusCode() == 200, "readiness at start");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static ServingStatus grpcHealth(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build())
                .getStatus();
    }

    /** The lag the readiness check reports (its details: the same numbers the verdict used). */
    @SuppressWarnings("unchecked")
    private long lag(RunningNode node) {
        try {
            Map<String, Object> body =
                    node.server
                            .getApplicationContext()
                            .getBean(JsonMapper.class)
                            .readValue(get(node, "/health/readiness").body(), Map.class);
            Map<String, Object> details =
                    (Map<String, Object>)
                            ((Map<String, Object>) body.get("details")).get("freehold-serving");
            return ((Number) ((Map<String, Object>) details.get("details")).get("lagBlocks"))
                    .longValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(RunningNode node, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + node.server.getPort() + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            // A probe's pace: the open services (health, reflection) are rate-limited per address
            // (freehold.node.api.open-requests-per-second-per-peer, 20 by default).
            Thread.sleep(200);
        }
    }

    private static void mine(RunningNode node, long blocks) throws java.io.IOException {
        VoidResponse answer =
                new Request<>(
                                "anvil_mine",
                                List.of(Numeric.encodeQuantity(BigInteger.valueOf(blocks))),
                                new HttpService(node.anvil.rpcUrl()),
                                VoidResponse.class)
                        .send();
        assertThat(answer.hasError()).as("anvil_mine").isFalse();
    }
}
