package io.freehold.node;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real node (HTTP and gRPC servers, follower, risk engine, liquidator, H2 file) following a
 * fresh anvil with the local system deployed: what the API tests talk to. Closes both.
 */
public final class RunningNode implements AutoCloseable {

    public final Anvil anvil;
    public final Deployment deployment;
    public EmbeddedServer server;
    private final Map<String, Object> properties;

    private RunningNode(Anvil anvil, Deployment deployment, Map<String, Object> properties) {
        this.anvil = anvil;
        this.deployment = deployment;
        this.properties = properties;
        this.server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    /**
     * Starts anvil, deploys, starts the node on {@code dir} with the defaults below overridden by
     * {@code extra}.
     */
    public static RunningNode start(Path dir, Map<String, Object> extra) throws Exception {
        return start(dir, extra, LocalSystem.Options.defaults());
    }

    /** As {@link #start(Path, Map)}, the local system deployed with {@code options}. */
    public static RunningNode start(
            Path dir, Map<String, Object> extra, LocalSystem.Options options) throws Exception {
        Anvil anvil = Anvil.start();
        try {
            Deployment deployment = LocalSystem.deploy(anvil, options);
            Path file = dir.resolve("deployment.json");
            deployment.write(file);
            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put(
                    "datasources.default.url",
                    "jdbc:h2:file:"
                            + dir.resolve("node")
                            + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
            props.put("freehold.node.chain-id", anvil.chainId());
            props.put("freehold.node.deployment", file.toString());
            props.put("freehold.node.poll-interval", "100ms");
            props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
            props.put("grpc.server.port", 0); // the kernel picks one; a restart keeps it
            props.putAll(extra);
            return new RunningNode(anvil, deployment, props);
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    /**
     * Stops the node (not the chain) and starts it again on the same database and chain. The gRPC
     * port is the kernel's choice again: binding the old one again could meet another program that
     * took it meanwhile; clients ask {@link #grpcPort()} anew.
     */
    public void restart() {
        stopNode();
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    /**
     * As {@link #restart()}, with some settings changed from now on (e.g. the RPC endpoints, to go
     * through a proxy).
     */
    public void restart(Map<String, Object> changed) {
        stopNode();
        properties.putAll(changed);
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    /** Stops the node, leaving the chain running (e.g. to change it while the node is away). */
    public void stopNode() {
        if (!server.getApplicationContext().isRunning()) {
            return; // stopped already (a test stops it, changes the chain, then restarts it)
        }
        server.getApplicationContext().close();
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
            if (server.getApplicationContext().isRunning()) {
                server.getApplicationContext().close();
            }
        } finally {
            anvil.close();
        }
    }
}
