package io.freehold.node.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The node as it starts: the risk service is created with it, binds {@code freehold.node.risk.*},
 * registers its engine with the follower (no bean cycle), and the engine follows the chain; a
 * setting that cannot work stops the start with a message naming it. Waits are polls with a
 * generous deadline.
 */
class RiskServiceTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir Path dir;

    private Anvil anvil;

    @AfterEach
    void stop() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void theEngineStartsWithTheNodeAndFollowsTheChain() throws Exception {
        Map<String, Object> props = deployAndConfigure();
        props.put("freehold.node.risk.age-haircut-bps-per-year", "600");
        try (ApplicationContext context = ApplicationContext.run(props)) {
            RiskConfiguration config = context.getBean(RiskConfiguration.class);
            assertThat(config)
                    .as("application.yml's 1.1, exactly; the key given here")
                    .isEqualTo(new RiskConfiguration(new BigDecimal("1.1"), 600));
            RiskEngine engine = context.getBean(RiskService.class).engine();

            long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
            long giveUp = System.nanoTime() + DEADLINE.toNanos();
            while (engine.asOf().map(cp -> cp.number()).orElse(-1L) < head) {
                assertThat(System.nanoTime())
                        .as("the engine reaches block " + head)
                        .isLessThan(giveUp);
                Thread.sleep(50);
            }
            Deployment deployment = Deployment.read(dir.resolve("deployment.json"));
            assertThat(engine.markets())
                    .hasSize(deployment.markets().size())
                    .noneMatch(MarketRisk::flagged);
            Deployment.MarketEntry first = deployment.market("FH-DET-0412");
            String borrower = deployment.accounts().borrower();
            PositionRisk risk =
                    engine.risk(MarketId.of(first.id()), Address.of(borrower)).orElseThrow();
            LendingPool pool = LocalSystem.pool(anvil, deployment, anvil.credentials(0));
            pool.setDefaultBlockParameter(
                    org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                            java.math.BigInteger.valueOf(risk.asOf().number())));
            LendingPool.PositionView view =
                    pool.position(Numeric.hexStringToByteArray(first.id()), borrower).send();
            assertThat(risk.debt()).isEqualTo(view.debt);
            assertThat(risk.healthFactor()).isEqualTo(view.healthFactor);
            assertThat(risk.liquidationPrice()).isEqualTo(view.liquidationPrice);
            assertThat(risk.band()).as("1.31 is healthy").isEqualTo(HealthBand.HEALTHY);
        }
    }

    @Test
    void aWarningThresholdThatCannotWorkStopsTheStartNamingTheKey() throws Exception {
        Map<String, Object> props = deployAndConfigure();
        props.put("freehold.node.risk.warning-health-factor", "0.9");
        assertThatThrownBy(() -> ApplicationContext.run(props).close())
                .satisfies(
                        e ->
                                assertThat(causes(e))
                                        .contains(
                                                "freehold.node.risk.warning-health-factor must be above 1"));
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private Map<String, Object> deployAndConfigure() throws Exception {
        anvil = Anvil.start();
        Deployment deployment = LocalSystem.deploy(anvil);
        Path file = dir.resolve("deployment.json");
        deployment.write(file);
        Map<String, Object> props = new HashMap<>();
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.deployment", file.toString());
        props.put("freehold.node.confirmations", 4);
        props.put("freehold.node.poll-interval", "100ms");
        props.put("freehold.node.rpc.endpoints", List.of(anvil.rpcUrl()));
        return props;
    }
}
