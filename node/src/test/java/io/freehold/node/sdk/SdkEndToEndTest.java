package io.freehold.node.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.RunningNode;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.HealthBand;
import io.freehold.sdk.Market;
import io.freehold.sdk.NotFoundException;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionQuery;
import io.freehold.sdk.Simulation;
import io.freehold.sdk.SimulationResult;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.tx.ReadonlyTransactionManager;

/**
 * What a lender's code sees: the SDK's FreeholdClient against the real node following a real anvil.
 * The numbers that come out of the SDK's domain types are the pool's own views to the wei.
 */
class SdkEndToEndTest {

    @TempDir static Path dir;

    private static RunningNode node;
    private static Anvil anvil;
    private static Deployment deployment;
    private static FreeholdClient client;

    @BeforeAll
    static void start() throws Exception {
        node = RunningNode.start(dir, Map.of());
        anvil = node.anvil;
        deployment = node.deployment;
        int port = node.grpcPort();
        client =
                FreeholdClient.create(
                        FreeholdSettings.builder()
                                .target("127.0.0.1:" + port)
                                .tls(false)
                                .deadline(Duration.ofSeconds(10))
                                .build());
        long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (client.status().appliedBlock() < head && System.nanoTime() < giveUp) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aLendersViewIsThePoolsView() throws Exception {
        MarketId det = MarketId.fromHex(deployment.market("FH-DET-0412").id());
        Address borrower = Address.fromHex(deployment.accounts().borrower());
        Position p = client.position(det, borrower);
        LendingPool.PositionView view =
                pool(p.asOf().blockNumber())
                        .position(det.toBytes(), deployment.accounts().borrower())
                        .send();
        assertThat(p.debt()).isEqualTo(view.debt);
        assertThat(p.collateralValue()).isEqualTo(view.collateralValue);
        assertThat(p.healthFactor().toWad().raw()).isEqualTo(view.healthFactor);
        // Interest accrues by the second, so the seeded 1.31 reads 1.3099 once a block is late: the
        // display rounds down and never shows a position healthier than the pool's view.
        assertThat(p.healthFactor().toString())
                .isEqualTo(
                        new BigDecimal(view.healthFactor, 18)
                                .setScale(4, RoundingMode.DOWN)
                                .toPlainString())
                .startsWith("1.3");
        assertThat(p.liquidationPrice()).isEqualTo(view.liquidationPrice);
        assertThat(p.maxBorrowable()).isEqualTo(view.maxBorrowable);
        assertThat(p.band()).isEqualTo(HealthBand.HEALTHY);

        List<Market> markets = client.markets();
        assertThat(markets).hasSize(3);
        assertThat(client.positions(PositionQuery.builder().pageSize(1).build()).count())
                .isEqualTo(client.positions(PositionQuery.all()).count())
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void simulationAndErrorsComeBackAsDomainTypes() {
        MarketId det = MarketId.fromHex(deployment.market("FH-DET-0412").id());
        Address borrower = Address.fromHex(deployment.accounts().borrower());
        SimulationResult crash =
                client.simulate(Simulation.price(det, borrower, LocalSystem.priceOfCents(3_500)));
        assertThat(crash.after().healthFactor().isLiquidatable()).isTrue();
        assertThat(crash.before().healthFactor().isLiquidatable()).isFalse();
        SimulationResult tooMuch =
                client.simulate(
                        Simulation.borrow(
                                det, borrower, crash.before().maxBorrowable().add(BigInteger.ONE)));
        assertThat(tooMuch.revertReason()).hasValue("MaxLtvExceeded");
        assertThatThrownBy(() -> client.position(det, Address.fromHex("0x" + "77".repeat(20))))
                .isInstanceOf(NotFoundException.class);
    }

    private static LendingPool pool(long block) {
        LendingPool pool =
                LendingPool.load(
                        deployment.lendingPool(),
                        anvil.web3j(),
                        new ReadonlyTransactionManager(
                                anvil.web3j(), deployment.accounts().admin()),
                        LocalSystem.GAS);
        pool.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return pool;
    }
}
