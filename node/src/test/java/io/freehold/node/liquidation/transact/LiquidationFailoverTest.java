package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, one PostgreSQL (embedded), one anvil, one liquidator key. The leader sends a
 * liquidation and dies before it is mined; the other replica takes the lease within the lease plus
 * one poll, tracks the dead leader's attempt to the end and liquidates the next position; the old
 * leader, back from a pause, can neither record nor send. Every position is liquidated once.
 */
public class LiquidationFailoverTest {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static LiquidationChain chain;

    private ExecutorHarness harness;

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
    void open() throws Exception {
        chain.reset();
        harness = new ExecutorHarness(chain, TestDatabase.postgres());
    }

    @AfterEach
    void close() throws Exception {
        chain.automine(true);
        harness.close();
    }

    @Test
    void theOtherReplicaTakesOverAndTheStaleLeaderCanNeitherRecordNorSend() throws Exception {
        LiquidatorLease leaseA =
                new LiquidatorLease(
                        harness.database.dataSource(), "replica-a/1", LEASE, harness.clock);
        LiquidatorLease leaseB =
                new LiquidatorLease(
                        harness.database.dataSource(), "replica-b/1", LEASE, harness.clock);
        long epochA = leaseA.acquireOrRenew().orElseThrow();
        assertThat(leaseB.acquireOrRenew()).isEmpty();
        LiquidationExecutor leaderA = harness.executor(harness.store.fenced(leaseA, epochA));

        long crash = chain.crashPrice();
        long nonce = chain.minedNonce(chain.liquidator);
        chain.automine(false);
        assertThat(leaderA.consider(List.of(chain.candidate(chain.borrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        Attempt sentByA = harness.latest(chain.borrower);
        assertThat(harness.store.epochOf(sentByA.id())).hasValue(epochA);

        // A stops (kill -9, or SIGSTOP): it renews no more. B polls once per POLL.
        Instant stopped = harness.clock.instant();
        OptionalLong epochB = OptionalLong.empty();
        while (epochB.isEmpty()) {
            harness.clock.advance(POLL);
            epochB = leaseB.acquireOrRenew();
        }
        assertThat(Duration.between(stopped, harness.clock.instant()))
                .isLessThanOrEqualTo(LEASE.plus(POLL));
        LiquidationExecutor leaderB =
                harness.executor(harness.store.fenced(leaseB, epochB.getAsLong()));

        // B takes A's attempt over: nothing sent twice; mined, it ends MINED under B's epoch.
        assertThat(leaderB.consider(List.of(chain.candidate(chain.borrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.IN_FLIGHT);
        chain.mine();
        ExecutorHarness.trackUntilSettled(leaderB, harness.store);
        Attempt mined = harness.latest(chain.borrower);
        assertThat(mined.id()).isEqualTo(sentByA.id());
        assertThat(mined.status()).isEqualTo(AttemptStatus.MINED);
        assertThat(harness.store.epochOf(mined.id())).hasValue(epochB.getAsLong());

        // A resumes (SIGCONT) with its stale epoch: it can record nothing, so it sends nothing.
        chain.automine(true);
        assertThat(leaderA.consider(List.of(chain.candidate(chain.secondBorrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.BUSY);
        leaderA.track();
        assertThat(chain.pending()).isEmpty();
        assertThat(chain.minedNonce(chain.liquidator))
                .as("nothing sent by the stale leader")
                .isEqualTo(nonce + 1);
        assertThat(harness.store.history(chain.market, chain.secondBorrower)).isEmpty();
        assertThat(leaseA.acquireOrRenew()).as("B still holds the lease").isEmpty();

        // B liquidates the second position.
        assertThat(leaderB.consider(List.of(chain.candidate(chain.secondBorrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        ExecutorHarness.trackUntilSettled(leaderB, harness.store);

        for (var who : List.of(chain.borrower, chain.secondBorrower)) {
            Attempt a = harness.latest(who);
            assertThat(a.status()).isEqualTo(AttemptStatus.MINED);
            assertThat(chain.liquidations(who))
                    .as("%s liquidated once", who)
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.txHash())
                                            .isEqualTo(a.outcome().orElseThrow().txHash()));
        }
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 2);
    }
}
