package io.freehold.bench;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.risk.RiskEngine;
import io.freehold.node.risk.RiskService;
import io.freehold.types.MarketId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh anvil with the local system deployed and, once the chain is set up, the real node in this
 * JVM (follower, H2 file, risk engine, gRPC server on a loopback port, liquidator), as {@code
 * ./node.sh} would run it. The API's per-token rate limit and stream cap are raised (a benchmark is
 * one anonymous caller opening a thousand streams); everything else is the node's default unless a
 * benchmark says otherwise. Closes both.
 */
final class LocalNode implements AutoCloseable {

    final Anvil anvil;
    final Deployment deployment;
    final Chain chain;
    final Path dir;
    private ApplicationContext context;
    private int grpcPort;

    private LocalNode(Anvil anvil, Deployment deployment, Path dir) {
        this.anvil = anvil;
        this.deployment = deployment;
        this.chain = new Chain(anvil);
        this.dir = dir;
    }

    static LocalNode deploy(Path dir) throws Exception {
        Anvil anvil = Anvil.builder().accounts(10).start();
        try {
            return new LocalNode(anvil, LocalSystem.deploy(anvil), dir);
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    /** Starts the node on this chain, with the defaults below overridden by {@code extra}. */
    void start(Map<String, Object> extra) throws IOException {
        Path file = dir.resolve("deployment.json");
        deployment.write(file);
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("grpc.server.port", 0); // the kernel picks a free port as it binds
        props.put("datasources.default.url", BenchDatabase.url(dir.resolve("node")));
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.deployment", file.toString());
        props.put("freehold.node.poll-interval", "20ms");
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        props.put("freehold.node.api.requests-per-second", 10_000_000);
        props.put("freehold.node.api.max-streams-per-token", 10_000);
        props.put("freehold.node.api.max-streams", 10_000);
        // The unary baseline is the standard health check, an open service the guard limits per
        // peer
        // address; every benchmark client is on 127.0.0.1, so lift that limit as the token's is
        // lifted.
        props.put("freehold.node.api.open-requests-per-second-per-peer", 10_000_000);
        props.put("freehold.node.api.open-calls-per-peer", 10_000);
        props.putAll(extra);
        context = ApplicationContext.run(props);
        // A bare application context does not start the gRPC server (an EmbeddedServer start
        // would).
        GrpcEmbeddedServer grpc = context.getBean(GrpcEmbeddedServer.class);
        if (!grpc.isRunning()) {
            grpc.start();
        }
        grpcPort = grpc.getPort();
    }

    /**
     * Stops the node (not the chain) and starts it again on the same store, serving gRPC on {@code
     * port}.
     */
    void restartOnPort(Map<String, Object> extra, int port) throws IOException {
        context.close();
        Map<String, Object> props = new HashMap<>(extra);
        props.put("grpc.server.port", port);
        start(props);
    }

    int grpcPort() {
        return grpcPort;
    }

    RiskEngine engine() {
        return context.getBean(RiskService.class).engine();
    }

    IngestionService ingestion() {
        return context.getBean(IngestionService.class);
    }

    List<MarketId> markets() {
        List<MarketId> ids = new ArrayList<>();
        deployment.markets().values().forEach(m -> ids.add(MarketId.of(m.id())));
        return ids;
    }

    /**
     * Waits until the risk engine is at the chain's head (the follower counts a block applied
     * before it tells its listeners, so its own block number runs ahead of what the API serves).
     */
    void awaitCaughtUp(long timeoutMillis) throws Exception {
        long head = chain.head();
        long giveUp = System.currentTimeMillis() + timeoutMillis;
        while (engine().asOf().map(cp -> cp.number()).orElse(-1L) < head) {
            if (System.currentTimeMillis() > giveUp) {
                throw new IllegalStateException(
                        "the node did not reach block " + head + " in " + timeoutMillis + " ms");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        try {
            if (context != null) {
                context.close();
            }
        } finally {
            anvil.close();
        }
    }
}
