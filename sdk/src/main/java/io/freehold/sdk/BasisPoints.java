package io.freehold.sdk;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A ratio in basis points (10 000 = 100 %), the unit Aave's configuration and {@code
 * getUserAccountData} use for LTVs, liquidation thresholds, bonuses and the close factor. Kept as
 * the pool's integer so a figure compares with the chain's exactly; {@link #toWad()} converts
 * without loss.
 *
 * @param value basis points, at least 0 (a bonus is above 10 000: 11 000 is a 10 % bonus)
 */
public record BasisPoints(int value) implements Comparable<BasisPoints> {

    /** 10 000 basis points: 100 %. */
    public static final BasisPoints ONE = new BasisPoints(10_000);

    /** 1 basis point in WAD: 10<sup>14</sup>. */
    private static final BigInteger WAD_PER_BASIS_POINT = BigInteger.TEN.pow(14);

    public BasisPoints {
        if (value < 0) {
            throw new IllegalArgumentException("basis points must be at least 0, was " + value);
        }
    }

    /** The same ratio as a {@link Wad} (7 500 → 0.75), exact. */
    public Wad toWad() {
        return Wad.of(BigInteger.valueOf(value).multiply(WAD_PER_BASIS_POINT));
    }

    @Override
    public int compareTo(BasisPoints other) {
        return Integer.compare(value, other.value);
    }

    /** "75.00%". */
    @Override
    public String toString() {
        return BigDecimal.valueOf(value, 2).toPlainString() + "%";
    }
}
