package io.freehold.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.local.Anvil;
import io.freehold.node.chain.ChainIdMismatchException;
import io.freehold.node.chain.RpcException;
import io.freehold.node.config.DeepReorg;
import io.freehold.node.config.NodeConfiguration;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad configuration stops the node while it starts, with a message that says which setting to fix
 * and how. Each case starts the real Micronaut context (configuration binding, the store with its
 * Flyway migration, the RPC client and the ingestion service) with exactly one thing wrong.
 */
class NodeStartupTest {

    private static final String POOL = "0x1000000000000000000000000000000000000001";
    private static final String ORACLE = "0x1000000000000000000000000000000000000002";
    private static final String REGISTRY = "0x1000000000000000000000000000000000000003";

    private static Anvil anvil;

    @TempDir Path dir;

    @BeforeAll
    static void startAnvil() {
        anvil = Anvil.start(); // chain id 31337
    }

    @AfterAll
    static void stopAnvil() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @AfterEach
    void nothingLeftRunning() throws InterruptedException {
        // Closing a pool ends its threads, though not always at once: wait a little (not a timing
        // assertion; a pool left open keeps its housekeeper for good).
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!leftRunning().isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(leftRunning()).as("threads of the node left running").isEmpty();
    }

    private static List<String> leftRunning() {
        List<String> left = new ArrayList<>(threadsNamed("freehold-follower"));
        left.addAll(threadsNamed("HikariPool"));
        return left;
    }

    @Test
    void theRightConfigurationStarts() {
        // The baseline the other cases each break in one place.
        ApplicationContext context = ApplicationContext.builder().properties(valid()).build();
        try {
            context.start();
            assertThat(context.isRunning()).isTrue();
        } finally {
            context.close();
        }
    }

    @Test
    void aWrongChainIdNamesExpectedActualAndTheSettings() {
        Throwable failure = startupFailure(Map.of("freehold.node.chain-id", 1));

        assertThat(rootCause(failure)).isInstanceOf(ChainIdMismatchException.class);
        assertThat(rootCause(failure).getMessage())
                .contains(
                        "expected 1",
                        "actual 31337",
                        "freehold.node.chain-id",
                        "freehold.node.rpc.endpoints");
    }

    @Test
    void unreachableEndpointsNameTheSetting() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Throwable failure =
                startupFailure(
                        Map.of(
                                "freehold.node.rpc.endpoints",
                                List.of("http://127.0.0.1:" + closedPort)));

