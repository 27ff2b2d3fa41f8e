package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.EndpointStatus;
import io.freehold.node.chain.FaultInjectingProxy;
import io.freehold.node.chain.FaultInjectingProxy.Fault;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower against faulty endpoints: a loopback proxy in front of anvil that injects errors,
 * delays, hangs and dropped connections, with a second endpoint behind it; an endpoint that lags;
 * an endpoint that refuses wide {@code eth_getLogs} ranges. In every case nothing is missed: the
 * node ends with the same events as a fault-free follower and equals the contracts' views to the
 * wei. Evidence of failover and of the breaker comes from what reached each proxy and from {@link
 * ChainRpc#status()}, never from timing.
 */
class FollowerFaultsTest {

    /** Ample for anvil's answers on a loaded machine: a slow answer is no fault in these tests. */
    private static final Duration SLOW_ANVIL = Duration.ofSeconds(10);

    private static final int CONFIRMATIONS = 16;

    @TempDir static Path shared;

    private static Anvil anvil;
    private static ProtocolActivity activity;
    private static Path deploymentFile;

    /** What a follower reading anvil directly, with no faults, applies up to {@link #head}. */
    private static long head;

    private static long referenceEvents;
    private static long referenceBlocks;

    @TempDir Path dir;

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @BeforeAll
    static void buildHistory() throws Exception {
        anvil = Anvil.builder().accounts(10).start();
        activity = ProtocolActivity.deploy(anvil, 20260301L);
        activity.run(150);
        assertThat(activity.succeeded(ProtocolActivity.Action.BORROW))
                .as(activity.summary())
                .isPositive();
        deploymentFile = shared.resolve("deployment.json");
        activity.deployment.write(deploymentFile);
        head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();

        Path referenceDir = Files.createDirectories(shared.resolve("reference"));
        try (TestDatabase db = TestDatabase.h2(referenceDir);
                ChainRpc rpc =
                        new ChainRpc(RpcConfiguration.builder(List.of(anvil.rpcUrl())).build())) {
            Follower reference = follower(rpc, db.open(), 50);
            reference.syncToHead();
            assertThat(reference.appliedBlock()).isEqualTo(head);
            referenceEvents = reference.eventsApplied();
            referenceBlocks = reference.blocksApplied();
        }
        assertThat(referenceEvents).isGreaterThan(100);
    }

    @AfterAll
    static void stopAnvil() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
    }

    // ---- errors, delays, hangs, dropped connections; failover; the breaker
    // ---------------------------

    @Test
    void faultsOnTheFirstEndpointMissNothingFailOverAndTheBreakerOpensAndCloses() throws Exception {
        FaultInjectingProxy first = proxy();
        FaultInjectingProxy second = proxy();
        Duration openDuration = Duration.ofSeconds(1);
        ChainRpc rpc =
                rpc(
                        RpcConfiguration.builder(List.of(first.url(), second.url()))
                                .requestTimeout(Duration.ofMillis(500))
                                .retryAttempts(2)
                                .retryBackoff(Duration.ofMillis(5), 2, 0.5, Duration.ofMillis(50))
                                .breaker(10, 5, 50, openDuration)
                                .requestsPerSecond(0)
                                .build());
        rpc.requireChainId(anvil.chainId());
        Set<String> firstBreakerStates = watchBreaker(rpc, 0);
        Follower follower = follower(rpc, store(), 10);
        long start = activity.deployment.startBlock();
        long third = (head - start) / 3;

        // 1. A third of the history through random faults of every kind on the first endpoint.
        first.delays(Duration.ofMillis(30), Duration.ofSeconds(2))
                .randomFaults(
                        7,
                        0.3,
                        Fault.HTTP_500,
                        Fault.JSON_RPC_ERROR,
                        Fault.DROP,
                        Fault.RESET,
                        Fault.DELAY,
                        Fault.HANG);
        while (follower.appliedBlock() < start + third) {
            follower.step();
        }
        assertThat(first.faultsInjected()).isPositive();

        // 2. The next third with the first endpoint failing every request: its breaker opens and
        // the second endpoint serves everything.
        first.failAll(Fault.HTTP_500);
        int secondLogsBefore = second.calls("eth_getLogs");
        int secondHeadersBefore = second.calls("eth_getBlockByNumber");
        while (follower.appliedBlock() < start + 2 * third) {
            follower.step();
        }
        assertThat(firstBreakerStates)
                .as("the first endpoint's breaker states seen")
                .contains("OPEN");
        assertThat(second.calls("eth_getLogs"))
                .as("eth_getLogs failed over")
                .isGreaterThan(secondLogsBefore);
        assertThat(second.calls("eth_getBlockByNumber"))
                .as("headers failed over")
                .isGreaterThan(secondHeadersBefore);
        assertThat(rpc.status().get(0).lastError()).contains("HTTP 500");
        assertThat(rpc.status().get(1).breakerState()).isEqualTo("CLOSED");

        // 3. Healed: the rest of the history, then the breaker closes once the open duration has
        // passed and a probe succeeds (the follower's head polls are the probes).
        first.heal();
        follower.syncToHead();
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!rpc.status().get(0).breakerState().equals("CLOSED")) {
            assertThat(System.nanoTime())
                    .as("the breaker never closed: " + rpc.status().get(0))
                    .isLessThan(giveUp);
            assertThat(follower.step()).isEqualTo(Follower.StepResult.AT_HEAD);
            Thread.sleep(50);
        }
        EndpointStatus healed = rpc.status().get(0);
        assertThat(healed.consecutiveFailures()).isZero();
        assertThat(healed.lastSeenHead()).isEqualTo(head);

        // Closed again, the first endpoint is preferred again.
        int firstHeaders = first.calls("eth_getBlockByNumber");
        int secondHeaders = second.calls("eth_getBlockByNumber");
        assertThat(rpc.header(head).number()).isEqualTo(head);
        assertThat(first.calls("eth_getBlockByNumber")).isEqualTo(firstHeaders + 1);
        assertThat(second.calls("eth_getBlockByNumber")).isEqualTo(secondHeaders);

        assertNothingMissed(follower);
    }

    // ---- a lagging endpoint --------------------------------------------------------------------

    @Test
    void aLaggingFirstEndpointIsNotTrustedForTheHeadNorAskedBeyondIt() throws Exception {
        long stale =
                activity.deployment.startBlock() + (head - activity.deployment.startBlock()) / 2;
        FaultInjectingProxy first = proxy().pinBlockNumber(stale);
        FaultInjectingProxy second = proxy();
        ChainRpc rpc =
                rpc(
                        RpcConfiguration.builder(List.of(first.url(), second.url()))
                                .requestTimeout(SLOW_ANVIL)
                                .requestsPerSecond(0)
                                .build());
        rpc.requireChainId(anvil.chainId());
        Follower follower = follower(rpc, store(), 10);

        follower.syncToHead();

        assertThat(follower.head())
                .as("the head is the best head, not the first endpoint's")
                .isEqualTo(head);
        assertThat(follower.appliedBlock()).isEqualTo(head);
        EndpointStatus lagging = rpc.status().get(0);
        assertThat(lagging.lagging()).isTrue();
        assertThat(lagging.lastSeenHead()).isEqualTo(stale);
        assertThat(rpc.status().get(1).lagging()).isFalse();
        // First in line, it served the blocks it has seen, and was never asked about later ones.
        assertThat(first.calls("eth_getLogs")).isPositive();
        assertThat(first.highestBlockAsked()).isBetween(activity.deployment.startBlock(), stale);
        assertThat(second.highestBlockAsked()).isEqualTo(head);
        assertNothingMissed(follower);
    }

    // ---- "too many results"
    // ----------------------------------------------------------------------

    @Test
    void anEndpointRefusingWideLogRangesStillYieldsEverything() throws Exception {
        long limit = 4;
        FaultInjectingProxy only = proxy().limitLogRange(limit);
        ChainRpc rpc =
                rpc(
                        RpcConfiguration.builder(List.of(only.url()))
                                .requestTimeout(SLOW_ANVIL)
                                .requestsPerSecond(0)
                                .build());
        rpc.requireChainId(anvil.chainId());
        // Steps far wider than the endpoint accepts: the RPC layer must split each of them.
        Follower follower = follower(rpc, store(), 500);

        follower.syncToHead();

        assertThat(only.tooManyResultsAnswers()).isPositive();
        assertThat(only.widestLogRangeServed()).isBetween(1L, limit);
        assertThat(rpc.status().get(0).logRangeBlocks()).isLessThanOrEqualTo((int) limit * 2);
        assertThat(rpc.status().get(0).breakerState())
                .as("a refused range is not the endpoint's fault")
                .isEqualTo("CLOSED");
        assertThat(follower.appliedBlock()).isEqualTo(head);
        assertNothingMissed(follower);
    }

    // ---- helpers
    // ---------------------------------------------------------------------------------

    private void assertNothingMissed(Follower follower) throws Exception {
        assertThat(follower.appliedBlock()).isEqualTo(head);
        assertThat(follower.eventsApplied())
                .as("events applied, against a fault-free follower")
                .isEqualTo(referenceEvents);
        assertThat(follower.blocksApplied()).isEqualTo(referenceBlocks);
        FollowerSyncTest.assertMatchesChain(activity, follower.state());
    }

    private static Follower follower(ChainRpc rpc, StateStore store, int rangeBlocks) {
        NodeConfiguration config =
                NodeConfiguration.of(anvil.chainId(), deploymentFile.toString())
                        .withConfirmations(CONFIRMATIONS);
        return new Follower(rpc, store, ContractAddresses.resolve(config), config, rangeBlocks);
    }

    private FaultInjectingProxy proxy() {
        return add(FaultInjectingProxy.start(anvil.rpcUrl()));
    }

    private ChainRpc rpc(RpcConfiguration config) {
        return add(new ChainRpc(config));
    }

    private StateStore store() {
        return add(TestDatabase.h2(dir)).open();
    }

    /** Samples one endpoint's breaker state every few milliseconds until the test ends. */
    private Set<String> watchBreaker(ChainRpc rpc, int endpoint) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService sampler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "breaker-watch");
                            t.setDaemon(true);
                            return t;
                        });
        sampler.scheduleAtFixedRate(
                () -> seen.add(rpc.status().get(endpoint).breakerState()),
                0,
                5,
                TimeUnit.MILLISECONDS);
        AutoCloseable stop = sampler::shutdownNow;
        add(stop);
        return seen;
    }

    private <T extends AutoCloseable> T add(T closeable) {
        open.push(closeable);
        return closeable;
    }
}
