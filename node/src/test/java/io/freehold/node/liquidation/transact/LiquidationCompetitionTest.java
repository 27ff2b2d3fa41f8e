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
 * Another account liquidates first. Before the node looks: it sends nothing and records who did. In
 * the same block: the node's transaction reverts harmlessly and the record says why. While the
 * node's transaction is stuck: the node cancels it with a self-transfer and gives up, saying why.
 */
class LiquidationCompetitionTest {

    private static final BigInteger GWEI = LiquidationChain.GWEI;
    @RegisterExtension static final LiquidationFixture fixture = new LiquidationFixture();

    private final LiquidationChain chain = fixture.chain();
    private ExecutorHarness harness;

    @BeforeEach
    void open() {
        harness = fixture.harness();
    }

    @Test
    void liquidatedBeforeTheNodeLooksNothingIsSentAndTheRecordNamesTheRival() throws Exception {
        LiquidationExecutor executor = harness.executor();
        long crash = chain.crashPrice();
        // The candidate as the risk engine saw it at the crash; the rival is faster.
        LiquidationCandidate candidate = chain.candidate(chain.borrower, crash);
        chain.rivalLiquidates(chain.borrower);
        long nonce = chain.minedNonce(chain.liquidator);

        List<LiquidationExecutor.Decision> decisions = executor.consider(List.of(candidate));

        assertThat(decisions)
                .singleElement()
                .extracting(LiquidationExecutor.Decision::kind)
                .isEqualTo(LiquidationExecutor.Decision.Kind.SKIPPED);
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce);
        Attempt skip = harness.latest(chain.borrower);
        assertThat(skip.status()).isEqualTo(AttemptStatus.SKIPPED);
        assertThat(skip.reasonCode()).contains("POSITION_HEALTHY");
        assertThat(skip.reason().orElseThrow())
                .contains("no debt left")
                .contains("liquidated by " + chain.rival.getAddress());
        assertThat(skip.transactions()).isEmpty();
        assertThat(chain.liquidations(chain.borrower))
                .singleElement()
                .satisfies(
                        e -> assertThat(e.liquidator().hex()).isEqualTo(chain.rival.getAddress()));
    }

    @Test
    void inTheSameBlockTheNodesTransactionRevertsHarmlesslyAndTheRecordSaysWhy() throws Exception {
        LiquidationExecutor executor = harness.executor();
        long crash = chain.crashPrice();
        List<LiquidationCandidate> candidates = List.of(chain.candidate(chain.borrower, crash));
        chain.automine(false);
        assertThat(executor.consider(candidates))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        // The rival pays fifty times the tip: the block orders it first.
        String rivalTx =
                chain.rivalSendsLiquidation(
                        chain.borrower,
                        GWEI.multiply(BigInteger.valueOf(50)),
                        GWEI.multiply(BigInteger.valueOf(200)));
        chain.mine();
        chain.automine(true);

        executor.track();

        Attempt attempt = harness.latest(chain.borrower);
        assertThat(attempt.status()).isEqualTo(AttemptStatus.FAILED);
        assertThat(attempt.reasonCode()).contains("REVERTED");
        assertThat(attempt.reason().orElseThrow())
                .contains("reverted on chain")
                .contains("liquidated by " + chain.rival.getAddress() + " in tx " + rivalTx)
                .contains("PositionHealthy");
        Attempt.Outcome outcome = attempt.outcome().orElseThrow();
        assertThat(outcome.repaidAssets()).isZero();
        assertThat(outcome.gasUsed()).isPositive();
        assertThat(outcome.profit()).as("the gas is the loss").isNegative();
        assertThat(chain.liquidations(chain.borrower))
                .singleElement()
                .satisfies(e -> assertThat(e.txHash()).isEqualTo(rivalTx));
        assertThat(harness.metrics.failedCount()).isEqualTo(1);
        // Harmless: the position is the rival's result, untouched by the node's revert.
        assertThat(chain.shares(chain.borrower).borrowShares).isZero();
        assertThat(harness.store.inFlight()).isEmpty();
    }

    @Test
    void whileTheNodesTransactionIsStuckItIsCancelledAndGivenUp() throws Exception {
        harness.config =
                harness.config.withFees(
                        GWEI,
                        GWEI.multiply(BigInteger.valueOf(5)),
                        harness.config.feeBumpPercent());
        LiquidationExecutor executor = harness.executor();
        long crash = chain.crashPrice();
        long nonce = chain.minedNonce(chain.liquidator);
        chain.automine(false);
        assertThat(executor.consider(List.of(chain.candidate(chain.borrower, crash))))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        SentTransaction ours = harness.latest(chain.borrower).transactions().get(0);

        // Blocks shrink below the node's gas limit: the rival's smaller transaction is mined, the
        // node's waits.
        chain.blockGasLimit(LiquidationChain.RIVAL_GAS_LIMIT + 50_000);
        String rivalTx =
                chain.rivalSendsLiquidation(
                        chain.borrower,
                        GWEI.multiply(BigInteger.TWO),
                        GWEI.multiply(BigInteger.valueOf(20)));
        chain.mine();
        assertThat(chain.liquidations(chain.borrower))
                .singleElement()
                .satisfies(e -> assertThat(e.txHash()).isEqualTo(rivalTx));
        assertThat(chain.pending()).containsExactly(ours.hash());

        harness.clock.advance(ExecutorHarness.STUCK_AFTER);
        executor.track();

        Attempt givingUp = harness.latest(chain.borrower);
        assertThat(givingUp.status()).isEqualTo(AttemptStatus.IN_FLIGHT);
        assertThat(givingUp.giveUpReason().orElseThrow())
                .contains("PositionHealthy")
                .contains(rivalTx);
        SentTransaction cancel = givingUp.transactions().get(1);
        assertThat(cancel.kind()).isEqualTo(SentTransaction.Kind.CANCEL);
        assertThat(cancel.gasLimit()).isEqualTo(21_000);
        assertThat(new BigDecimal(cancel.fees().maxFeePerGas()))
                .isGreaterThanOrEqualTo(
                        new BigDecimal(ours.fees().maxFeePerGas())
                                .multiply(new BigDecimal("1.125")));
        assertThat(chain.pending()).containsExactly(cancel.hash());

        chain.mine();
        executor.track();

        Attempt gaveUp = harness.latest(chain.borrower);
        assertThat(gaveUp.status()).isEqualTo(AttemptStatus.GAVE_UP);
        assertThat(gaveUp.reasonCode()).contains("POSITION_HEALTHY");
        assertThat(gaveUp.reason().orElseThrow())
                .contains("liquidated by " + chain.rival.getAddress())
                .contains("cancelled by tx " + cancel.hash());
        assertThat(gaveUp.outcome().orElseThrow().txHash()).isEqualTo(cancel.hash());
        assertThat(chain.minedNonce(chain.liquidator))
                .as("the cancel took the nonce")
                .isEqualTo(nonce + 1);
        assertThat(chain.liquidations(chain.borrower))
                .singleElement()
                .satisfies(e -> assertThat(e.txHash()).isEqualTo(rivalTx));
        assertThat(harness.metrics.gaveUpCount()).isEqualTo(1);
        assertThat(harness.store.inFlight()).isEmpty();
    }
}
