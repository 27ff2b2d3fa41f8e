package io.freehold.examples.lender;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.examples.common.Format;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The lender app against the real contracts on anvil and the real node: supplying and withdrawing
 * move the lender's shares as the pool says, and the table's figures are the chain's — totals per
 * market, and the borrower an appraisal fall pushed near the line, with the pool's health factor.
 */
class LenderAppTest {

    @TempDir static Path dir;

    private static Anvil anvil;
    private static Deployment deployment;
    private static Path deploymentFile;
    private static EmbeddedServer node;
    private static int grpcPort;

    @BeforeAll
    static void start() throws Exception {
        anvil = Anvil.start();
        deployment = LocalSystem.deploy(anvil);
        deploymentFile = dir.resolve("local.json");
        deployment.write(deploymentFile);
        node =
                ApplicationContext.run(
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
                                0, // any free port, read back below
                                "micronaut.server.port",
                                -1));
        grpcPort = node.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.getApplicationContext().close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    record Run(int exit, String out, String err) {}

    @Test
    void supplyAndWithdrawMoveTheLendersSharesAsThePoolSays() throws Exception {
        String mem = "FH-MEM-2290";
        BigInteger before = shares(mem);
        Run supplied = run("supply", mem, "2500");
        assertThat(supplied.exit()).as(supplied.err()).isZero();
        BigInteger after = shares(mem);
        assertThat(supplied.out()).contains("$2,500.00", (after.subtract(before)) + " shares");

        Run withdrawn = run("withdraw", mem, "all");
        assertThat(withdrawn.exit()).as(withdrawn.err()).isZero();
        assertThat(shares(mem)).isZero();
        assertThat(run("supply", mem, "0").exit()).isEqualTo(2);
    }

    @Test
    void theTableIsTheChainsFiguresAndShowsWhoIsNearTheLine() throws Exception {
        // $52.40 -> $44.00: the local borrower (400 tokens, $12,000 owed) falls to health 1.1 - a
        // warning.
        AppraisalOracle.load(
                        deployment.oracle(),
                        anvil.web3j(),
                        anvil.transactionManager(anvil.credentials(0)),
                        LocalSystem.GAS)
                .forceAppraisal(
                        deployment.market("FH-DET-0412").propertyToken(),
                        LocalSystem.priceOfCents(4_400),
                        "test: comparable sold lower")
                .send();
        awaitApplied();

        Run table = run("watch", "--once");
        assertThat(table.exit()).as(table.err()).isZero();
        LendingPool pool = LocalSystem.pool(anvil, deployment, anvil.credentials(0));
        for (Map.Entry<String, Deployment.MarketEntry> m : deployment.markets().entrySet()) {
            LendingPool.Market onChain =
                    pool.market(Numeric.hexStringToByteArray(m.getValue().id())).send();
            assertThat(table.out())
                    .containsPattern(
                            m.getKey()
                                    + " +"
                                    + java.util.regex.Pattern.quote(
                                            Format.dollars(onChain.totalSupplyAssets))
                                    + " +"
                                    + java.util.regex.Pattern.quote(
                                            Format.dollars(onChain.totalBorrowAssets)));
        }
        LendingPool.PositionView borrower =
                pool.position(
                                Numeric.hexStringToByteArray(deployment.market("FH-DET-0412").id()),
                                deployment.accounts().borrower())
                        .send();
        assertThat(table.out())
                .contains(
                        "nearest liquidation (health below 1.1): 1",
                        "FH-DET-0412  health " + Format.health(borrower.healthFactor, true));
    }

    private Run run(String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[command.length + 6];
        System.arraycopy(command, 0, args, 0, command.length);
        System.arraycopy(
                new String[] {
                    "--rpc",
                    anvil.rpcUrl(),
                    "--node",
                    "127.0.0.1:" + grpcPort,
                    "--deployment",
                    deploymentFile.toString()
                },
                0,
                args,
                command.length,
                6);
        int exit =
                new LenderApp(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(args, Map.of());
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static BigInteger shares(String property) throws Exception {
        return LocalSystem.pool(anvil, deployment, anvil.credentials(0))
                .positionShares(
                        Numeric.hexStringToByteArray(deployment.market(property).id()),
                        deployment.accounts().lender())
                .send()
                .supplyShares;
    }

    private static void awaitApplied() throws Exception {
        long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        var follower =
                node.getApplicationContext()
                        .getBean(io.freehold.node.ingest.IngestionService.class)
                        .follower();
        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (follower.appliedBlock() < head && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
    }
}
