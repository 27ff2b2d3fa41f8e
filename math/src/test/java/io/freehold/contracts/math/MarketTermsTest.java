package io.freehold.contracts.math;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.types.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class MarketTermsTest {

    @Test
    void refusesMalformedAddressesAndNegativeNumbers() {
        // Terms hold addresses as io.freehold.types.Address, which refuses a malformed one when it
        // is made.
        assertThatThrownBy(
                        () ->
                                new MarketTerms(
                                        Address.of("0x12"),
                                        Fixtures.terms().loanToken(),
                                        Fixtures.terms().oracle(),
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE,
                                        BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address must have 40 hex digits");
        MarketTerms t = Fixtures.terms();
        assertThatThrownBy(
                        () ->
                                new MarketTerms(
                                        t.collateralToken(),
                                        t.loanToken(),
                                        t.oracle(),
                                        t.lltv(),
                                        t.maxLtv(),
                                        t.liquidationIncentive(),
                                        t.baseRatePerYear(),
                                        t.slope1PerYear(),
                                        t.slope2PerYear(),
                                        t.kinkUtilization(),
                                        t.supplyCap(),
                                        t.borrowCap(),
                                        BigInteger.valueOf(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minLeftoverDebt is negative");
    }
}
