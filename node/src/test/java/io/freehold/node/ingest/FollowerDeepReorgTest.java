package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.api.health.GrpcHealthReporter;
import io.freehold.node.api.health.HealthConfiguration;
import io.freehold.node.api.health.Serving;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.DeepReorg;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.store.StateStore;
import io.freehold.types.BlockHeader;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.health.HealthStatus;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Reorgs deeper than the confirmation window, injected into a real anvil with {@code anvil_reorg}
 * (the last blocks replaced by new ones holding other transactions), on H2 and PostgreSQL:
 *
 * <ul>
 *   <li>with a journal deeper than the window, the node rolls back to the newest stored block the
 *       chain still has and re-applies from there;
 *   <li>when no stored block survives, it clears the state and resyncs from the start block;
 *   <li>in both cases the books then equal the contracts' views to the wei ({@link
 *       ChainComparison});
 *   <li>the ingestion service does that by itself, NOT_SERVING on {@code /health} and on the
 *       standard gRPC health service while it recovers, SERVING again at the head;
 *   <li>with {@code deep-reorg=stop} the node stops as before and leaves the store alone.
 * </ul>
 */
class FollowerDeepReorgTest {

    private static final int CONFIRMATIONS = 2;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir Path dir;

    private Anvil anvil;
    private ChainRpc rpc;
    private TestDatabase database;
    private HttpService http;
    private final List<AutoCloseable> closers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        if (rpc != null) {
            rpc.close();
        }
        if (database != null) {
            database.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aDeepReorgRollsBackToTheNewestStoredBlockTheChainStillHas(String db) throws Exception {
        ProtocolActivity activity = start(20261207L);
        activity.run(25);
        StateStore store = open(db);
        // The journal reaches 12 blocks down, the window only 2: a reorg of 6 is "deep" but
        // undoable.
        NodeConfiguration config = config(activity).withJournalBlocks(12);
        Follower follower = follower(activity, store, config);
        follower.syncToHead();
        // Follow block by block, as at the head, so that every new block is journaled.
        for (int i = 0; i < 14; i++) {
            activity.step();
            follower.syncToHead();
        }
        FollowerSyncTest.assertMatchesChain(activity, follower.state());
        Checkpoint before = store.checkpoint().orElseThrow();
        List<BlockHeader> headersBefore = store.headers(0);

        int depth = 6;
        long oldHead = head();
        assertThat(before.number()).isEqualTo(oldHead);
        reorg(activity, depth);

        // A step refuses: the chain replaced blocks the node took for final. Nothing is changed
        // yet.
        assertThatThrownBy(follower::step)
                .isInstanceOf(ReorgTooDeepException.class)
                .hasMessageContaining("block " + before.number());
        assertThat(store.checkpoint()).contains(before);
        assertThat(store.headers(0)).isEqualTo(headersBefore);

        DeepReorgRecovery recovery = follower.recoverFromDeepReorg().orElseThrow();
        assertThat(recovery.resync()).isFalse();
        assertThat(recovery.abandoned()).isEqualTo(before);
        Checkpoint ancestor = recovery.rolledBackTo().orElseThrow();
        assertThat(ancestor.number()).isEqualTo(oldHead - depth);
        assertThat(ancestor.hash().hex()).isEqualTo(chainHash(ancestor.number()));
        assertThat(store.checkpoint()).contains(ancestor);
        assertThat(follower.state().checkpoint()).contains(ancestor);
        assertThat(follower.deepReorgs()).isEqualTo(1);
        assertThat(follower.rolledBackBlocks()).isEqualTo(depth);

        follower.syncToHead();
        assertThat(follower.appliedBlock()).isEqualTo(head());
        FollowerSyncTest.assertMatchesChain(activity, follower.state());
        FollowerSyncTest.assertMatchesChain(activity, ChainState.of(store.loadAll()));
        for (BlockHeader h : store.headers(0)) {
            assertThat(h.hash().hex())
                    .as("stored header of block " + h.number())
                    .isEqualTo(chainHash(h.number()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void whenNoStoredBlockSurvivesTheNodeResyncsFromTheStartBlock(String db) throws Exception {
        ProtocolActivity activity = start(20261208L);
        activity.run(30);
        StateStore store = open(db);
        Follower follower = follower(activity, store, config(activity));
        follower.syncToHead();
        FollowerSyncTest.assertMatchesChain(activity, follower.state());
        Checkpoint before = store.checkpoint().orElseThrow();
        assertThat(store.headers(0))
                .as("the window: the last block and its confirmations")
                .hasSizeLessThanOrEqualTo(CONFIRMATIONS + 1);

        reorg(activity, CONFIRMATIONS + 4);

        assertThatThrownBy(follower::step).isInstanceOf(ReorgTooDeepException.class);
        DeepReorgRecovery recovery = follower.recoverFromDeepReorg().orElseThrow();
        assertThat(recovery.resync()).isTrue();
        assertThat(recovery.abandoned()).isEqualTo(before);
        // The state was cleared in one transaction: the store is as new, memory follows it.
        assertThat(store.checkpoint()).isEmpty();
        assertThat(store.headers(0)).isEmpty();
        assertThat(follower.state().checkpoint()).isEmpty();
        assertThat(follower.state().markets()).isEmpty();

        follower.syncToHead();
        assertThat(follower.appliedBlock()).isEqualTo(head());
        FollowerSyncTest.assertMatchesChain(activity, follower.state());
        FollowerSyncTest.assertMatchesChain(activity, ChainState.of(store.loadAll()));
    }

    @Test
    void theIngestionServiceRecoversByItselfAndIsNotServingMeanwhile() throws Exception {
        ProtocolActivity activity = start(20261209L);
        activity.run(20);
        StateStore store = open("h2");
        NodeConfiguration config = config(activity);
        RecordingStop stops = new RecordingStop();
        HealthStatusManager grpcHealth = new HealthStatusManager();
        HealthGrpc.HealthBlockingStub probe = probe(grpcHealth);
        IngestionService ingestion = service(config, store, stops);
        IngestionHealthIndicator health = new IngestionHealthIndicator(ingestion, rpc, config);
        // The node's real gRPC health reporter, over the same verdict as /health/readiness.
        GrpcHealthReporter reporter =
                new GrpcHealthReporter(
                        grpcHealth,
                        new Serving(
                                ingestion,
                                health,
                                new HealthConfiguration(10, Duration.ofMillis(20))),
                        new HealthConfiguration(10, Duration.ofMillis(20)));
        closers.add(reporter::stop);

        await(
                "following at the head",
                () ->
                        ingestion.phase() == IngestionService.Phase.FOLLOWING
                                && ingestion.follower().appliedBlock() == headQuietly());
        assertThat(health.result().getStatus()).isEqualTo(HealthStatus.UP);
        await("gRPC health SERVING", () -> status(probe) == ServingStatus.SERVING);

        // A listener that holds the recovery at its reset, so that the test sees the node
        // mid-recovery.
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HoldingListener holder = new HoldingListener(entered, release);
        ingestion.follower().addListener(holder);
        holder.armed = true;

        reorg(activity, CONFIRMATIONS + 4);

        assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .as("recovery reached the listeners")
                .isTrue();
        assertThat(ingestion.phase()).isEqualTo(IngestionService.Phase.RECOVERING);
        assertThat(health.result().getStatus()).isEqualTo(HealthStatus.DOWN);
        await(
                "gRPC health NOT_SERVING while recovering",
                () -> status(probe) == ServingStatus.NOT_SERVING);
        release.countDown();

        await(
                "recovered at the new head",
                () ->
                        ingestion.phase() == IngestionService.Phase.FOLLOWING
                                && ingestion.follower().appliedBlock() == headQuietly());
        assertThat(health.result().getStatus()).isEqualTo(HealthStatus.UP);
        await("gRPC health SERVING again", () -> status(probe) == ServingStatus.SERVING);
        assertThat(ingestion.follower().deepReorgs()).isEqualTo(1);
        assertThat(stops.cause.get()).isNull();
        FollowerSyncTest.assertMatchesChain(activity, ingestion.follower().state());
        FollowerSyncTest.assertMatchesChain(activity, ChainState.of(store.loadAll()));
    }

    @Test
    void withDeepReorgStopTheNodeStopsAsBeforeAndLeavesTheStoreAlone() throws Exception {
        ProtocolActivity activity = start(20261210L);
        activity.run(20);
        StateStore store = open("h2");
        NodeConfiguration config = config(activity).withDeepReorg(DeepReorg.STOP);
        RecordingStop stops = new RecordingStop();
        IngestionService ingestion = service(config, store, stops);
        IngestionHealthIndicator health = new IngestionHealthIndicator(ingestion, rpc, config);
        await(
                "following at the head",
                () ->
                        ingestion.phase() == IngestionService.Phase.FOLLOWING
                                && ingestion.follower().appliedBlock() == headQuietly());
        Checkpoint before = store.checkpoint().orElseThrow();
        List<BlockHeader> headersBefore = store.headers(0);

        reorg(activity, CONFIRMATIONS + 4);

        await("stopped", () -> stops.cause.get() != null);
        assertThat(stops.cause.get())
                .isInstanceOf(ReorgTooDeepException.class)
                .hasMessageContaining("delete the store");
        assertThat(ingestion.phase()).isEqualTo(IngestionService.Phase.FAILED);
        assertThat(health.result().getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(ingestion.lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("reorg deeper"));
        assertThat(store.checkpoint()).contains(before);
        assertThat(store.headers(0)).isEqualTo(headersBefore);
        assertThat(ingestion.follower().deepReorgs()).isZero();
    }

    @Test
    void anErrorOnTheFollowerThreadStopsTheNodeInsteadOfEndingTheThreadSilently() throws Exception {
        ProtocolActivity activity = start(20261211L);
        activity.run(5);
        StateStore store = open("h2");
        RecordingStop stops = new RecordingStop();
        IngestionService ingestion = service(config(activity), store, stops);
        await(
                "following at the head",
                () ->
                        ingestion.phase() == IngestionService.Phase.FOLLOWING
                                && ingestion.follower().appliedBlock() == headQuietly());
        ingestion
                .follower()
                .addListener(
                        new StateListener() {
                            @Override
                            public void applied(AppliedRange range, ChainState state) {
                                throw new LinkageError("a class replaced under the running node");
                            }

                            @Override
                            public void reset(ChainState state) {}
                        });

        // A new block for the follower to apply, whatever the activity's next step would do.
        Response<?> mined = new Request<>("evm_mine", List.of(), http, VoidResponse.class).send();
        assertThat(mined.hasError()).isFalse();

        await("the node stopped", () -> stops.cause.get() != null);
        assertThat(stops.cause.get()).hasRootCauseInstanceOf(LinkageError.class);
        assertThat(ingestion.phase()).isEqualTo(IngestionService.Phase.FAILED);
        assertThat(ingestion.lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("a class replaced"));
    }

    // ---- plumbing -----------------------------------------------------------------------------

    /**
     * Keeps the cause instead of ending the JVM (the default {@link FatalStop} exits with status
     * 70).
     */
    private static final class RecordingStop implements FatalStop {
        final AtomicReference<RuntimeException> cause = new AtomicReference<>();

        @Override
        public void stop(RuntimeException e) {
            cause.set(e);
        }
    }

    /** Once armed, blocks in its first reset until released. */
    private static final class HoldingListener implements StateListener {
        private final CountDownLatch entered;
        private final CountDownLatch release;
        volatile boolean armed;

        HoldingListener(CountDownLatch entered, CountDownLatch release) {
            this.entered = entered;
            this.release = release;
        }

        @Override
        public void applied(AppliedRange range, ChainState state) {}

        @Override
        public void reset(ChainState state) {
            if (armed && entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private IngestionService service(NodeConfiguration config, StateStore store, FatalStop stop) {
        RpcConfiguration rpcConfig =
                RpcConfiguration.builder(List.of(anvil.rpcUrl())).requestsPerSecond(0).build();
        IngestionService ingestion = new IngestionService(config, rpcConfig, rpc, store, stop);
        closers.add(ingestion::stop);
        return ingestion;
    }

    /**
     * A client of the standard gRPC health service that {@code grpcHealth} backs, served in
     * process.
     */
    private HealthGrpc.HealthBlockingStub probe(HealthStatusManager grpcHealth) throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server server =
                InProcessServerBuilder.forName(name)
                        .directExecutor()
                        .addService(grpcHealth.getHealthService())
                        .build()
                        .start();
        closers.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        closers.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return HealthGrpc.newBlockingStub(channel);
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub probe) {
        return probe.withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
    }

    private ProtocolActivity start(long seed) throws Exception {
        anvil = Anvil.builder().accounts(10).start();
        http = new HttpService(anvil.rpcUrl());
        rpc =
                new ChainRpc(
                        RpcConfiguration.builder(List.of(anvil.rpcUrl()))
                                .requestsPerSecond(0)
                                .build());
        return ProtocolActivity.deploy(anvil, seed);
    }

    private StateStore open(String db) {
        database = db.equals("h2") ? TestDatabase.h2(dir) : TestDatabase.postgres();
        return database.open();
    }

    private NodeConfiguration config(ProtocolActivity activity) {
        Path file = dir.resolve("deployment.json");
        activity.deployment.write(file);
        return NodeConfiguration.of(anvil.chainId(), file.toString())
                .withConfirmations(CONFIRMATIONS)
                .withPollInterval(Duration.ofMillis(100));
    }

    private Follower follower(
            ProtocolActivity activity, StateStore store, NodeConfiguration config) {
        Follower follower = new Follower(rpc, store, ContractAddresses.resolve(config), config, 50);
        closers.add(follower);
        return follower;
    }

    /**
     * {@code anvil_reorg}: the last {@code depth} blocks replaced by as many new ones, the first
     * holding a supply the old branch did not have (so its hash differs from the block it
     * replaces).
     */
    private void reorg(ProtocolActivity activity, int depth) throws Exception {
        long head = head();
        byte[] market = activity.markets().get(0);
        String data =
                LocalSystem.pool(anvil, activity.deployment, anvil.credentials(4))
                        .supply(market, LocalSystem.usd(4_321), anvil.credentials(4).getAddress())
                        .encodeFunctionCall();
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", anvil.credentials(4).getAddress());
        tx.put("to", activity.deployment.lendingPool());
        tx.put("data", data);
        tx.put("gas", Numeric.encodeQuantity(BigInteger.valueOf(1_000_000)));
        Response<?> response =
                new Request<>(
                                "anvil_reorg",
                                List.of(depth, List.of(List.of(tx, 0))),
                                http,
                                VoidResponse.class)
                        .send();
        if (response.hasError()) {
            throw new IllegalStateException("anvil_reorg: " + response.getError().getMessage());
        }
        assertThat(head()).as("anvil_reorg keeps the height").isEqualTo(head);
    }

    private long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    private long headQuietly() {
        try {
            return head();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String chainHash(long number) throws Exception {
        return anvil.web3j()
                .ethGetBlockByNumber(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                .send()
                .getBlock()
                .getHash();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError(what + ": not within " + DEADLINE);
            }
            Thread.sleep(20);
        }
    }
}
