package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenAmountTest {

    private static final String MAX =
            "115792089237316195423570985008687907853269984665640564039457584007913129639935";

    @ParameterizedTest
    @CsvSource({
        "1500000, 6, 1.5",
        "1, 6, 0.000001",
        "0, 6, 0",
        "1000000000, 6, 1000",
        "1000, 0, 1000",
        "1, 18, 0.000000000000000001",
        "007, 2, 0.07",
    })
    void formatsBaseUnitsAsAnExactDecimal(String baseUnits, int decimals, String decimal) {
        TokenAmount amount = TokenAmount.parse(baseUnits, decimals);

        assertThat(amount.toDecimalString()).isEqualTo(decimal);
        assertThat(amount).hasToString(decimal);
        assertThat(amount.baseUnits()).isEqualTo(new BigInteger(baseUnits));
    }

    @Test
    void holdsTheWholeUint256Range() {
        TokenAmount max = TokenAmount.parse(MAX, 18);

        assertThat(max.baseUnits()).isEqualTo(TokenAmount.MAX_BASE_UNITS);
        assertThat(max.toBaseUnitsString()).isEqualTo(MAX);
        assertThat(max.toDecimalString()).isEqualTo(MAX.substring(0, 60) + "." + MAX.substring(60));
    }

    @Test
    void rejectsWhatIsNotAUint256AndSaysWhy() {
        String tooBig = new BigInteger(MAX).add(BigInteger.ONE).toString();

        assertRejected("-1", "negative");
        assertRejected("", "empty");
        assertRejected(tooBig, "exceeds 2^256 - 1");
        assertRejected("1" + MAX, "79 digits");
        assertRejected("1.5", "'.' at index 1 is not a digit");
        assertRejected("+1", "'+' at index 0");
        assertRejected(" 1", "' ' at index 0");
        assertRejected("1e6", "'e' at index 1");
        assertRejected("0x10", "'x' at index 1");
        assertRejected(
                "\u0661\u0662", "not a digit"); // Arabic-Indic digits, which BigInteger accepts
        assertThatThrownBy(() -> TokenAmount.of(BigInteger.valueOf(-1), 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> TokenAmount.of(new BigInteger(tooBig), 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void rejectsDecimalsAnErc20CannotHave() {
        assertThatThrownBy(() -> TokenAmount.parse("1", -1)).hasMessageContaining("decimals");
        assertThatThrownBy(() -> TokenAmount.parse("1", 256)).hasMessageContaining("decimals");
        assertThat(TokenAmount.parse("1", 255).decimals()).isEqualTo(255);
    }

    @Test
    void addsAndSubtractsWithinUint256AndOneToken() {
        TokenAmount one = TokenAmount.parse("1000000", 6);
        TokenAmount half = TokenAmount.parse("500000", 6);

        assertThat(one.plus(half)).isEqualTo(TokenAmount.parse("1500000", 6));
        assertThat(one.minus(half)).isEqualTo(half);
        assertThat(half.minus(half).isZero()).isTrue();
        assertThatThrownBy(() -> half.minus(one)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> TokenAmount.parse(MAX, 6).plus(TokenAmount.parse("1", 6)))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> one.plus(TokenAmount.parse("1", 18)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decimals");
    }

    @Test
    void equalityNeedsTheSameUnitsAndDecimals() {
        assertThat(TokenAmount.parse("1", 6))
                .isEqualTo(TokenAmount.parse("01", 6))
                .hasSameHashCodeAs(TokenAmount.parse("01", 6))
                .isNotEqualTo(TokenAmount.parse("1", 18))
                .isNotEqualTo(TokenAmount.parse("2", 6));
        assertThat(TokenAmount.zero(6)).isEqualTo(TokenAmount.parse("0", 6));
    }

    private static void assertRejected(String input, String reason) {
        assertThatThrownBy(() -> TokenAmount.parse(input, 6))
                .as("parse(\"%s\")", input)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
