package io.freehold.examples.demo;

import io.freehold.aave.local.AaveMarket;
import io.freehold.contracts.local.Anvil;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * The real node, started inside the demo's process (so it stops with it): following the local chain
 * into an H2 file under the demo's work directory, liquidating in execute mode with the local
 * system's liquidator key (kept in an encrypted keystore there, as an operator would), its own logs
 * kept quiet so the demo's story reads clearly.
 */
final class DemoNode implements AutoCloseable {

    /** A local chain does not reorg on its own: few confirmations make a block final. */
    static final int CONFIRMATIONS = 4;

    private final EmbeddedServer server;

    private DemoNode(EmbeddedServer server) {
        this.server = server;
    }

    /**
     * @param grpcPort the gRPC port (0 for any free one)
     * @param httpPort the health/metrics port (-1 for any free one)
     */
    static DemoNode start(
            Anvil anvil,
            Path deploymentFile,
            Credentials liquidator,
            Path workDir,
            int grpcPort,
            int httpPort)
            throws Exception {
        String password = "freehold demo " + ProcessHandle.current().pid();
        String wallet =
                WalletUtils.generateWalletFile(
                        password, liquidator.getEcKeyPair(), workDir.toFile(), false);
        Path passwordFile =
                Files.writeString(workDir.resolve("keystore-password"), password + "\n");

        Map<String, Object> props = new HashMap<>();
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.deployment", deploymentFile.toString());
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        // A local chain does not reorg on its own: few confirmations, and quick polling for a
        // lively demo.
        props.put("freehold.node.confirmations", CONFIRMATIONS);
        props.put("freehold.node.poll-interval", "200ms");
        props.put("freehold.node.liquidator.mode", "execute");
        props.put("freehold.node.liquidator.poll-interval", "200ms");
        props.put("freehold.node.liquidator.keystore", workDir.resolve(wallet).toString());
        props.put("freehold.node.liquidator.keystore-password-file", passwordFile.toString());
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + workDir.resolve("node") + ";DB_CLOSE_ON_EXIT=FALSE");
        props.put("grpc.server.port", grpcPort); // 0: the kernel picks one as it binds
        props.put("micronaut.server.port", httpPort);
        return new DemoNode(ApplicationContext.run(EmbeddedServer.class, props));
    }

    /**
     * The node following the local Aave market ({@code freehold.node.protocol=aave-v3}) from its
     * deployment block. With {@code execute} it liquidates with {@code liquidator}'s key (kept in
     * an encrypted keystore in {@code workDir}, as an operator would; the node's attempts in an H2
     * file there); otherwise it only watches, and preflights each opportunity's {@code
     * liquidationCall} from {@code liquidator}'s address.
     *
     * @param grpcPort the gRPC port (0 for any free one)
     * @param httpPort the health port (-1 for any free one)
     */
    static DemoNode startAave(
            Anvil anvil,
            AaveMarket market,
            Credentials liquidator,
            boolean execute,
            Path workDir,
            int grpcPort,
            int httpPort)
            throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.protocol", "aave-v3");
        props.put("freehold.node.aave.addresses-provider", market.addressesProvider());
        props.put("freehold.node.aave.start-block", market.startBlock());
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        props.put("freehold.node.confirmations", CONFIRMATIONS);
        props.put("freehold.node.poll-interval", "100ms");
        if (execute) {
            String password = "freehold demo " + ProcessHandle.current().pid();
            String wallet =
                    WalletUtils.generateWalletFile(
                            password, liquidator.getEcKeyPair(), workDir.toFile(), false);
            Path passwordFile =
                    Files.writeString(workDir.resolve("keystore-password"), password + "\n");
            props.put("freehold.node.liquidator.mode", "execute");
            props.put("freehold.node.liquidator.poll-interval", "100ms");
            props.put("freehold.node.liquidator.keystore", workDir.resolve(wallet).toString());
            props.put("freehold.node.liquidator.keystore-password-file", passwordFile.toString());
            // Gas is counted against the incentive in the pool's base currency: ETH at $3,000.
            props.put("freehold.node.aave.native-price", "300000000000");
        } else {
            props.put("freehold.node.aave.liquidator", liquidator.getAddress());
        }
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + workDir.resolve("node") + ";DB_CLOSE_ON_EXIT=FALSE");
        props.put("grpc.server.port", grpcPort);
        props.put("micronaut.server.port", httpPort);
        return new DemoNode(ApplicationContext.run(EmbeddedServer.class, props));
    }

    int grpcPort() {
        return server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
    }

    int httpPort() {
        return server.getPort();
    }

    @Override
    public void close() {
        if (server.getApplicationContext().isRunning()) {
            server.getApplicationContext().close();
        }
    }
}
