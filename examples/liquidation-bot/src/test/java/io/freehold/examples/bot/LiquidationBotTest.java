package io.freehold.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.examples.common.Format;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The bot against the real contracts on anvil and the real node (watching only, so the bot is the
 * one to act): an appraisal fall makes the local borrower liquidatable, the bot liquidates it with
 * its own key and reports what the Liquidate event says; started again on the same state it resumes
 * and does nothing twice.
 */
class LiquidationBotTest {

    @TempDir static Path dir;

    private static Anvil anvil;
    private static Deployment deployment;
    private static Path deploymentFile;
    private static EmbeddedServer node;
    private static int grpcPort;
    private static final Credentials BOT = Credentials.create(LiquidationBot.LOCAL_BOT_KEY);

    @BeforeAll
    static void start() throws Exception {
        anvil = Anvil.start();
        deployment = LocalSystem.deploy(anvil);
        deploymentFile = dir.resolve("local.json");
        deployment.write(deploymentFile);
        // The bot's account: verified (it receives property tokens) and holding the stablecoin.
        BotChain.readyTheBot(anvil, deployment, BOT);
        node = BotChain.startNode(anvil, deploymentFile, dir);
        grpcPort = BotChain.grpcPort(node);
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
    void liquidatesWhatFellReportsTheEventAndDoesNothingTwiceAfterARestart() throws Exception {
        Path state = dir.resolve("bot.state");
        // $52.40 -> $35.00: the local borrower (400 tokens, $12,000 owed) falls to health 0.875.
        long fell =
                AppraisalOracle.load(
                                deployment.oracle(),
                                anvil.web3j(),
                                anvil.transactionManager(anvil.credentials(0)),
                                LocalSystem.GAS)
                        .forceAppraisal(
                                deployment.market("FH-DET-0412").propertyToken(),
                                LocalSystem.priceOfCents(3_500),
                                "test: comparable sold far below")
                        .send()
                        .getBlockNumber()
                        .longValueExact();
        // The bot stops after 3 quiet seconds: it must not start before the node has the fall.
        BotChain.awaitNodeAt(
                grpcPort,
                io.freehold.types.MarketId.fromHex(deployment.market("FH-DET-0412").id()),
                io.freehold.types.Address.fromHex(
                        deployment.accounts().borrower().toLowerCase(java.util.Locale.ROOT)),
                fell);

        Run first = run(state);
        assertThat(first.exit()).as(first.err()).isZero();
        List<LendingPool.LiquidateEventResponse> events = liquidationsBy(BOT.getAddress());
        assertThat(events).hasSize(1);
        LendingPool.LiquidateEventResponse e = events.get(0);
        assertThat(e.borrower).isEqualToIgnoringCase(deployment.accounts().borrower());
        assertThat(first.out())
                .contains(
                        "liquidated ",
                        "repaid " + Format.dollars(e.repaidAssets),
                        "seized " + Format.tokens(e.seizedCollateral),
                        "done: 1 liquidation(s)");
        assertThat(BotState.load(state).cursor()).isPresent();

        Run second = run(state);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("resuming after block", "done: 0 liquidation(s)");
        assertThat(liquidationsBy(BOT.getAddress())).hasSize(1);
    }

    private Run run(Path state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                new LiquidationBot(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(
                                new String[] {
                                    "--rpc",
                                    anvil.rpcUrl(),
                                    "--node",
                                    "127.0.0.1:" + grpcPort,
                                    "--deployment",
                                    deploymentFile.toString(),
                                    "--state",
                                    state.toString(),
                                    "--exit-when-idle",
                                    "3"
                                },
                                Map.of());
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<LendingPool.LiquidateEventResponse> liquidationsBy(String liquidator)
            throws Exception {
        var filter =
                new org.web3j.protocol.core.methods.request.EthFilter(
                        DefaultBlockParameterName.EARLIEST,
                        DefaultBlockParameterName.LATEST,
                        deployment.lendingPool());
        List<LendingPool.LiquidateEventResponse> found = new java.util.ArrayList<>();
        for (var log : anvil.web3j().ethGetLogs(filter).send().getLogs()) {
            var l = (org.web3j.protocol.core.methods.response.Log) log.get();
            if (!l.getTopics().isEmpty()
                    && l.getTopics()
                            .get(0)
                            .equals(
                                    org.web3j.abi.EventEncoder.encode(
                                            LendingPool.LIQUIDATE_EVENT))) {
                var e = LendingPool.getLiquidateEventFromLog(l);
                if (e.liquidator.equalsIgnoreCase(liquidator)) {
                    found.add(e);
                }
            }
        }
        return found;
    }
}
