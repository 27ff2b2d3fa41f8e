package io.freehold.contracts.math;

import static io.freehold.contracts.math.Fixtures.LIQUIDITY;
import static io.freehold.contracts.math.Fixtures.terms;
import static io.freehold.contracts.math.Fixtures.usd;
import static io.freehold.contracts.math.Fixtures.wad;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The kinked curve of the unit tests' market, 2% / 6% / 80% with the kink at 80%, per second. */
class RatesTest {

    @Test
    void utilizationIsBorrowedOverSuppliedCappedAtOne() {
        assertThat(Rates.utilization(usd(400_000), LIQUIDITY)).isEqualTo(wad("0.4"));
        assertThat(Rates.utilization(usd(1), BigInteger.ZERO)).as("nothing supplied").isZero();
        assertThat(Rates.utilization(usd(3), usd(2)))
                .as("bad debt can push borrowed over supplied")
                .isEqualTo(wad("1"));
    }

    @Test
    void belowTheKinkTheFirstSlopeIsScaledByUtilizationOverKink() {
        // 40%: 2% + 6% × 0.4 / 0.8 = 5% a year = floor(5e16 / 31,536,000) per second
        assertThat(Rates.borrowRatePerSecond(terms(), usd(400_000), LIQUIDITY))
                .isEqualTo(1_585_489_599L);
        // nothing borrowed: the base rate alone, 2e16 / 31,536,000
        assertThat(Rates.borrowRatePerSecond(terms(), BigInteger.ZERO, LIQUIDITY))
                .isEqualTo(634_195_839L);
    }

    @Test
    void atAndAboveTheKink() {
        // at 80%: 8% a year
        assertThat(Rates.borrowRatePerSecond(terms(), usd(800_000), LIQUIDITY))
                .isEqualTo(2_536_783_358L);
        // 90%: 2% + 6% + 80% × 0.1 / 0.2 = 48% a year
        assertThat(Rates.borrowRatePerSecond(terms(), usd(900_000), LIQUIDITY))
                .isEqualTo(15_220_700_152L);
        // 100%: 88% a year
        assertThat(Rates.borrowRatePerSecond(terms(), LIQUIDITY, LIQUIDITY))
                .isEqualTo(27_904_616_945L);
    }
}
