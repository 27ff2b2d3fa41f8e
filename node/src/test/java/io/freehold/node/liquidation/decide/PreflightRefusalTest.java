package io.freehold.node.liquidation.decide;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.transact.ExecutorHarness;
import io.freehold.node.liquidation.transact.LiquidationExecutor;
import io.freehold.node.liquidation.transact.LiquidationFixture;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What preflight refuses on a real chain, each with no transaction and a reason that says what is
 * wrong: an unverified or frozen liquidator, a paused token, a stale price, no allowance, too
 * little profit, a fee cap below the base fee. A refused candidate is retried after the cooldown,
 * not before.
 */
class PreflightRefusalTest {

    @RegisterExtension static final LiquidationFixture fixture = new LiquidationFixture();

    private final LiquidationChain chain = fixture.chain();
    private ExecutorHarness harness;

    private long crash;
    private long nonce;

    @BeforeEach
    void open() throws Exception {
        harness = fixture.harness();
        crash = chain.crashPrice();
        nonce = chain.minedNonce(chain.liquidator);
    }

    @Test
    void aLiquidatorThatIsNotVerifiedSendsNothing() throws Exception {
        chain.registry(chain.admin).unverify(chain.liquidator.getAddress()).send();
        Attempt skip = refused(SkipReason.RECEIVER_NOT_ALLOWED);
        assertThat(skip.reason().orElseThrow())
                .contains("receiver " + chain.liquidator.getAddress())
                .contains(
                        "is not verified in identity registry "
                                + chain.deployment.identityRegistry().toLowerCase())
                .contains("ReceiverNotAllowed");
    }

    @Test
    void aFrozenLiquidatorSendsNothing() throws Exception {
        chain.propertyToken(chain.admin).setFrozen(chain.liquidator.getAddress(), true).send();
        Attempt skip = refused(SkipReason.RECEIVER_NOT_ALLOWED);
        assertThat(skip.reason().orElseThrow())
                .contains("is frozen in property token " + chain.token)
                .doesNotContain("not verified");
    }

    @Test
    void aPausedTokenSendsNothing() throws Exception {
        chain.propertyToken(chain.admin).pause().send();
        Attempt skip = refused(SkipReason.COLLATERAL_PAUSED);
        assertThat(skip.reason().orElseThrow())
                .contains("property token " + chain.token + " is paused")
                .contains("CollateralPaused");
    }

    @Test
    void aStalePriceSendsNothing() throws Exception {
        chain.advance(Duration.ofDays(31)); // the feeds' max age is 30 days
        Attempt skip = refused(SkipReason.STALE_PRICE);
        assertThat(skip.reason().orElseThrow())
                .contains("max age of 2592000 s")
                .contains("StalePrice");
    }

    @Test
    void noAllowanceSendsNothing() throws Exception {
        chain.usd(chain.liquidator).approve(chain.pool.hex(), BigInteger.ZERO).send();
        nonce = chain.minedNonce(chain.liquidator);
        Attempt skip = refused(SkipReason.INSUFFICIENT_ALLOWANCE);
        assertThat(skip.reason().orElseThrow())
                .contains("has approved pool " + chain.pool + " for 0");
    }

    @Test
    void tooLittleProfitSendsNothing() throws Exception {
        harness.config =
                harness.config.withMinProfit(
                        BigInteger.valueOf(1_000_000_000_000L)); // a million dollars
        Attempt skip = refused(SkipReason.NOT_PROFITABLE);
        assertThat(skip.reason().orElseThrow()).contains("is not above min-profit 1000000000000");
    }

    @Test
    void aFeeCapBelowTheBaseFeePlusTheTipSendsNothing() throws Exception {
        // A tip as high as the cap leaves nothing for the base fee: the transaction could not be
        // mined.
        BigInteger halfGwei = LiquidationChain.GWEI.divide(BigInteger.TWO);
        harness.config =
                harness.config.withFees(halfGwei, halfGwei, harness.config.feeBumpPercent());
        Attempt skip = refused(SkipReason.FEE_CAP_TOO_LOW);
        assertThat(skip.reason().orElseThrow()).contains("above max-fee-per-gas-cap 500000000");
    }

    @Test
    void aRefusedCandidateIsRetriedAfterTheCooldownAndNotBefore() throws Exception {
        chain.propertyToken(chain.admin).pause().send();
        LiquidationExecutor executor = harness.executor();
        LiquidationCandidate candidate = chain.candidate(chain.borrower, crash);
        assertThat(executor.consider(List.of(candidate)))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SKIPPED);
        chain.propertyToken(chain.admin).unpause().send();

        harness.clock.advance(ExecutorHarness.COOLDOWN.minusSeconds(1));
        assertThat(executor.consider(List.of(candidate)))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.COOLING_DOWN);

        harness.clock.advance(Duration.ofSeconds(1));
        assertThat(executor.consider(List.of(candidate)))
                .extracting(LiquidationExecutor.Decision::kind)
                .containsExactly(LiquidationExecutor.Decision.Kind.SENT);
        harness.trackUntilSettled(executor);
        assertThat(harness.store.history(chain.market, chain.borrower))
                .extracting(Attempt::status)
                .containsExactly(AttemptStatus.SKIPPED, AttemptStatus.MINED);
    }

    /**
     * Considers the borrower's candidate; asserts the refusal, that nothing was sent, and returns
     * the record.
     */
    private Attempt refused(SkipReason reason) throws Exception {
        LiquidationExecutor executor = harness.executor();
        List<LiquidationExecutor.Decision> decisions =
                executor.consider(List.of(chain.candidate(chain.borrower, crash)));
        assertThat(decisions)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.kind())
                                    .isEqualTo(LiquidationExecutor.Decision.Kind.SKIPPED);
                            assertThat(d.detail()).startsWith(reason.name());
                        });
        assertThat(chain.minedNonce(chain.liquidator)).as("no transaction").isEqualTo(nonce);
        assertThat(chain.liquidations(chain.borrower)).isEmpty();
        assertThat(harness.metrics.skippedCount(reason)).isEqualTo(1);
        assertThat(harness.metrics.sentCount()).isZero();
        Attempt skip = harness.latest(chain.borrower);
        assertThat(skip.status()).isEqualTo(AttemptStatus.SKIPPED);
        assertThat(skip.reasonCode()).contains(reason.name());
        assertThat(skip.transactions()).isEmpty();
        return skip;
    }
}
