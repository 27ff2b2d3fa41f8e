package io.freehold.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @Test
    void parsesJsonRpcQuantities() {
        assertThat(Quantity.parse("0x0")).isZero();
        assertThat(Quantity.parse("0x1b4")).isEqualTo(436);
        assertThat(Quantity.parse("0X1B4")).isEqualTo(436);
        assertThat(Quantity.parse("0x7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "0x", "12", "x12", "0xg1", "0x8000000000000000", "0x10000000000000000"})
    void rejectsWhatIsNotAQuantityOrDoesNotFitALong(String text) {
        assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(NumberFormatException.class);
    }
}
