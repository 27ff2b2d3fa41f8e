package io.freehold.node;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.Deployment;
import io.freehold.contracts.local.LocalSystem;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real node (HTTP and gRPC servers, follower, risk engine, liquidator, H2 file) following a fresh
 * anvil with the local system deployed: what the API tests talk to. Closes both.
 */
public final class RunningNode implements AutoCloseable {

    public final Anvil anvil;
    public final Deployment deployment;
    public final EmbeddedServer server;

    private RunningNode(Anvil anvil, Deployment deployment, EmbeddedServer server) {
        this.anvil = anvil;
        this.deployment = deployment;
        this.server = server;
    }

    /** Starts anvil, deploys, starts the node on {@code dir} with the defaults below overridden by {@code extra}. */
    public static RunningNode start(Path dir, Map<String, Object> extra) throws Exception {
        Anvil anvil = Anvil.start();
        try {
            Deployment deployment = LocalSystem.deploy(anvil);
            Path file = dir.resolve("deployment.json");
            deployment.write(file);
            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("datasources.default.url",
                    "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
            props.put("freehold.node.chain-id", anvil.chainId());
            props.put("freehold.node.deployment", file.toString());
            props.put("freehold.node.poll-interval", "100ms");
            props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
            props.putAll(extra);
            return new RunningNode(anvil, deployment, ApplicationContext.run(EmbeddedServer.class, props));
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    public int grpcPort() {
        return server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
    }

    public long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    @Override
    public void close() {
        try {
            server.getApplicationContext().close();
        } finally {
            anvil.close();
        }
    }
}
