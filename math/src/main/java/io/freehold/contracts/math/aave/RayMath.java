package io.freehold.contracts.math.aave;

import java.math.BigInteger;

/**
 * Aave's {@code WadRayMath} and {@code PercentageMath}: products and quotients rounded half up
 * (half away from zero for these non-negative values), as the assembly in those libraries does.
 * Aave's indexes and rates are rays (1e27), its health factor a wad (1e18), its LTVs and thresholds
 * basis points (1e4 = 100 %).
 */
public final class RayMath {

    public static final BigInteger WAD = BigInteger.TEN.pow(18);
    public static final BigInteger RAY = BigInteger.TEN.pow(27);
    public static final BigInteger HALF_RAY = RAY.shiftRight(1);
    public static final BigInteger HALF_WAD = WAD.shiftRight(1);

    /** 100.00 %: PercentageMath's unit (two decimals of a percent). */
    public static final BigInteger PERCENTAGE_FACTOR = BigInteger.valueOf(10_000);

    private static final BigInteger HALF_PERCENTAGE_FACTOR = BigInteger.valueOf(5_000);

    private RayMath() {}

    /** {@code (a * b + RAY / 2) / RAY}. */
    public static BigInteger rayMul(BigInteger a, BigInteger b) {
        return a.multiply(b).add(HALF_RAY).divide(RAY);
    }

    /** {@code (a * RAY + b / 2) / b}. */
    public static BigInteger rayDiv(BigInteger a, BigInteger b) {
        return a.multiply(RAY).add(b.shiftRight(1)).divide(b);
    }

    /** {@code (a * WAD + b / 2) / b}. */
    public static BigInteger wadDiv(BigInteger a, BigInteger b) {
        return a.multiply(WAD).add(b.shiftRight(1)).divide(b);
    }

    /** {@code (value * 1e4 + percentage / 2) / percentage}. */
    public static BigInteger percentDiv(BigInteger value, BigInteger percentage) {
        return value.multiply(PERCENTAGE_FACTOR).add(percentage.shiftRight(1)).divide(percentage);
    }

    /** {@code (value * percentage + 0.5e4) / 1e4}. */
    public static BigInteger percentMul(BigInteger value, BigInteger percentage) {
        return value.multiply(percentage).add(HALF_PERCENTAGE_FACTOR).divide(PERCENTAGE_FACTOR);
    }
}
