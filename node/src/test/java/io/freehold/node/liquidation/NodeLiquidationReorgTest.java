package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.proto.v1.AttemptStatus;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
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

/**
 * The whole node (follower, risk engine, liquidator, API) through a reorg that orphans the block
 * holding its two liquidations: {@code ListAttempts} shows them MINED_UNCONFIRMED, then
 * ORPHANED_RETRIED with their transactions back in the pool at the same nonces (none queued behind
 * a gap), then MINED once final; each position is liquidated once, and {@code ListLiquidations}
 * agrees with the chain.
 */
class NodeLiquidationReorgTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static LiquidationChain chain;

    @TempDir Path dir;

    private ApplicationContext context;
    private ManagedChannel channel;

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
    void close() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (context != null) {
            context.close();
        }
        chain.automine(true);
    }

    @Test
    void aReorgOrphaningTheNodesLiquidationsReopensThemAndEachPositionIsLiquidatedOnce()
            throws Exception {
        chain.reset();
        context = ApplicationContext.run(properties());
        channel =
                ManagedChannelBuilder.forAddress(
                                "127.0.0.1", context.getBean(GrpcEmbeddedServer.class).getPort())
                        .usePlaintext()
                        .build();
        var api = LiquidationServiceGrpc.newBlockingStub(channel);
        LiquidationMetrics metrics = context.getBean(LiquidationMetrics.class);
        long nonce = chain.minedNonce(chain.liquidator);

        // Mining by hand from before the fall: were automine turned off after it, a node quicker
        // than the test (a busy machine can hold the test's thread) would have its liquidations
        // mined at once, and none would wait in the pool.
        chain.automine(false);
        chain.crashPriceMinedByHand();
        // The node finds both positions and sends one liquidation each; they wait in the pool.
        await(() -> Optional.of(pendingNow()).filter(p -> p.size() == 2));
        chain.mine();
        long minedIn = chain.head();
        List<LiquidationAttempt> provisional =
                await(() -> sent(api, AttemptStatus.ATTEMPT_STATUS_MINED_UNCONFIRMED));
        assertThat(provisional).allSatisfy(a -> assertThat(a.getMinedBlock()).isEqualTo(minedIn));

        chain.rollback(1);
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce);
        List<LiquidationAttempt> reopened =
                await(() -> sent(api, AttemptStatus.ATTEMPT_STATUS_ORPHANED_RETRIED));
        assertThat(reopened)
                .extracting(LiquidationAttempt::getId)
                .containsExactlyInAnyOrderElementsOf(
                        provisional.stream().map(LiquidationAttempt::getId).toList());
        await(() -> Optional.of(pendingNow()).filter(p -> p.size() == 2));
        assertThat(chain.queued()).as("nothing queued behind a missing nonce").isEmpty();

        chain.automine(true);
        List<LiquidationAttempt> mined =
                awaitMining(() -> sent(api, AttemptStatus.ATTEMPT_STATUS_MINED));
        assertThat(mined)
                .extracting(LiquidationAttempt::getId)
                .containsExactlyInAnyOrderElementsOf(
                        provisional.stream().map(LiquidationAttempt::getId).toList());
        assertThat(metrics.orphanedCount()).isEqualTo(2);
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 2);
        assertThat(chain.pending()).isEmpty();

        for (var who : List.of(chain.borrower, chain.secondBorrower)) {
            var onChain = chain.liquidations(who);
            assertThat(onChain).as("%s liquidated once", who).hasSize(1);
            // The node's stored history (journaled, rolled back with the reorg) agrees with the
            // chain.
            await(
                    () ->
                            Optional.of(
                                            api.listLiquidations(
                                                            ListLiquidationsRequest.newBuilder()
                                                                    .setBorrower(who.hex())
                                                                    .build())
                                                    .getLiquidationsList())
                                    .filter(
                                            l ->
                                                    l.size() == 1
                                                            && l.get(0)
                                                                    .getTransactionHash()
                                                                    .equals(
                                                                            onChain.get(0)
                                                                                    .txHash())));
        }
    }

    private static List<String> pendingNow() {
        try {
            return chain.pending();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node's sent attempts (not skips), if there are two and both have {@code status}. */
    private static Optional<List<LiquidationAttempt>> sent(
            LiquidationServiceGrpc.LiquidationServiceBlockingStub api, AttemptStatus status) {
        List<LiquidationAttempt> sent =
                api
                        .listAttempts(ListAttemptsRequest.newBuilder().setPageSize(100).build())
                        .getAttemptsList()
                        .stream()
                        .filter(a -> a.getStatus() != AttemptStatus.ATTEMPT_STATUS_SKIPPED)
                        .toList();
        return Optional.of(sent)
                .filter(l -> l.size() == 2 && l.stream().allMatch(a -> a.getStatus() == status));
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
