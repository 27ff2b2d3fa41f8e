package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Reorgs that orphan the node's own liquidations ({@code anvil_rollback} drops the blocks and their
 * transactions): the attempt is provisional until its block is final, reopens when the block is
 * orphaned, lands exactly once on the final chain, and no transaction of the liquidator ever waits
 * behind a missing nonce.
 */
class LiquidationReorgTest {

    private static final long FINALITY = 3;
    @RegisterExtension static final LiquidationFixture fixture = new LiquidationFixture();

    private final LiquidationChain chain = fixture.chain();
    private ExecutorHarness harness;

    @BeforeEach
    void open() {
        harness = fixture.harness();
        harness.finality = FINALITY;
    }

    @Test
    void aReorgThatOrphansTheMinedLiquidationReopensItAndItLandsOnce() throws Exception {
        LiquidationExecutor executor = harness.executor();
        long crash = chain.crashPrice();
        long nonce = chain.minedNonce(chain.liquidator);

        assertThat(executor.consider(List.of(chain.candidate(chain.borrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        Attempt provisional =
                trackUntil(
                        executor,
                        chain.borrower,
                        a -> a.status() == AttemptStatus.MINED_UNCONFIRMED);
        long minedIn = provisional.provisional().orElseThrow().block();
        assertThat(provisional.outcome()).as("no outcome before the block is final").isEmpty();
        assertThat(harness.store.inFlight())
                .as("still held: position and nonce reserved")
                .hasSize(1);
        assertThat(harness.metrics.minedCount()).isZero();

        chain.rollback(chain.head() - minedIn + 1);
        assertThat(chain.liquidations(chain.borrower)).as("orphaned").isEmpty();
        assertThat(chain.minedNonce(chain.liquidator))
                .as("the chain's count fell back")
                .isEqualTo(nonce);

        executor.track();
        Attempt reopened = harness.latest(chain.borrower);
        assertThat(reopened.id()).isEqualTo(provisional.id());
        assertThat(reopened.status()).isEqualTo(AttemptStatus.ORPHANED_RETRIED);
        assertThat(reopened.orphanedCount()).isEqualTo(1);
        assertThat(reopened.nonce()).hasValue(nonce);
        assertThat(harness.metrics.orphanedCount()).isEqualTo(1);
        assertNoNonceGap();

        Attempt again =
                trackUntil(
                        executor,
                        chain.borrower,
                        a -> a.status() == AttemptStatus.MINED_UNCONFIRMED);
        for (long i = 0; i < FINALITY; i++) {
            chain.mine();
        }
        harness.trackUntilSettled(executor);

        Attempt mined = harness.latest(chain.borrower);
        assertThat(mined.id()).as("the same attempt, not a second one").isEqualTo(provisional.id());
        assertThat(mined.status()).isEqualTo(AttemptStatus.MINED);
        assertThat(mined.outcome().orElseThrow().includedBlock())
                .isEqualTo(again.provisional().orElseThrow().block());
        assertThat(chain.liquidations(chain.borrower))
                .as("liquidated exactly once on the final chain")
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.txHash())
                                        .isEqualTo(mined.outcome().orElseThrow().txHash()));
        assertThat(harness.store.history(chain.market, chain.borrower)).hasSize(1);
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 1);
        assertNoNonceGap();
        assertThat(chain.pending()).isEmpty();
        assertThat(harness.metrics.minedCount()).isEqualTo(1);
        assertThat(harness.metrics.sentCount()).isEqualTo(1);
    }

    @Test
    void aReorgThatOrphansOneOfSeveralLiquidationsInFlightLeavesNoGapAndEachLandsOnce()
            throws Exception {
        LiquidationExecutor executor = harness.executor();
        long crash = chain.crashPrice();
        long nonce = chain.minedNonce(chain.liquidator);
        chain.automine(false);

        // The first is mined in a block of its own; the second, one nonce higher, waits in the
        // pool.
        assertThat(executor.consider(List.of(chain.candidate(chain.borrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        chain.mine();
        long minedIn = chain.head();
        assertThat(executor.consider(List.of(chain.candidate(chain.secondBorrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        executor.track();
        Attempt first = harness.latest(chain.borrower);
        Attempt second = harness.latest(chain.secondBorrower);
        assertThat(first.status()).isEqualTo(AttemptStatus.MINED_UNCONFIRMED);
        assertThat(first.nonce()).hasValue(nonce);
        assertThat(second.status()).isEqualTo(AttemptStatus.IN_FLIGHT);
        assertThat(second.nonce()).hasValue(nonce + 1);

        // The block with the first is orphaned: the chain's count falls below the second's nonce.
        chain.rollback(chain.head() - minedIn + 1);
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce);

        executor.track();
        assertThat(harness.latest(chain.borrower).status())
                .isEqualTo(AttemptStatus.ORPHANED_RETRIED);
        assertNoNonceGap();

        chain.automine(true);
        chain.mine();
        trackUntil(
                executor, chain.secondBorrower, a -> a.status() == AttemptStatus.MINED_UNCONFIRMED);
        for (long i = 0; i < FINALITY; i++) {
            chain.mine();
        }
        harness.trackUntilSettled(executor);

        for (Attempt before : List.of(first, second)) {
            Attempt a = harness.store.find(before.id()).orElseThrow();
            assertThat(a.status()).as("attempt on %s", a.borrower()).isEqualTo(AttemptStatus.MINED);
            assertThat(chain.liquidations(a.borrower()))
                    .as("%s liquidated once", a.borrower())
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.txHash())
                                            .isEqualTo(a.outcome().orElseThrow().txHash()));
            assertThat(harness.store.history(chain.market, a.borrower())).hasSize(1);
        }
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 2);
        assertNoNonceGap();
        assertThat(chain.pending()).isEmpty();
        assertThat(harness.metrics.minedCount()).isEqualTo(2);
        assertThat(harness.metrics.sentCount()).isEqualTo(2);
    }

    @Test
    void whenThePositionNoLongerNeedsTheReopenedLiquidationItIsCancelledAtItsNonce()
            throws Exception {
        LiquidationExecutor executor = harness.executor();
        long crash = chain.crashPrice();
        long nonce = chain.minedNonce(chain.liquidator);

        assertThat(executor.consider(List.of(chain.candidate(chain.borrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        Attempt provisional =
                trackUntil(
                        executor,
                        chain.borrower,
                        a -> a.status() == AttemptStatus.MINED_UNCONFIRMED);
        chain.rollback(chain.head() - provisional.provisional().orElseThrow().block() + 1);
        // On the chain that wins, a rival liquidates the position first.
        chain.rivalLiquidates(chain.borrower);

        executor.track();
        Attempt reopened = harness.latest(chain.borrower);
        assertThat(reopened.status()).isEqualTo(AttemptStatus.ORPHANED_RETRIED);
        assertThat(reopened.giveUpReason()).isPresent();
        assertThat(reopened.current().orElseThrow().kind()).isEqualTo(SentTransaction.Kind.CANCEL);

        trackUntil(executor, chain.borrower, a -> a.status() == AttemptStatus.MINED_UNCONFIRMED);
        for (long i = 0; i < FINALITY; i++) {
            chain.mine();
        }
        harness.trackUntilSettled(executor);

        Attempt gaveUp = harness.latest(chain.borrower);
        assertThat(gaveUp.status()).isEqualTo(AttemptStatus.GAVE_UP);
        assertThat(chain.liquidations(chain.borrower))
                .as("only the rival's")
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.liquidator().hex())
                                        .isEqualToIgnoringCase(chain.rival.getAddress()));
        assertThat(chain.minedNonce(chain.liquidator))
                .as("the cancel took the nonce")
                .isEqualTo(nonce + 1);
        assertNoNonceGap();
        assertThat(chain.pending()).isEmpty();
    }

    /**
     * Nothing of the liquidator waits behind a missing nonce: the pool queues nothing, and the
     * chain's pending count is its mined count plus the liquidator's transactions the pool can
     * mine.
     */
    private void assertNoNonceGap() throws Exception {
        assertThat(chain.queued()).as("transactions queued behind a missing nonce").isEmpty();
        assertThat(chain.transactionCount(chain.liquidator, DefaultBlockParameterName.PENDING))
                .as("pending count = latest count + transactions pending")
                .isEqualTo(
                        chain.transactionCount(chain.liquidator, DefaultBlockParameterName.LATEST)
                                + chain.pending().size());
    }

    /**
     * Tracks until the position's latest attempt satisfies {@code done}, for at most two minutes.
     */
    private Attempt trackUntil(
            LiquidationExecutor executor,
            io.freehold.types.Address borrower,
            Predicate<Attempt> done)
            throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        do {
            executor.track();
            Attempt a = harness.latest(borrower);
            if (done.test(a)) {
                return a;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < giveUp);
        throw new AssertionError("not within 2 minutes: " + harness.latest(borrower));
    }
}