        // The root cause is the RPC client's (what failed, where); the node's message around it
        // says what to fix.
        assertThat(rootCause(failure)).isInstanceOf(RpcException.class);
        assertThat(rootCause(failure).getMessage())
                .contains("eth_chainId", "unreachable", "127.0.0.1:" + closedPort);
        assertThat(nodeCause(failure).getMessage())
                .contains(
                        "cannot reach any JSON-RPC endpoint",
                        "127.0.0.1:" + closedPort,
                        "freehold.node.rpc.endpoints");
    }

    @Test
    void anEndpointThatIsNoUrlNamesTheSetting() {
        Throwable failure =
                startupFailure(Map.of("freehold.node.rpc.endpoints", List.of("ws://a.example/")));

        assertThat(rootCause(failure).getMessage())
                .contains("freehold.node.rpc.endpoints", "http(s)");
    }

    @Test
    void neitherDeploymentNorAddressesNamesTheMissingSetting() {
        Map<String, Object> props = valid();
        props.remove("freehold.node.lending-pool");

        Throwable failure = startupFailure(props, Map.of());

        assertThat(rootCause(failure).getMessage())
                .contains("freehold.node.lending-pool is not set", "freehold.node.deployment");
    }

    @Test
    void aMissingDeploymentFileNamesTheSettingAndThePath() {
        Path missing = dir.resolve("nowhere/local.json");
        Map<String, Object> props = valid();
        props.remove("freehold.node.lending-pool");
        props.remove("freehold.node.oracle");
        props.remove("freehold.node.identity-registry");
        props.put("freehold.node.deployment", missing.toString());

        Throwable failure = startupFailure(props, Map.of());

        assertThat(rootCause(failure).getMessage())
                .contains("freehold.node.deployment", missing.toString(), "does not exist");
    }

    @Test
    void aDeploymentForAnotherChainNamesBothSettings() {
        Path file = dir.resolve("mainnet.json");
        new Deployment(
                        1,
                        0,
                        REGISTRY,
                        "0x1000000000000000000000000000000000000004",
                        ORACLE,
                        POOL,
                        new Deployment.Accounts(POOL, POOL, POOL, POOL),
                        new TreeMap<>(
                                Map.of(
                                        "TEST",
                                        new Deployment.MarketEntry(
                                                "0x" + "ab".repeat(32),
                                                "TEST",
                                                "0x1000000000000000000000000000000000000005",
                                                "US-NY"))))
                .write(file);
        Map<String, Object> props = valid();
        props.put("freehold.node.deployment", file.toString());

        Throwable failure = startupFailure(props, Map.of());

        assertThat(rootCause(failure).getMessage())
                .contains(
                        "freehold.node.deployment",
                        "is for chain 1",
                        "freehold.node.chain-id is 31337");
    }

    @Test
    void aMalformedAddressSaysSoAndNamesTheSetting() {
        Throwable failure = startupFailure(Map.of("freehold.node.oracle", "0x1234"));

        assertThat(rootCause(failure).getMessage()).contains("freehold.node.oracle", "malformed");
    }

    @Test
    void zeroConfirmationsNamesTheSetting() {
        Throwable failure = startupFailure(Map.of("freehold.node.confirmations", 0));

        assertThat(rootCause(failure).getMessage())
                .contains("freehold.node.confirmations", "at least 1", "was 0");
    }

    @Test
    void theDeepReorgAnswerAndTheJournalDepthBindFromTheirKeys() {
        Map<String, Object> props = valid();
        props.put("freehold.node.deep-reorg", "stop");
        props.put("freehold.node.confirmations", 3);
        props.put("freehold.node.journal-blocks", 10);
        ApplicationContext context = ApplicationContext.builder().properties(props).build();
        try {
            context.start();
            NodeConfiguration config = context.getBean(NodeConfiguration.class);
            assertThat(config.deepReorg()).isEqualTo(DeepReorg.STOP);
            assertThat(config.journalBlocks()).isEqualTo(10);
        } finally {
            context.close();
        }
    }

    @Test
    void byDefaultADeepReorgIsRecoveredAndTheJournalIsAsDeepAsTheConfirmations() {
        Map<String, Object> props = valid();
        props.put("freehold.node.confirmations", 5);
        ApplicationContext context = ApplicationContext.builder().properties(props).build();
        try {
            context.start();
            NodeConfiguration config = context.getBean(NodeConfiguration.class);
            assertThat(config.deepReorg()).isEqualTo(DeepReorg.RECOVER);
            assertThat(config.journalBlocks()).isEqualTo(5);
        } finally {
            context.close();
        }
    }

    @Test
    void aJournalShallowerThanTheConfirmationsNamesBothSettings() {
        Throwable failure =
                startupFailure(
                        Map.of(
                                "freehold.node.confirmations",
                                8,
                                "freehold.node.journal-blocks",
                                4));

        assertThat(rootCause(failure).getMessage())
                .contains(
                        "freehold.node.journal-blocks", "freehold.node.confirmations (8)", "was 4");
    }

    // ---- helpers
    // ---------------------------------------------------------------------------------

    /**
     * A configuration that starts: anvil, explicit addresses, no deployment file, a fresh H2 file.
     */
    private Map<String, Object> valid() {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("freehold.node.chain-id", 31337);
        props.put("freehold.node.deployment", "");
        props.put("freehold.node.lending-pool", POOL);
        props.put("freehold.node.oracle", ORACLE);
        props.put("freehold.node.identity-registry", REGISTRY);
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        props.put("freehold.node.rpc.request-timeout", "1s");
        return props;
    }

    private Throwable startupFailure(Map<String, Object> change) {
        return startupFailure(valid(), change);
    }

    private static Throwable startupFailure(Map<String, Object> props, Map<String, Object> change) {
        return StartupFailure.of(props, change);
    }

    /** The innermost cause: what the node itself threw, under Micronaut's wrappers. */
    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The first exception in the chain that is not Micronaut's: what the node said. */
    private static Throwable nodeCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (!t.getClass().getName().startsWith("io.micronaut.")) {
                return t;
            }
        }
        throw new AssertionError("only Micronaut exceptions", failure);
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .toList();
    }
}
