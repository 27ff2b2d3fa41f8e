package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.LiquidationPlan;
import io.freehold.node.liquidation.decide.PoolReader;
import io.freehold.node.liquidation.decide.Preflight;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restart with a liquidation in flight sends no second transaction and tracks the first to the
 * end, also when the first never left the process that recorded it.
 */
class LiquidationRestartTest {

    @RegisterExtension static final LiquidationFixture fixture = new LiquidationFixture();

    private final LiquidationChain chain = fixture.chain();
    private ExecutorHarness harness;

    @BeforeEach
    void open() {
        harness = fixture.harness();
    }

    @Test
    void aRestartedNodeSendsNoSecondLiquidationAndTracksTheFirstToTheEnd() throws Exception {
        long crash = chain.crashPrice();
        List<LiquidationCandidate> candidates = chain.liquidatable(crash);
        long nonce = chain.minedNonce(chain.liquidator);
        chain.automine(false);

        LiquidationExecutor first = harness.executor();
        assertThat(first.consider(candidates))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsOnly(LiquidationExecutor.Decision.Kind.SENT);
        assertThat(chain.pending()).hasSize(2);
        first = null; // the process dies; only the database remains

        harness.reopenDatabase();
        LiquidationExecutor restarted = harness.executor();
        // The same candidates arrive again (the risk engine still sees them unhealthy).
        assertThat(restarted.consider(candidates))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsOnly(LiquidationExecutor.Decision.Kind.IN_FLIGHT);
        restarted.track();
        assertThat(chain.pending()).as("no second transaction").hasSize(2);
        assertThat(harness.store.inFlight()).hasSize(2);

        chain.mine();
        harness.trackUntilSettled(restarted);

        for (LiquidationCandidate c : candidates) {
            Attempt a = harness.latest(c.borrower());
            assertThat(a.status()).isEqualTo(AttemptStatus.MINED);
            assertThat(a.transactions()).hasSize(1);
            assertThat(chain.liquidations(c.borrower()))
                    .as("exactly one liquidation")
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e.txHash())
                                            .isEqualTo(a.outcome().orElseThrow().txHash()));
        }
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 2);
        assertThat(harness.store.history(chain.market, chain.borrower)).hasSize(1);
    }

    @Test
    void aTransactionRecordedButNeverBroadcastIsBroadcastByTheNextNode() throws Exception {
        long crash = chain.crashPrice();
        LiquidationCandidate candidate = chain.candidate(chain.borrower, crash);
        long nonce = chain.minedNonce(chain.liquidator);

        // What a node that died between recording and broadcasting leaves behind: a row, no
        // transaction.
        try (LiquidatorRpc rpc = chain.rpc()) {
            PoolReader reader = new PoolReader(rpc, chain.pool);
            Address me = Address.of(chain.liquidator.getAddress());
            Preflight preflight =
                    new Preflight(
                            harness.config,
                            rpc,
                            reader,
                            new FeeEstimator(harness.config, rpc),
                            me,
                            me);
            LiquidationPlan plan = preflight.check(candidate).plan().orElseThrow();
            assertThat(plan.requestedRepay()).isEqualTo(Uint256.MAX);
            SentTransaction tx =
                    new TransactionSigner(LiquidatorKey.of(chain.liquidator), chain.anvil.chainId())
                            .liquidation(
                                    0,
                                    nonce,
                                    plan.fees(),
                                    harness.config.gasLimit(),
                                    chain.pool,
                                    plan.calldata(),
                                    Instant.now(),
                                    plan.block());
            harness.store.begin(plan, nonce, tx, harness.clock.instant());
        }
        assertThat(chain.liquidations(chain.borrower)).isEmpty();

        LiquidationExecutor next = harness.executor();
        assertThat(next.consider(List.of(candidate)))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.IN_FLIGHT);
        next.track(); // unknown to the chain: broadcast from the stored bytes (and mined at once)
        harness.trackUntilSettled(next); // the receipt ends it

        Attempt a = harness.latest(chain.borrower);
        assertThat(a.status()).isEqualTo(AttemptStatus.MINED);
        assertThat(chain.liquidations(chain.borrower))
                .singleElement()
                .satisfies(e -> assertThat(e.txHash()).isEqualTo(a.transactions().get(0).hash()));
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 1);
    }
}
