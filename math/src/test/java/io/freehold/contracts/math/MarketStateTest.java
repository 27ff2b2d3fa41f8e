package io.freehold.contracts.math;

import static io.freehold.contracts.math.Fixtures.LIQUIDITY;
import static io.freehold.contracts.math.Fixtures.T0;
import static io.freehold.contracts.math.Fixtures.market;
import static io.freehold.contracts.math.Fixtures.n;
import static io.freehold.contracts.math.Fixtures.terms;
import static io.freehold.contracts.math.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class MarketStateTest {

    private static final long YEAR = 365L * 24 * 3600;

    @Test
    void accruesAYearAtFivePercentWithThreeTaylorTerms() {
        MarketState m = market(LIQUIDITY, usd(400_000), BigInteger.ZERO);
        Accrual a = m.accrueTo(terms(), T0 + YEAR);
        // rate 1,585,489,599 per second; x = rate × 31,536,000 = 49,999,999,994,064,000 (4.99…%)
        // x + x²/2e18 + x³/6e36 = 51,270,833,327,093,113 (e^0.05 − 1, rounded down at each term)
        // interest = 400,000e6 × that / 1e18 = 20,508,333,330 (20,508.33 mUSD)
        assertThat(a.borrowRate()).isEqualTo(1_585_489_599L);
        assertThat(FixedPoint.wTaylorCompounded(a.borrowRate(), BigInteger.valueOf(YEAR)))
                .isEqualTo(n("51_270_833_327_093_113"));
        assertThat(a.interest()).isEqualTo(20_508_333_330L);
        assertThat(a.market())
                .isEqualTo(
                        new MarketState(
                                LIQUIDITY.add(a.interest()),
                                m.totalSupplyShares(),
                                usd(400_000).add(a.interest()),
                                m.totalBorrowShares(),
                                BigInteger.ZERO,
                                T0 + YEAR));
        assertThat(a.emitsEvent()).isTrue();
        assertThat(a.elapsed()).isEqualTo(YEAR);
    }

    @Test
    void accruesTwoYearsAtFullUtilization() {
        Accrual a = market(LIQUIDITY, LIQUIDITY, BigInteger.ZERO).accrueTo(terms(), T0 + 2 * YEAR);
        // 88% a year for two years: x ≈ 1.76, three Taylor terms give 4.2174… (e^1.76 − 1 is
        // 4.8124…)
        assertThat(a.borrowRate()).isEqualTo(27_904_616_945L);
        assertThat(a.interest()).isEqualTo(4_217_429_333_139L);
    }

    @Test
    void nothingHappensWithinTheSameSecond() {
        MarketState m = market(LIQUIDITY, usd(500_000), BigInteger.ONE);
        Accrual a = m.accrueTo(terms(), T0);
        assertThat(a.market()).isSameAs(m);
        assertThat(a.borrowRate()).isZero();
        assertThat(a.interest()).isZero();
        assertThat(a.emitsEvent()).isFalse();
    }

    @Test
    void aSecondWithNoBorrowStillMovesLastUpdateAndReportsTheRate() {
        Accrual a = market(LIQUIDITY, BigInteger.ZERO, BigInteger.ZERO).accrueTo(terms(), T0 + 1);
        assertThat(a.interest()).isZero();
        assertThat(a.borrowRate()).isEqualTo(634_195_839L);
        assertThat(a.emitsEvent())
                .as("the contract emits AccrueInterest with zero interest")
                .isTrue();
        assertThat(a.market().lastUpdate()).isEqualTo(T0 + 1);
    }

    @Test
    void accruingInStepsIsNotAccruingOnce() {
        // The rate is re-read at each step (on a higher utilization), so an indexer must accrue
        // exactly
        // when the contract does: here two half-years earn 20,603,282,092 where one year earns
        // 20,508,333,330.
        MarketState m = market(LIQUIDITY, usd(400_000), BigInteger.ZERO);
        long half = YEAR / 2;
        MarketState twice =
                m.accrueTo(terms(), T0 + half).market().accrueTo(terms(), T0 + 2 * half).market();
        MarketState once = m.accrueTo(terms(), T0 + 2 * half).market();
        assertThat(twice.totalBorrowAssets().subtract(usd(400_000))).isEqualTo(20_603_282_092L);
        assertThat(once.totalBorrowAssets().subtract(usd(400_000))).isEqualTo(20_508_333_330L);
    }

    @Test
    void refusesToAccrueBackwards() {
        assertThatThrownBy(
                        () -> market(LIQUIDITY, usd(1), BigInteger.ZERO).accrueTo(terms(), T0 - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the market's lastUpdate");
    }

    @Test
    void liquidityUtilizationAndRateOfTheTotals() {
        MarketState m = market(LIQUIDITY, usd(900_000), BigInteger.ZERO);
        assertThat(m.availableLiquidity()).isEqualTo(usd(100_000));
        assertThat(m.utilization()).isEqualTo(Fixtures.wad("0.9"));
        assertThat(m.borrowRatePerSecond(terms())).isEqualTo(15_220_700_152L);
        assertThat(
                        new MarketState(
                                        usd(1),
                                        BigInteger.ZERO,
                                        usd(2),
                                        BigInteger.ZERO,
                                        BigInteger.ZERO,
                                        T0)
                                .availableLiquidity())
                .as("floored at zero")
                .isZero();
    }

    @Test
    void refusesNegativeTotals() {
        assertThatThrownBy(
                        () ->
                                new MarketState(
                                        BigInteger.ONE.negate(),
                                        BigInteger.ZERO,
                                        BigInteger.ZERO,
                                        BigInteger.ZERO,
                                        BigInteger.ZERO,
                                        T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("totalSupplyAssets is negative");
    }
}
