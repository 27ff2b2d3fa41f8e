package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.WalletUtils;

/**
 * The liquidator as the node wires it: configuration bound from properties, the store on the node's
 * data source, metrics on the node's registry. Watch mode (the default) sends nothing; execute mode
 * with a keystore liquidates what it is offered; execute mode without a key stops the start, naming
 * the setting.
 */
class LiquidationServiceTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static LiquidationChain chain;

    @TempDir Path dir;

    private ApplicationContext context;

    @BeforeAll
    static void startChain() throws Exception {
        chain = LiquidationChain.start();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        chain.reset();
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .as("the liquidator's thread ends with the node")
                .doesNotContain("freehold-liquidator");
    }

    @Test
    void watchModeIsTheDefaultAndSendsNothing() throws Exception {
        context = ApplicationContext.run(properties());
        LiquidationService service = context.getBean(LiquidationService.class);
        assertThat(service.mode()).isEqualTo(LiquidatorConfiguration.Mode.WATCH);
        assertThat(service.executor()).isEmpty();
        long nonce = chain.minedNonce(chain.liquidator);

        List<LiquidationCandidate> offered = chain.liquidatable(chain.crashPrice());
        assertThat(offered).hasSize(2);
        service.offer(offered);
        // Until WATCH mode has checked and logged each (a fixed sleep proved nothing once the
        // machine was slower than the sleep).
        for (LiquidationCandidate c : offered) {
            Waiting.until(
                    DEADLINE, () -> Optional.of(c).filter(x -> service.watched(x.position())));
        }

        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce);
        assertThat(chain.liquidations(chain.borrower)).isEmpty();
        assertThat(context.getBean(AttemptStore.class).latest(chain.market, chain.borrower))
                .isEmpty();
    }

    @Test
    void executeModeWithAKeystoreLiquidatesWhatItIsOffered() throws Exception {
        Map<String, Object> props = properties();
        props.putAll(keystore());
        props.put("freehold.node.liquidator.mode", "execute");
        props.put("freehold.node.liquidator.priority-fee-per-gas", "1000000000");
        props.put("freehold.node.liquidator.fee-bump-percent", "20");
        props.put("freehold.node.liquidator.min-profit", "1000000");
        context = ApplicationContext.run(props);
        LiquidationService service = context.getBean(LiquidationService.class);
        LiquidatorConfiguration config = context.getBean(LiquidatorConfiguration.class);
        assertThat(service.mode()).isEqualTo(LiquidatorConfiguration.Mode.EXECUTE);
        assertThat(config.feeBumpPercent()).isEqualByComparingTo("20");
        assertThat(config.minProfit()).isEqualTo(1_000_000);
        assertThat(config.priorityFeePerGas()).isEqualTo(1_000_000_000L);
        assertThat(service.executor().orElseThrow().liquidator().hex())
                .isEqualTo(chain.liquidator.getAddress());

        service.offer(chain.liquidatable(chain.crashPrice()));

        AttemptStore store = context.getBean(AttemptStore.class);
        Attempt mined =
                awaitMining(() -> Waiting.minedAttempt(store, chain.market, chain.borrower));
        assertThat(chain.liquidations(chain.borrower))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.txHash())
                                        .isEqualTo(mined.outcome().orElseThrow().txHash()));
        awaitMining(() -> Waiting.minedAttempt(store, chain.market, chain.secondBorrower));
        Waiting.counted(context, "freehold.liquidation.mined", 2, DEADLINE);
        // Every registry of the node (the composite and the Prometheus one in it) counts each event
        // once.
        for (MeterRegistry registry : context.getBeansOfType(MeterRegistry.class)) {
            String name = registry.getClass().getSimpleName();
            assertThat(registry.get("freehold.liquidation.mined").functionCounter().count())
                    .as(name)
                    .isEqualTo(2);
            assertThat(registry.get("freehold.liquidation.sent").functionCounter().count())
                    .as(name)
                    .isEqualTo(2);
            assertThat(registry.get("freehold.liquidation.inclusion.blocks").summary().count())
                    .as(name)
                    .isEqualTo(2);
            assertThat(registry.get("freehold.liquidation.detection.time").timer().count())
                    .as(name)
                    .isEqualTo(2);
        }
    }

    @Test
    void executeModeWithoutAKeyStopsTheStartNamingTheSetting() {
        Map<String, Object> props = properties();
        props.put("freehold.node.liquidator.mode", "EXECUTE");
        props.put("freehold.node.liquidator.private-key-env", "FREEHOLD_TEST_NO_SUCH_VARIABLE");
        ApplicationContext failed = ApplicationContext.builder().properties(props).build();
        try {
            assertThatThrownBy(failed::start)
                    .satisfies(
                            e ->
                                    assertThat(rootMessage(e))
                                            .contains(
                                                    "freehold.node.liquidator.mode is EXECUTE but no liquidator key is configured")
                                            .contains("FREEHOLD_TEST_NO_SUCH_VARIABLE"));
        } finally {
            // A context that failed to start destroys nothing on close: release what it built.
            for (BeanRegistration<Object> bean : failed.getActiveBeanRegistrations(Object.class)) {
                try {
                    failed.destroyBean(bean);
                } catch (RuntimeException ignored) {
                    // half-built
                }
            }
            failed.close();
        }
    }

    private Map<String, Object> properties() {
        Path deployment = dir.resolve("deployment.json");
        chain.deployment.write(deployment);
        Map<String, Object> props = new HashMap<>();
        props.put("freehold.node.chain-id", chain.anvil.chainId());
        props.put("freehold.node.deployment", deployment.toString());
        props.put("freehold.node.rpc.endpoints", List.of(chain.anvil.rpcUrl()));
        props.put("freehold.node.liquidator.poll-interval", "100ms");
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("micronaut.server.port", -1);
        return props;
    }

    private Map<String, Object> keystore() throws Exception {
        String file =
                WalletUtils.generateWalletFile(
                        "liquidator password",
                        chain.liquidator.getEcKeyPair(),
                        dir.toFile(),
                        false);
        Path password =
                Files.writeString(dir.resolve("keystore-password"), "liquidator password\n");
        return Map.of(
                "freehold.node.liquidator.keystore",
                dir.resolve(file).toString(),
                "freehold.node.liquidator.keystore-password-file",
                password.toString());
    }

    private static <T> T awaitMining(Supplier<Optional<T>> check) throws Exception {
        return Waiting.mining(chain, DEADLINE, check);
    }

    private static <T> T await(Supplier<Optional<T>> check) throws InterruptedException {
        return Waiting.until(DEADLINE, check);
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
