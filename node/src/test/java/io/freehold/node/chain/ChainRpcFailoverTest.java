package io.freehold.node.chain;

import static io.freehold.node.chain.Closer.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.node.chain.FaultInjectingProxy.Fault;
import io.freehold.node.chain.RpcException.Kind;
import io.freehold.types.BlockHeader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two endpoints, both loopback proxies in front of one real anvil, the first one failing in the
 * ways an RPC provider fails. Evidence comes from what reached each proxy, never from timing;
 * failover times are measured and printed, not asserted.
 */
class ChainRpcFailoverTest {

    private static TestChain chain;
    private static long head;
    private static BlockHeader expectedHeader;

    private final Closer closer = new Closer();

    @BeforeAll
    static void startChain() throws Exception {
        chain = TestChain.start(3, 3);
        head = chain.head();
        try (ChainRpc direct = new ChainRpc(config(chain.url()).build())) {
            expectedHeader = direct.header(head);
        }
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @AfterEach
    void closeClients() {
        closer.close();
    }

    // ---- retry on the same endpoint, or not ---------------------------------------------------

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"HTTP_500", "JSON_RPC_ERROR", "RESET", "DROP"})
    void transientFaultsAreRetriedOnTheSameEndpoint(Fault fault) {
        FaultInjectingProxy first = closer.proxy(chain.url()).failNext(2, fault);
        FaultInjectingProxy second = closer.proxy(chain.url());
        ChainRpc rpc = closer.rpc(config(first.url(), second.url()).build());

        assertThat(rpc.chainId()).isEqualTo(chain.anvil.chainId());

        assertThat(first.calls("eth_chainId"))
                .as("two failures, then the third attempt")
                .isEqualTo(3);
        assertThat(second.calls("eth_chainId")).isZero();
        assertThat(rpc.status().get(0).consecutiveFailures()).isZero();
    }

    @Test
    void deterministicErrorsAreNeitherRetriedNorFailedOver() {
        FaultInjectingProxy first = closer.proxy(chain.url()).failAll(Fault.INVALID_PARAMS);
        FaultInjectingProxy second = closer.proxy(chain.url());
        ChainRpc rpc = closer.rpc(config(first.url(), second.url()).build());

        assertThatThrownBy(rpc::chainId)
                .isInstanceOfSatisfying(
                        RpcException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
                            assertThat(e.code()).isEqualTo(-32602);
                            assertThat(e.endpoint()).isEqualTo(rpc.status().get(0).name());
                        });
        assertThat(first.calls("eth_chainId")).isEqualTo(1);
        assertThat(second.calls("eth_chainId")).isZero();
        assertThat(rpc.status().get(0).breakerState()).isEqualTo("CLOSED");
        assertThat(rpc.status().get(0).consecutiveFailures())
                .as("it answered; the request was wrong")
                .isZero();
    }

    @Test
    void aHungEndpointIsNotWaitedForTwice() {
        FaultInjectingProxy first =
                closer.proxy(chain.url())
                        .failAll(Fault.HANG)
                        .delays(Duration.ZERO, Duration.ofSeconds(5));
        FaultInjectingProxy second = closer.proxy(chain.url());
        ChainRpc rpc = closer.rpc(config(first.url(), second.url()).build());

        assertThat(rpc.chainId()).isEqualTo(chain.anvil.chainId());

        assertThat(first.calls("eth_chainId")).isEqualTo(1);
        assertThat(second.calls("eth_chainId")).isEqualTo(1);
        assertThat(rpc.status().get(0).lastError()).contains("timed out");
    }

    // ---- (b) failover to the second endpoint ----------------------------------------------------

    enum Outage {
        DOWN,
        HTTP_500,
        RESET,
        HANG
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void whenTheFirstEndpointFailsTheCallSucceedsOnTheSecond(Outage outage) {
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            cold.add(failoverMillis(outage, false));
            warm.add(failoverMillis(outage, true));
        }
        System.out.printf(
                Locale.ROOT,
                "MEASURE failover, first endpoint %s: first call of a new client %s ms, "
                        + "call of a client in use %s ms (target < 2000 ms; request timeout 1 s)%n",
                outage,
                summary(cold),
                summary(warm));
    }

    /**
     * Time of one header call whose first endpoint suffers {@code outage}; asserts where it was
     * served.
     */
    private double failoverMillis(Outage outage, boolean inUse) {
        try (Closer local = new Closer()) {
            FaultInjectingProxy first = local.proxy(chain.url());
            FaultInjectingProxy second = local.proxy(chain.url());
            ChainRpc rpc = local.rpc(config(first.url(), second.url()).build());
            if (inUse) {
                rpc.head();
                assertThat(rpc.header(head - 1).number()).isEqualTo(head - 1);
                assertThat(first.calls("eth_getBlockByNumber")).isEqualTo(1);
            }
            int servedBySecond = second.calls("eth_getBlockByNumber");
            switch (outage) {
                case DOWN -> first.down();
                case HTTP_500 -> first.failAll(Fault.HTTP_500);
                case RESET -> first.failAll(Fault.RESET);
                case HANG -> first.failAll(Fault.HANG).delays(Duration.ZERO, Duration.ofSeconds(5));
            }

            long started = System.nanoTime();
            BlockHeader header = rpc.header(head);
            double millis = (System.nanoTime() - started) / 1e6;

            assertThat(header).isEqualTo(expectedHeader);
            assertThat(second.calls("eth_getBlockByNumber")).isEqualTo(servedBySecond + 1);
            assertThat(rpc.status().get(0).consecutiveFailures()).isPositive();
            return millis;
        }
    }

    // ---- (c) the breaker opens, probes, and closes
    // -----------------------------------------------

    @Test
    void theBreakerOpensAfterFailuresAndClosesAgainOnceTheEndpointHeals() {
        FaultInjectingProxy first = closer.proxy(chain.url()).failAll(Fault.HTTP_500);
        FaultInjectingProxy second = closer.proxy(chain.url());
        // Open for long enough that the three calls below, meant to meet it open, cannot outlast
        // it on a loaded machine (it costs that much, twice, when the test waits for a probe).
        ChainRpc rpc =
                closer.rpc(
                        config(first.url(), second.url())
                                .breaker(4, 4, 50, Duration.ofSeconds(5))
                                .build());

        // Failing: each call still succeeds, on the second endpoint, until the first one's breaker
        // opens.
        for (int i = 0; i < 10 && !breaker(rpc).equals("OPEN"); i++) {
            assertThat(rpc.chainId()).isEqualTo(chain.anvil.chainId());
        }
        assertThat(breaker(rpc)).isEqualTo("OPEN");
        assertThat(rpc.status().get(0).lastError()).contains("HTTP 500");

        // Open: the first endpoint is skipped without a request.
        int reachedFirst = first.calls("eth_chainId");
        for (int i = 0; i < 3; i++) {
            assertThat(rpc.chainId()).isEqualTo(chain.anvil.chainId());
        }
        assertThat(first.calls("eth_chainId")).isEqualTo(reachedFirst);

        // After the open duration one probe goes through; it fails, so the breaker opens again.
        awaitWhileCalling(rpc, () -> first.calls("eth_chainId") > reachedFirst);
        assertThat(first.calls("eth_chainId")).as("exactly one probe").isEqualTo(reachedFirst + 1);
        assertThat(breaker(rpc)).isEqualTo("OPEN");

        // Healed: the next probe succeeds and the breaker closes; the first endpoint serves again.
        first.heal();
        awaitWhileCalling(rpc, () -> breaker(rpc).equals("CLOSED"));
        int servedBySecond = second.calls("eth_chainId");
        int servedByFirst = first.calls("eth_chainId");
        assertThat(rpc.chainId()).isEqualTo(chain.anvil.chainId());
        assertThat(first.calls("eth_chainId")).isEqualTo(servedByFirst + 1);
        assertThat(second.calls("eth_chainId")).isEqualTo(servedBySecond);
        assertThat(rpc.status().get(0).consecutiveFailures()).isZero();
    }

    @Test
    void withEveryEndpointDownTheCallFailsNamingEach() {
        FaultInjectingProxy first = closer.proxy(chain.url());
        FaultInjectingProxy second = closer.proxy(chain.url());
        ChainRpc rpc = closer.rpc(config(first.url(), second.url()).build());
        first.down();
        second.down();

        assertThatThrownBy(rpc::head)
                .isInstanceOfSatisfying(
                        RpcException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                            assertThat(e.getSuppressed()).hasSize(2);
                            assertThat(e.getMessage())
                                    .contains(
                                            rpc.status().get(0).name(), rpc.status().get(1).name());
                        });
        assertThatThrownBy(() -> rpc.header(1))
                .isInstanceOfSatisfying(
                        RpcException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));

        second.up();
        assertThat(rpc.header(head)).isEqualTo(expectedHeader);
    }

    private static String breaker(ChainRpc rpc) {
        return rpc.status().get(0).breakerState();
    }

    /**
     * Keeps the client busy (as the follower would) until {@code condition} holds. Not a timing
     * assertion: the bound only keeps a broken build from hanging.
     */
    private static void awaitWhileCalling(ChainRpc rpc, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition never held").isLessThan(giveUp);
            assertThat(rpc.chainId()).isEqualTo(chain.anvil.chainId());
            sleep(50);
        }
    }

    private static String summary(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "median %.0f / max %.0f",
                sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
