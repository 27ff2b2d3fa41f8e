package io.freehold.contracts.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevertTest {

    @Test
    void selectorsAreTheChains() {
        // As anvil reported them for real reverts of the pool.
        assertThat(ActionRevert.MAX_LTV_EXCEEDED.selector()).isEqualTo("0x5fd9962d");
        assertThat(ActionRevert.INSUFFICIENT_LIQUIDITY.selector()).isEqualTo("0xa17e11d5");
        assertThat(LiquidationRevert.ZERO_SHARES.selector())
                .isEqualTo(ActionRevert.ZERO_SHARES.selector());
        assertThat(LiquidationRevert.ZERO_AMOUNT.arity()).isZero();
        assertThat(LiquidationRevert.HEALTH_WOULD_WORSEN.arity()).isEqualTo(2);
    }

    @Test
    void encodesTheRevertDataAndPrintsLikeSolidity() {
        Revert<ActionRevert> r =
                new Revert<>(
                        ActionRevert.MAX_LTV_EXCEEDED, List.of(BigInteger.ONE, BigInteger.ZERO));
        assertThat(r.data()).isEqualTo("0x5fd9962d" + "0".repeat(63) + "1" + "0".repeat(64));
        assertThat(r).hasToString("MaxLtvExceeded(1, 0)");
        assertThat(new Revert<>(ActionRevert.ZERO_AMOUNT, List.of()).data())
                .isEqualTo(ActionRevert.ZERO_AMOUNT.selector());
    }

    @Test
    void refusesTheWrongNumberOfArguments() {
        assertThatThrownBy(() -> new Revert<>(LiquidationRevert.POSITION_HEALTHY, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 1 arguments");
    }
}
