package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.mulDivDown;
import static io.freehold.contracts.math.FixedPoint.mulDivUp;
import static io.freehold.contracts.math.Fixtures.MAX;
import static io.freehold.contracts.math.Fixtures.n;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class FixedPointTest {

    private static final BigInteger TWO = BigInteger.TWO;
    private static final BigInteger THREE = BigInteger.valueOf(3);
    private static final BigInteger SEVEN = BigInteger.valueOf(7);

    @Test
    void mulDivRoundsTheWayItsNameSays() {
        assertThat(mulDivDown(SEVEN, THREE, TWO)).isEqualTo(10);
        assertThat(mulDivUp(SEVEN, THREE, TWO)).isEqualTo(11);
        // No remainder, no rounding up.
        assertThat(mulDivUp(BigInteger.valueOf(6), THREE, TWO)).isEqualTo(9);
    }

    @Test
    void mulDivHasNoIntermediateOverflowLikeOpenZeppelinsMulDiv() {
        // MAX × MAX needs 512 bits; the quotient fits.
        assertThat(mulDivDown(MAX, MAX, MAX)).isEqualTo(MAX);
        assertThat(mulDivUp(MAX, MAX, MAX)).isEqualTo(MAX);
    }

    @Test
    void mulDivPanicsWhereTheContractReverts() {
        assertThatThrownBy(() -> mulDivDown(MAX, TWO, BigInteger.ONE))
                .isInstanceOfSatisfying(
                        SolidityPanic.class, p -> assertThat(p.code()).isEqualTo(0x11))
                .hasMessageContaining("Panic(0x11)");
        assertThatThrownBy(() -> mulDivDown(BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO))
                .isInstanceOfSatisfying(
                        SolidityPanic.class, p -> assertThat(p.code()).isEqualTo(0x12));
        // floor(x × 7 / 6) is exactly MAX with remainder 1: rounding up is a checked + 1 that
        // overflows.
        BigInteger x = MAX.multiply(BigInteger.valueOf(6)).add(BigInteger.ONE).divide(SEVEN);
        assertThat(mulDivDown(x, SEVEN, BigInteger.valueOf(6))).isEqualTo(MAX);
        assertThatThrownBy(() -> mulDivUp(x, SEVEN, BigInteger.valueOf(6)))
                .isInstanceOfSatisfying(
                        SolidityPanic.class, p -> assertThat(p.code()).isEqualTo(0x11));
    }

    @Test
    void wadHelpers() {
        assertThat(FixedPoint.wDivDown(BigInteger.ONE, THREE))
                .isEqualTo(n("333_333_333_333_333_333"));
        assertThat(FixedPoint.wDivUp(BigInteger.ONE, THREE))
                .isEqualTo(n("333_333_333_333_333_334"));
        assertThat(FixedPoint.wMulDown(THREE, n("333_333_333_333_333_334"))).isEqualTo(1);
        assertThat(FixedPoint.wMulDown(Fixtures.usd(1_000), Fixtures.wad("0.65")))
                .isEqualTo(Fixtures.usd(650));
    }

    @Test
    void taylorCompoundingRoundsEachTermDown() {
        // x = 1e9 × 31,536,000 = 31,536,000,000,000,000 (≈3.15% a year)
        // x²/2e18 = 497,259,648,000,000; that × x / 3e18 = 5,227,193,419,776 (both exact here)
        assertThat(
                        FixedPoint.wTaylorCompounded(
                                BigInteger.valueOf(1_000_000_000), BigInteger.valueOf(31_536_000)))
                .isEqualTo(
                        n("31_536_000_000_000_000")
                                .add(n("497_259_648_000_000"))
                                .add(n("5_227_193_419_776")));
        assertThat(FixedPoint.wTaylorCompounded(BigInteger.ZERO, BigInteger.valueOf(1_000)))
                .isZero();
    }

    @Test
    void taylorCompoundingOverflowsWhereSolidityChecks() {
        // rate * n is a checked 256-bit product in the contract, not a mulDiv.
        assertThatThrownBy(() -> FixedPoint.wTaylorCompounded(MAX, TWO))
                .isInstanceOf(SolidityPanic.class)
                .hasMessageContaining("rate * n");
    }

    @Test
    void zeroFloorSubAndMin() {
        assertThat(FixedPoint.zeroFloorSub(THREE, SEVEN)).isZero();
        assertThat(FixedPoint.zeroFloorSub(SEVEN, THREE)).isEqualTo(4);
        assertThat(FixedPoint.min(SEVEN, THREE)).isEqualTo(3);
    }

    @Test
    void refusesWhatIsNotAUint256AndSaysWhich() {
        assertThatThrownBy(() -> mulDivDown(BigInteger.ONE.negate(), TWO, TWO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x is negative");
        assertThatThrownBy(() -> mulDivDown(TWO, MAX.add(BigInteger.ONE), TWO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("y is")
                .hasMessageContaining("above type(uint256).max");
        assertThatThrownBy(() -> FixedPoint.zeroFloorSub(null, TWO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x is null");
    }

    @Test
    void theScalesAreTheContracts() {
        assertThat(FixedPoint.WAD).isEqualTo(BigInteger.TEN.pow(18));
        assertThat(FixedPoint.PRICE_SCALE).isEqualTo(BigInteger.TEN.pow(36));
        assertThat(FixedPoint.RENT_SCALE).isEqualTo(BigInteger.TEN.pow(36));
        assertThat(Uint256.MAX).isEqualTo(TWO.pow(256).subtract(BigInteger.ONE));
    }
}
