package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.Deployment;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real node (HTTP and gRPC servers, follower, H2 store) against a real anvil, reached over a real
 * gRPC channel: NodeService reports the chain as the chain is, and the standard health and reflection
 * services answer, so generic tools (grpcurl, grpc_health_probe) can explore the API.
 */
class NodeApiTest {

    @TempDir
    static Path dir;

    private static Anvil anvil;
    private static EmbeddedServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void startNode() throws Exception {
        anvil = Anvil.start();
        Deployment deployment = LocalSystem.deploy(anvil);
        Path file = dir.resolve("deployment.json");
        deployment.write(file);
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.deployment", file.toString());
        props.put("freehold.node.confirmations", 4);
        props.put("freehold.node.poll-interval", "200ms");
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        server = ApplicationContext.run(EmbeddedServer.class, props);
        int port = server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        awaitApplied(head());
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void statusIsTheChainAsTheChainIs() throws Exception {
        long head = head();
        NodeStatus status = awaitApplied(head);
        assertThat(status.getChainId()).isEqualTo(anvil.chainId());
        assertThat(status.getHead()).isEqualTo(head);
        assertThat(status.getLagBlocks()).isZero();
        assertThat(status.getPhase()).isEqualTo("FOLLOWING");
        assertThat(status.getCursor().getBlockNumber()).isEqualTo(head);
        assertThat(status.getCursor().getBlockHash())
                .isEqualTo(anvil.web3j().ethGetBlockByNumber(
                        org.web3j.protocol.core.DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(head)), false)
                        .send().getBlock().getHash());
        assertThat(status.getEndpointsList()).singleElement()
                .satisfies(e -> assertThat(e.getBreaker()).isEqualTo("CLOSED"));
        assertThat(status.getVersion()).isNotEmpty();
    }

    @Test
    void theStandardHealthServiceSaysServing() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheApi() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        List<String> services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(s -> s.getName()).toList();
        assertThat(services).contains("freehold.v1.NodeService", "grpc.health.v1.Health");
    }

    private static long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    /** Polls GetStatus until the node has applied {@code block} (no timing assertion: a generous deadline). */
    private static NodeStatus awaitApplied(long block) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        NodeStatus last = null;
        while (System.nanoTime() < giveUp) {
            last = NodeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getStatus(GetStatusRequest.getDefaultInstance());
            if (last.getAppliedBlock() >= block && last.getPhase().equals("FOLLOWING")) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the node did not apply block " + block + " in time; last status " + last);
    }
}
