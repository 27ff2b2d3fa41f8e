package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.StartupFailure;
import io.freehold.node.ingest.FatalStop;
import io.freehold.node.ingest.IngestionService;
import io.freehold.types.Address;
import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.generated.Uint16;
import reactor.core.publisher.Mono;

/**
 * {@code freehold.node.protocol=aave-v3} in the real Micronaut context against the real local Aave
 * market: the right configuration starts a node that follows the market (and not the Freehold
 * pool), and each wrong one stops the start with a message naming the setting or the feature.
 */
class AaveNodeStartupTest {

    @TempDir Path dir;

    private AaveChain chain;

    @BeforeEach
    void startChain() throws Exception {
        chain = new AaveChain();
    }

    @AfterEach
    void stopChain() {
        chain.close();
    }

    @Test
    void theRightConfigurationFollowsTheMarketToTheWei() throws Exception {
        ChainWriter borrower = chain.account(1);
        chain.fund(borrower);
        chain.supply(
                fundedLender(),
                chain.usd(),
                AaveChain.USDC.multiply(BigInteger.valueOf(1_000_000)));
        chain.supply(borrower, chain.property(), AaveChain.TOKEN.multiply(BigInteger.valueOf(100)));
        chain.borrow(borrower, AaveChain.USDC.multiply(BigInteger.valueOf(2_000)));
        chain.passTime(30 * 24 * 3600);
        long head = chain.head();

        ApplicationContext context = ApplicationContext.builder().properties(valid()).build();
        try {
            context.start();
            assertThat(context.findBean(IngestionService.class))
                    .as("the Freehold follower is not started")
                    .isEmpty();
            AaveFollower follower = context.getBean(AaveFollowingService.class).follower();
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (follower.applied().map(a -> a.block().number()).orElse(-1L) < head
                    && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
            AppliedAaveBook applied = follower.applied().orElseThrow();
            assertThat(applied.block().number()).isEqualTo(head);
            AccountData expected = chain.accountData(borrower.address(), head);
            assertThat(expected.totalDebtBase()).isPositive();
            assertThat(applied.accountData(Address.of(borrower.address()))).isEqualTo(expected);
            HealthResult readiness =
                    Mono.from(context.getBean(AaveReadiness.class).getResult()).block();
            assertThat(readiness.getStatus()).isEqualTo(HealthStatus.UP);
            assertThat(readiness.getName()).isEqualTo("freehold-serving");
        } finally {
            context.close();
        }
    }

    @Test
    void anErrorOnTheFollowerThreadStopsTheNodeInsteadOfEndingTheThreadSilently() throws Exception {
        AtomicReference<RuntimeException> stopped = new AtomicReference<>();
        ApplicationContext context = ApplicationContext.builder().properties(valid()).build();
        context.registerSingleton(FatalStop.class, stopped::set);
        try {
            context.start();
            AaveFollowingService following = context.getBean(AaveFollowingService.class);
            following.addListener(
                    (result, before, applied) -> {
                        throw new LinkageError("a class replaced under the running node");
                    });
            ChainWriter borrower = chain.account(1);
            chain.fund(borrower);
            // A supply: a step that changes the book, so the listener hears of it.
            chain.supply(borrower, chain.usd(), AaveChain.USDC.multiply(BigInteger.valueOf(10)));

            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (stopped.get() == null && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
            assertThat(stopped.get()).as("the node stopped").isNotNull();
            assertThat(stopped.get()).hasRootCauseInstanceOf(LinkageError.class);
            assertThat(following.phase()).isEqualTo(AaveFollowingService.Phase.FAILED);
        } finally {
            context.close();
        }
    }

    @Test
    void aPoolOfAnotherAddressNamesTheSettingAndTheProvidersAnswer() {
        String wrong = chain.market.poolConfigurator();
        Throwable failure = startupFailure(Map.of("freehold.node.aave.pool", wrong));

        assertThat(nodeCause(failure)).isInstanceOf(AaveMarketRefusedException.class);
        assertThat(nodeCause(failure).getMessage())
                .contains(
                        "freehold.node.aave.pool",
                        wrong.toLowerCase(),
                        "getPool()",
                        chain.market.pool().toLowerCase());
    }

    @Test
    void aProviderThatIsNoProviderIsRefused() {
        // The oracle has code but no getPool().
        String wrong = chain.market.oracle();
        Throwable failure = startupFailure(Map.of("freehold.node.aave.addresses-provider", wrong));

        assertThat(nodeCause(failure).getMessage())
                .contains(
                        "freehold.node.aave.addresses-provider",
                        wrong.toLowerCase(),
                        "does not answer",
                        "getPool()");
    }

    @Test
    void anAddressWithoutCodeIsRefused() {
        String nobody = "0x00000000000000000000000000000000000badd0";
        Throwable failure = startupFailure(Map.of("freehold.node.aave.addresses-provider", nobody));

        assertThat(nodeCause(failure).getMessage())
                .contains("freehold.node.aave.addresses-provider", nobody, "has no code");
    }

    @Test
    void aDataProviderOfAnotherMarketIsRefused() {
        // The stablecoin has code but no ADDRESSES_PROVIDER().
        String wrong = chain.usd();
        Throwable failure = startupFailure(Map.of("freehold.node.aave.data-provider", wrong));

        assertThat(nodeCause(failure).getMessage())
                .contains(
                        "freehold.node.aave.data-provider",
                        wrong.toLowerCase(),
                        "ADDRESSES_PROVIDER()");
    }

    @Test
    void stableRateBorrowingIsRefusedAsAnUnsupportedFeature() throws Exception {
        chain.admin.send(
                chain.market.poolConfigurator(),
                "setReserveStableRateBorrowing",
                AaveChain.addr(chain.usd()),
                new Bool(true));

        Throwable failure = startupFailure(Map.of());

        assertThat(nodeCause(failure).getMessage())
                .contains("unsupported feature: stable-rate debt", chain.usd().toLowerCase());
    }

    @Test
    void stableDebtOutstandingIsRefusedEvenWithStableBorrowingOff() throws Exception {
        chain.admin.send(
                chain.market.poolConfigurator(),
                "setReserveStableRateBorrowing",
                AaveChain.addr(chain.usd()),
                new Bool(true));
        chain.supply(
                fundedLender(),
                chain.usd(),
                AaveChain.USDC.multiply(BigInteger.valueOf(1_000_000)));
        ChainWriter borrower = chain.account(1);
        chain.fund(borrower);
        chain.supply(borrower, chain.property(), AaveChain.TOKEN.multiply(BigInteger.valueOf(100)));
        borrower.send(
                chain.market.pool(),
                "borrow",
                AaveChain.addr(chain.usd()),
                AaveChain.uint(AaveChain.USDC.multiply(BigInteger.valueOf(100))),
                AaveChain.uint(BigInteger.ONE), // stable
                new Uint16(0),
                AaveChain.addr(borrower.address()));
        chain.admin.send(
                chain.market.poolConfigurator(),
                "setReserveStableRateBorrowing",
                AaveChain.addr(chain.usd()),
                new Bool(false));

        Throwable failure = startupFailure(Map.of());

        assertThat(nodeCause(failure).getMessage())
                .contains(
                        "unsupported feature: stable-rate debt", "of stable-rate debt outstanding");
    }

    @Test
    void aMissingStartBlockNamesTheSetting() {
        Map<String, Object> props = valid();
        props.remove("freehold.node.aave.start-block");

        Throwable failure = startupFailure(props, Map.of());

        assertThat(nodeCause(failure).getMessage())
                .contains("freehold.node.aave.start-block is required");
    }

    @Test
    void executeModeWithoutANativePriceNamesTheSetting() {
        Throwable failure = startupFailure(Map.of("freehold.node.liquidator.mode", "execute"));

        assertThat(nodeCause(failure).getMessage())
                .contains("freehold.node.aave.native-price is required in EXECUTE mode");
    }

    @Test
    void anUnknownProtocolNamesTheKeyAndTheChoices() {
        Throwable failure = startupFailure(Map.of("freehold.node.protocol", "aave-v2"));

        assertThat(nodeCause(failure).getMessage())
                .contains("freehold.node.protocol aave-v2", "freehold, aave-v3");
    }

    private ChainWriter fundedLender() throws Exception {
        ChainWriter lender = chain.account(2);
        chain.fund(lender);
        return lender;
    }

    private Map<String, Object> valid() {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("grpc.server.port", -1);
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("freehold.node.chain-id", 31337);
        props.put("freehold.node.protocol", "aave-v3");
        props.put("freehold.node.aave.addresses-provider", chain.market.addressesProvider());
        props.put("freehold.node.aave.start-block", chain.market.startBlock());
        props.put("freehold.node.poll-interval", "50ms");
        props.put("freehold.node.rpc.endpoints", List.of(chain.anvil.rpcUrl()));
        props.put("freehold.node.rpc.request-timeout", "2s");
        return props;
    }

    private Throwable startupFailure(Map<String, Object> change) {
        return startupFailure(valid(), change);
    }

    private static Throwable startupFailure(Map<String, Object> props, Map<String, Object> change) {
        return StartupFailure.of(props, change);
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
}
