package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.LiquidateEvents;
import io.freehold.node.risk.HealthBand;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.PositionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.utils.Numeric;

/**
 * The whole loop in one node, nothing offered by hand: the follower applies a price drop, the risk
 * engine finds the two positions it made liquidatable, the executor liquidates them exactly once
 * each, and the follower then holds the positions exactly as the chain does.
 */
class NodeLiquidatesTest {

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

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aPriceDropIsDetectedLiquidatedOnceAndFollowed() throws Exception {
        context = ApplicationContext.run(properties());
        IngestionService ingestion = context.getBean(IngestionService.class);
        RiskService risk = context.getBean(RiskService.class);
        AttemptStore store = context.getBean(AttemptStore.class);

        // A bot's view: the opportunities stream, opened before the drop.
        int grpcPort = context.getBean(io.micronaut.grpc.server.GrpcEmbeddedServer.class).getPort();
        io.grpc.ManagedChannel botChannel =
                io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort)
                        .usePlaintext()
                        .build();
        java.util.List<io.freehold.proto.v1.OpportunityEvent> seen =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        io.freehold.proto.v1.LiquidationServiceGrpc.newStub(botChannel)
                .watchOpportunities(
                        io.freehold.proto.v1.WatchOpportunitiesRequest.getDefaultInstance(),
                        new io.grpc.stub.StreamObserver<>() {
                            @Override
                            public void onNext(io.freehold.proto.v1.OpportunityEvent value) {
                                seen.add(value);
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onCompleted() {}
                        });

        // The stream is registered (its snapshot, empty: nothing is liquidatable yet, has ended)
        // before the
        // price falls, so what the fall does arrives as changes.
        await(
                () ->
                        seen.stream()
                                .filter(io.freehold.proto.v1.OpportunityEvent::hasSnapshotEnd)
                                .findFirst());
        long crashBlock = chain.crashPrice();

        Attempt first =
                awaitMining(() -> Waiting.minedAttempt(store, chain.market, chain.borrower));
        awaitMining(() -> Waiting.minedAttempt(store, chain.market, chain.secondBorrower));
        assertThat(chain.liquidations(chain.borrower))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.txHash())
                                        .isEqualTo(first.outcome().orElseThrow().txHash()));
        assertThat(chain.liquidations(chain.secondBorrower)).hasSize(1);

        // The follower has applied the liquidations: its positions are the chain's, share for
        // share.
        long head = chain.anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        await(() -> Optional.of(ingestion.follower()).filter(f -> f.appliedBlock() >= head));
        LendingPool pool =
                LendingPool.load(
                        chain.deployment.lendingPool(),
                        chain.anvil.web3j(),
                        chain.anvil.transactionManager(chain.admin),
                        LocalSystem.GAS);
        pool.setDefaultBlockParameter(
                DefaultBlockParameter.valueOf(
                        java.math.BigInteger.valueOf(ingestion.follower().appliedBlock())));
        for (var who : List.of(chain.borrower, chain.secondBorrower)) {
            LendingPool.Position onChain =
                    pool.positionShares(Numeric.hexStringToByteArray(chain.market.hex()), who.hex())
                            .send();
            PositionRecord inNode =
                    ingestion.follower().state().position(chain.market, who).orElseThrow();
            assertThat(inNode.borrowShares()).isEqualTo(onChain.borrowShares);
            assertThat(inNode.collateral()).isEqualTo(onChain.collateral);
        }
        // The one closed whole has nothing left to liquidate; the engine agrees.
        await(
                () ->
                        risk.engine()
                                .risk(chain.market, chain.borrower)
                                .filter(p -> p.band() != HealthBand.LIQUIDATABLE));

        // The stream showed the drop's positions as opportunities the node would take, with what a
        // liquidation would move. (How many events, and whether a "gone" follows, depends on
        // whether the
        // drop and the liquidation fall in one follower step: timing, not asserted.)
        await(
                () ->
                        seen.stream()
                                .filter(io.freehold.proto.v1.OpportunityEvent::hasOpportunity)
                                .findFirst());
        botChannel.shutdownNow();
        assertThat(seen).filteredOn(io.freehold.proto.v1.OpportunityEvent::hasSnapshot).isEmpty();
        assertThat(seen)
                .filteredOn(io.freehold.proto.v1.OpportunityEvent::hasOpportunity)
                .map(io.freehold.proto.v1.OpportunityEvent::getOpportunity)
                .anySatisfy(
                        o -> {
                            assertThat(List.of(chain.borrower.hex(), chain.secondBorrower.hex()))
                                    .contains(o.getPosition().getAccount());
                            assertThat(o.getLiquidatable()).isTrue();
                            assertThat(o.getNodeWillAct()).isTrue();
                            assertThat(new java.math.BigInteger(o.getMaxRepay())).isPositive();
                            assertThat(new java.math.BigInteger(o.getSeizedCollateral()))
                                    .isPositive();
                            assertThat(new java.math.BigInteger(o.getExpectedIncentive()))
                                    .isPositive();
                        });

        Waiting.counted(context, "freehold.liquidation.mined", 2, DEADLINE);
        for (MeterRegistry registry : context.getBeansOfType(MeterRegistry.class)) {
            assertThat(registry.get("freehold.liquidation.mined").functionCounter().count())
                    .isEqualTo(2);
        }
        // The attempts over the API, newest first, paged one at a time.
        int port = context.getBean(io.micronaut.grpc.server.GrpcEmbeddedServer.class).getPort();
        io.grpc.ManagedChannel channel =
                io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            var api = io.freehold.proto.v1.LiquidationServiceGrpc.newBlockingStub(channel);
            // Paged one at a time, newest first. Besides the two mined attempts there may be
            // "healthy" skips
            // recorded just after (the executor looked again before the follower applied the
            // liquidation).
            var all = new java.util.ArrayList<io.freehold.proto.v1.LiquidationAttempt>();
            String attemptsPage = "";
            do {
                var response =
                        api.listAttempts(
                                io.freehold.proto.v1.ListAttemptsRequest.newBuilder()
                                        .setPageSize(1)
                                        .setPageToken(attemptsPage)
                                        .build());
                all.addAll(response.getAttemptsList());
                attemptsPage = response.getNextPageToken();
            } while (!attemptsPage.isEmpty());
            assertThat(all)
                    .extracting(io.freehold.proto.v1.LiquidationAttempt::getId)
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(all)
                    .filteredOn(
                            a ->
                                    a.getStatus()
                                            == io.freehold.proto.v1.AttemptStatus
                                                    .ATTEMPT_STATUS_MINED)
                    .extracting(io.freehold.proto.v1.LiquidationAttempt::getBorrower)
                    .containsExactlyInAnyOrder(chain.borrower.hex(), chain.secondBorrower.hex());
            var mine =
                    api.listAttempts(
                            io.freehold.proto.v1.ListAttemptsRequest.newBuilder()
                                    .setBorrower(chain.borrower.hex())
                                    .build());
            assertThat(mine.getAttemptsList())
                    .filteredOn(
                            a ->
                                    a.getStatus()
                                            == io.freehold.proto.v1.AttemptStatus
                                                    .ATTEMPT_STATUS_MINED)
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.getTransactionHashesList())
                                        .contains(first.outcome().orElseThrow().txHash());
                                assertThat(a.getRepaidAssets())
                                        .isEqualTo(
                                                first.outcome()
                                                        .orElseThrow()
                                                        .repaidAssets()
                                                        .toString());
                            });

            // The liquidations on chain, from the node's stored history: the chain's Liquidate
            // logs, field
            // for field, newest first, one per page.
            var onChain = new java.util.ArrayList<LiquidateEvents.Liquidated>();
            onChain.addAll(chain.liquidations(chain.borrower));
            onChain.addAll(chain.liquidations(chain.secondBorrower));
            var history = new java.util.ArrayList<io.freehold.proto.v1.Liquidation>();
            String token = "";
            do {
                var page =
                        api.listLiquidations(
                                io.freehold.proto.v1.ListLiquidationsRequest.newBuilder()
                                        .setMarketId(chain.market.hex())
                                        .setPageSize(1)
                                        .setPageToken(token)
                                        .build());
                history.addAll(page.getLiquidationsList());
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            assertThat(history).hasSize(2);
            assertThat(history.get(0).getBlockNumber())
                    .isGreaterThanOrEqualTo(history.get(1).getBlockNumber());
            for (LiquidateEvents.Liquidated e : onChain) {
                assertThat(history)
                        .filteredOn(l -> l.getTransactionHash().equals(e.txHash()))
                        .singleElement()
                        .satisfies(
                                l -> {
                                    assertThat(l.getBorrower()).isEqualTo(e.borrower().hex());
                                    assertThat(l.getLiquidator()).isEqualTo(e.liquidator().hex());
                                    assertThat(l.getReceiver()).isEqualTo(e.receiver().hex());
                                    assertThat(l.getRepaidAssets())
                                            .isEqualTo(e.repaidAssets().toString());
                                    assertThat(l.getRepaidShares())
                                            .isEqualTo(e.repaidShares().toString());
                                    assertThat(l.getSeizedCollateral())
                                            .isEqualTo(e.seizedCollateral().toString());
                                    assertThat(l.getBadDebtAssets())
                                            .isEqualTo(e.badDebtAssets().toString());
                                    assertThat(l.getBlockNumber()).isEqualTo(e.block());
                                });
            }
            assertThat(
                            api.listLiquidations(
                                            io.freehold.proto.v1.ListLiquidationsRequest
                                                    .newBuilder()
                                                    .setBorrower(chain.secondBorrower.hex())
                                                    .build())
                                    .getLiquidationsList())
                    .extracting(io.freehold.proto.v1.Liquidation::getBorrower)
                    .containsExactly(chain.secondBorrower.hex());
        } finally {
            channel.shutdownNow();
        }

        // Mined after the block of the drop, by the node alone (nothing was offered).
        assertThat(first.outcome().orElseThrow().includedBlock()).isGreaterThan(crashBlock);
    }

    private Map<String, Object> properties() throws Exception {
        return chain.executingNode(dir);
    }

    private static <T> T awaitMining(Supplier<Optional<T>> check) throws Exception {
        return Waiting.mining(chain, DEADLINE, check);
    }

    private static <T> T await(Supplier<Optional<T>> check) throws InterruptedException {
        return Waiting.until(DEADLINE, check);
    }
}
