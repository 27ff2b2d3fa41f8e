package io.freehold.examples.bot;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.NotFoundException;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * What the bot's tests run against: the local system on anvil, the bot's account ready (verified,
 * so it may receive property tokens, and holding 50,000 mUSD to repay and bid with), and a real
 * node following it in process, serving gRPC on a port of the system's choosing.
 */
final class BotChain {

    private BotChain() {}

    /** Verifies {@code bot} and mints it 50,000 mUSD, as the local admin. */
    static void readyTheBot(Anvil anvil, Deployment deployment, Credentials bot) throws Exception {
        var admin = anvil.transactionManager(anvil.credentials(0));
        IdentityRegistry.load(deployment.identityRegistry(), anvil.web3j(), admin, LocalSystem.GAS)
                .verify(bot.getAddress())
                .send();
        MockStablecoin.load(deployment.stablecoin(), anvil.web3j(), admin, LocalSystem.GAS)
                .mint(bot.getAddress(), LocalSystem.usd(50_000))
                .send();
    }

    /** A node following the deployment in {@code deploymentFile}, its store under {@code dir}. */
    static EmbeddedServer startNode(Anvil anvil, Path deploymentFile, Path dir) {
        return ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "freehold.node.chain-id",
                        anvil.chainId(),
                        "freehold.node.deployment",
                        deploymentFile.toString(),
                        "freehold.node.rpc.endpoints",
                        List.of(anvil.rpcUrl()),
                        "freehold.node.confirmations",
                        4,
                        "freehold.node.poll-interval",
                        "100ms",
                        "datasources.default.url",
                        "jdbc:h2:file:" + dir.resolve("node") + ";DB_CLOSE_ON_EXIT=FALSE",
                        "grpc.server.port",
                        0, // any free port, read back with grpcPort
                        "micronaut.server.port",
                        -1));
    }

    /** The port the node's gRPC server bound. */
    static int grpcPort(EmbeddedServer node) {
        return node.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
    }

    /**
     * Waits until the node values {@code account}'s position in {@code market} at {@code block} or
     * later (two minutes at most): a bot started then finds what that block did in its first
     * snapshot, instead of racing a node that lags on a loaded machine.
     */
    static void awaitNodeAt(int grpcPort, MarketId market, Address account, long block)
            throws InterruptedException {
        try (FreeholdClient client =
                FreeholdClient.create(
                        FreeholdSettings.builder()
                                .target("127.0.0.1:" + grpcPort)
                                .tls(false)
                                .build())) {
            long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (valuedAt(client, market, account) < block) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("the node never valued block " + block);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * The block at which the node values the position, or -1 while the node has not applied the
     * block that opened it (the node answers UNKNOWN_POSITION then: not yet, not never).
     */
    private static long valuedAt(FreeholdClient client, MarketId market, Address account) {
        try {
            return client.position(market, account).asOf().blockNumber();
        } catch (NotFoundException notYet) {
            return -1;
        }
    }
}
