package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WadTest {

    private static final BigInteger MAX_UINT256 = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Test
    void rawValuesAreScaledBy1e18() {
        assertThat(Wad.of(new BigInteger("1000000000000000000")))
                .isEqualTo(Wad.ONE)
                .hasToString("1");
        assertThat(Wad.of(new BigInteger("1050000000000000000"))).hasToString("1.05");
        assertThat(Wad.of(BigInteger.ONE)).hasToString("0.000000000000000001");
        assertThat(Wad.ZERO).hasToString("0");
        assertThat(Wad.parse("2.5").raw()).isEqualTo(new BigInteger("2500000000000000000"));
        assertThat(Wad.parse("1.050").raw()).isEqualTo(new BigInteger("1050000000000000000"));
    }

    @ParameterizedTest
    @CsvSource({
        // a, b, a*b rounded down, a*b rounded up
        "0.8, 2.5, 2, 2",
        "0.000000000000000001, 0.5, 0, 0.000000000000000001",
        "0.333333333333333333, 3, 0.999999999999999999, 0.999999999999999999",
        "0.1, 0.000000000000000005, 0, 0.000000000000000001",
        "0, 7, 0, 0",
    })
    void multipliesRoundingAsAsked(String a, String b, String down, String up) {
        assertThat(Wad.parse(a).mulDown(Wad.parse(b))).hasToString(down);
        assertThat(Wad.parse(a).mulUp(Wad.parse(b))).hasToString(up);
    }

    @ParameterizedTest
    @CsvSource({
        // a, b, a/b rounded down, a/b rounded up
        "1, 3, 0.333333333333333333, 0.333333333333333334",
        "2, 3, 0.666666666666666666, 0.666666666666666667",
        "3, 1.5, 2, 2",
        "0.000000000000000001, 1000000000000000000000, 0, 0.000000000000000001",
        "0, 3, 0, 0",
    })
    void dividesRoundingAsAsked(String a, String b, String down, String up) {
        assertThat(Wad.parse(a).divDown(Wad.parse(b))).hasToString(down);
        assertThat(Wad.parse(a).divUp(Wad.parse(b))).hasToString(up);
    }

    @Test
    void roundingUpNeverGivesLessAndAtMostOneUnitMore() {
        Wad a = Wad.parse("123.456789012345678901");
        Wad b = Wad.parse("0.000000000000000007");
        for (Wad x : new Wad[] {a, b, Wad.ONE}) {
            for (Wad y : new Wad[] {a, b, Wad.ONE}) {
                BigInteger gap = x.mulUp(y).raw().subtract(x.mulDown(y).raw());
                assertThat(gap).isBetween(BigInteger.ZERO, BigInteger.ONE);
                gap = x.divUp(y).raw().subtract(x.divDown(y).raw());
                assertThat(gap).isBetween(BigInteger.ZERO, BigInteger.ONE);
            }
        }
    }

    @Test
    void refusesToDivideByZeroOrLeaveUint256() {
        assertThatThrownBy(() -> Wad.ONE.divDown(Wad.ZERO)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Wad.ONE.divUp(Wad.ZERO)).isInstanceOf(ArithmeticException.class);
        Wad max = Wad.of(MAX_UINT256);
        assertThat(max.mulDown(Wad.ONE)).isEqualTo(max);
        assertThatThrownBy(() -> max.mulUp(Wad.parse("1.000000000000000001")))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("2^256 - 1");
        assertThatThrownBy(() -> max.divDown(Wad.parse("0.5")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void rejectsRawValuesOutsideUint256() {
        assertThatThrownBy(() -> Wad.of(BigInteger.valueOf(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wad.of(MAX_UINT256.add(BigInteger.ONE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.", ".5", "1e18", "0x1", " 1", "1.0000000000000000001", ""})
    void parsesOnlyPlainDecimalsWithAtMost18FractionDigits(String input) {
        assertThatThrownBy(() -> Wad.parse(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersAndComparesByValue() {
        assertThat(Wad.parse("0.5")).isLessThan(Wad.ONE).isEqualTo(Wad.parse("0.50"));
        assertThat(Wad.parse("0.5").hashCode()).isEqualTo(Wad.parse("0.500").hashCode());
    }
}
