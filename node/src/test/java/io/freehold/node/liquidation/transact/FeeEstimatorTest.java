package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * EIP-1559 fees: twice the base fee plus the tip, under the cap; replacements at least the bump
 * above.
 */
class FeeEstimatorTest {

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    // Never called: every test configures the tip.
    private final LiquidatorRpc rpc =
            new LiquidatorRpc(
                    List.of("http://127.0.0.1:9"), Duration.ofMillis(100), Duration.ofMillis(100));

    @AfterEach
    void close() {
        rpc.close();
    }

    @Test
    void aNewTransactionOffersTwiceTheBaseFeePlusTheTip() {
        FeeEstimator fees = estimator(gwei(2), gwei(100), "12.5");
        Fees f = fees.initial(gwei(10));
        assertThat(f.maxPriorityFeePerGas()).isEqualTo(gwei(2));
        assertThat(f.maxFeePerGas()).isEqualTo(gwei(22));
        assertThat(f.expectedPricePerGas()).isEqualTo(gwei(12));
        assertThat(FeeEstimator.includable(f)).isTrue();
    }

    @Test
    void theCapBoundsTheMaxFeeAndSaysWhenNothingCanBeMined() {
        FeeEstimator fees = estimator(gwei(2), gwei(15), "12.5");
        Fees f = fees.initial(gwei(10));
        assertThat(f.maxFeePerGas()).isEqualTo(gwei(15));
        assertThat(FeeEstimator.includable(f)).isTrue();
        Fees tooDear = fees.initial(gwei(14));
        assertThat(tooDear.maxFeePerGas()).isEqualTo(gwei(15));
        assertThat(FeeEstimator.includable(tooDear)).as("base 14 + tip 2 > cap 15").isFalse();
    }

    @Test
    void aReplacementRaisesBothFeesByAtLeastTheBumpRoundedUp() {
        FeeEstimator fees = estimator(gwei(2), gwei(1_000), "12.5");
        Fees first =
                new Fees(
                        BigInteger.valueOf(7),
                        BigInteger.valueOf(1_000_000_001L),
                        BigInteger.valueOf(3_000_000_003L));
        Fees second = fees.bump(first, BigInteger.valueOf(7)).orElseThrow();
        // ceil(1_000_000_001 × 1.125) and ceil(3_000_000_003 × 1.125)
        assertThat(second.maxPriorityFeePerGas()).isEqualTo(BigInteger.valueOf(1_125_000_002L));
        assertThat(second.maxFeePerGas()).isEqualTo(BigInteger.valueOf(3_375_000_004L));
        assertAtLeastBumped(first, second, "12.5");
    }

    @Test
    void aReplacementFollowsARisingBaseFee() {
        FeeEstimator fees = estimator(gwei(1), gwei(1_000), "12.5");
        Fees first = fees.initial(gwei(1));
        Fees second = fees.bump(first, gwei(50)).orElseThrow();
        assertThat(second.maxFeePerGas()).isEqualTo(gwei(100).add(second.maxPriorityFeePerGas()));
        assertAtLeastBumped(first, second, "12.5");
    }

    @Test
    void noReplacementWhenTheCapLeavesNoRoomForAFullBump() {
        FeeEstimator fees = estimator(gwei(1), gwei(10), "12.5");
        // 8 × 1.125 = 9 gwei fits under the cap of 10.
        assertThat(
                        fees.bump(new Fees(gwei(1), gwei(1), gwei(8)), gwei(1))
                                .orElseThrow()
                                .maxFeePerGas())
                .isEqualTo(gwei(9));
        // 9 × 1.125 = 10.125 gwei does not: a replacement at 10 would be refused, so there is none.
        assertThat(fees.bump(new Fees(gwei(1), gwei(1), gwei(9)), gwei(1))).isEmpty();
        assertThat(fees.bump(new Fees(gwei(1), gwei(1), gwei(10)), gwei(1))).isEmpty();
    }

    @Test
    void aLargerConfiguredBumpIsHonoured() {
        FeeEstimator fees = estimator(gwei(1), gwei(1_000), "30");
        Fees first = new Fees(gwei(1), gwei(10), gwei(20));
        Optional<Fees> second = fees.bump(first, gwei(1));
        assertThat(second).isPresent();
        assertThat(second.get().maxPriorityFeePerGas()).isEqualTo(gwei(13));
        assertThat(second.get().maxFeePerGas()).isEqualTo(gwei(26));
    }

    private FeeEstimator estimator(BigInteger tip, BigInteger cap, String bump) {
        return new FeeEstimator(
                LiquidatorConfiguration.defaults().withFees(tip, cap, new BigDecimal(bump)), rpc);
    }

    private static void assertAtLeastBumped(Fees before, Fees after, String percent) {
        BigDecimal factor = BigDecimal.ONE.add(new BigDecimal(percent).movePointLeft(2));
        assertThat(new BigDecimal(after.maxPriorityFeePerGas()))
                .isGreaterThanOrEqualTo(
                        new BigDecimal(before.maxPriorityFeePerGas()).multiply(factor));
        assertThat(new BigDecimal(after.maxFeePerGas()))
                .isGreaterThanOrEqualTo(new BigDecimal(before.maxFeePerGas()).multiply(factor));
    }

    private static BigInteger gwei(long n) {
        return BigInteger.valueOf(n).multiply(GWEI);
    }
}
