package io.freehold.contracts.math;

import io.freehold.types.Address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.generated.LendingPool;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class MarketTermsTest {

    @Test
    void readsTheWrappersParamsWithLowerCaseAddresses() {
        LendingPool.MarketParams params = new LendingPool.MarketParams("0x00000000000000000000000000000000000000AA",
                "0x00000000000000000000000000000000000000bb", "0x00000000000000000000000000000000000000cC",
                BigInteger.valueOf(1), BigInteger.valueOf(2), BigInteger.valueOf(3), BigInteger.valueOf(4),
                BigInteger.valueOf(5), BigInteger.valueOf(6), BigInteger.valueOf(7), BigInteger.valueOf(8),
                BigInteger.ZERO, BigInteger.valueOf(10));
        MarketTerms terms = MarketTerms.from(params);
        assertThat(terms.collateralToken().hex()).isEqualTo("0x00000000000000000000000000000000000000aa");
        assertThat(terms.oracle().hex()).isEqualTo("0x00000000000000000000000000000000000000cc");
        assertThat(terms.lltv()).isEqualTo(1);
        assertThat(terms.kinkUtilization()).isEqualTo(7);
        assertThat(terms.supplyCap()).isEqualTo(8);
        assertThat(terms.hasSupplyCap()).isTrue();
        assertThat(terms.hasBorrowCap()).isFalse();
        assertThat(terms.minLeftoverDebt()).isEqualTo(10);
    }

    @Test
    void refusesMalformedAddressesAndNegativeNumbers() {
        // Terms hold addresses as io.freehold.types.Address, which refuses a malformed one when it is made.
        assertThatThrownBy(() -> new MarketTerms(Address.of("0x12"), Fixtures.terms().loanToken(),
                Fixtures.terms().oracle(), BigInteger.ONE, BigInteger.ONE, BigInteger.ONE, BigInteger.ONE,
                BigInteger.ONE, BigInteger.ONE, BigInteger.ONE, BigInteger.ONE, BigInteger.ONE, BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address must have 40 hex digits");
        MarketTerms t = Fixtures.terms();
        assertThatThrownBy(() -> new MarketTerms(t.collateralToken(), t.loanToken(), t.oracle(), t.lltv(), t.maxLtv(),
                t.liquidationIncentive(), t.baseRatePerYear(), t.slope1PerYear(), t.slope2PerYear(),
                t.kinkUtilization(), t.supplyCap(), t.borrowCap(), BigInteger.valueOf(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minLeftoverDebt is negative");
    }
}
