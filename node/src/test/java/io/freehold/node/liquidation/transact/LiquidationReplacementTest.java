package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mining paused, so the liquidation sticks: the node replaces it with higher fees (at least 12.5%
 * on both, up to the cap and no further), mining resumes, and exactly one liquidation lands — the
 * last replacement.
 */
class LiquidationReplacementTest {

    private static final BigInteger GWEI = LiquidationChain.GWEI;
    private static final BigInteger CAP = new BigInteger("1350000000");
    @RegisterExtension static final LiquidationFixture fixture = new LiquidationFixture();

    private final LiquidationChain chain = fixture.chain();
    private ExecutorHarness harness;

    @BeforeEach
    void open() {
        harness = fixture.harness();
    }

    @Test
    void aStuckLiquidationIsReplacedWithHigherFeesAndExactlyOneLands() throws Exception {
        // The first offers about 1.02 gwei (twice a base fee near 0.01 gwei, plus a 1 gwei tip); a
        // cap of
        // 1.35 gwei leaves room for two bumps of 12.5% (1.14, 1.29), not for a third (1.45).
        harness.config = harness.config.withFees(GWEI, CAP, new BigDecimal("12.5"));
        LiquidationExecutor executor = harness.executor();
        long crash = chain.crashPrice();
        long nonce = chain.minedNonce(chain.liquidator);
        List<LiquidationCandidate> candidates = List.of(chain.candidate(chain.borrower, crash));
        chain.automine(false);

        assertThat(executor.consider(candidates))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        SentTransaction first = harness.latest(chain.borrower).transactions().get(0);
        assertThat(chain.pending()).containsExactly(first.hash());

        // Not stuck yet: nothing happens.
        harness.clock.advance(ExecutorHarness.STUCK_AFTER.minusSeconds(1));
        executor.track();
        assertThat(harness.latest(chain.borrower).transactions()).hasSize(1);

        for (int bump = 1; bump <= 3; bump++) {
            harness.clock.advance(ExecutorHarness.STUCK_AFTER);
            executor.track();
            // The same candidate again changes nothing: it is in flight.
            assertThat(executor.consider(candidates))
                    .extracting(LiquidationExecutor.Decision::kind)
                    .containsExactly(LiquidationExecutor.Decision.Kind.IN_FLIGHT);
        }
        Attempt stuck = harness.latest(chain.borrower);
        assertThat(stuck.transactions())
                .as("two bumps fit under the cap, the third does not")
                .hasSize(3);
        for (int i = 1; i < stuck.transactions().size(); i++) {
            Fees before = stuck.transactions().get(i - 1).fees();
            Fees after = stuck.transactions().get(i).fees();
            assertThat(after.maxFeePerGas()).isLessThanOrEqualTo(CAP);
            assertThat(new BigDecimal(after.maxFeePerGas()))
                    .isGreaterThanOrEqualTo(
                            new BigDecimal(before.maxFeePerGas())
                                    .multiply(new BigDecimal("1.125")));
            assertThat(new BigDecimal(after.maxPriorityFeePerGas()))
                    .isGreaterThanOrEqualTo(
                            new BigDecimal(before.maxPriorityFeePerGas())
                                    .multiply(new BigDecimal("1.125")));
            assertThat(stuck.transactions().get(i).kind())
                    .isEqualTo(SentTransaction.Kind.LIQUIDATION);
            assertThat(stuck.transactions().get(i).rejection()).isEmpty();
        }
        SentTransaction last = stuck.transactions().get(2);
        assertThat(chain.pending())
                .as("each replacement took the place of the one before")
                .containsExactly(last.hash());
        assertThat(harness.metrics.replacedCount()).isEqualTo(2);

        chain.automine(true);
        chain.mine();
        harness.trackUntilSettled(executor);

        Attempt mined = harness.latest(chain.borrower);
        assertThat(mined.status()).isEqualTo(AttemptStatus.MINED);
        assertThat(mined.outcome().orElseThrow().txHash()).isEqualTo(last.hash());
        assertThat(chain.liquidations(chain.borrower))
                .as("exactly one liquidation lands")
                .singleElement()
                .satisfies(e -> assertThat(e.txHash()).isEqualTo(last.hash()));
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 1);
        assertThat(chain.pending()).isEmpty();
        assertThat(harness.metrics.sentCount()).isEqualTo(1);
        assertThat(harness.metrics.minedCount()).isEqualTo(1);
    }
}
