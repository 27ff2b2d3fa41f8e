package io.freehold.types;

import java.math.BigInteger;

/** The range of a Solidity {@code uint256}: the one bound and the one check every module uses. */
public final class Uint256 {

    /**
     * {@code type(uint256).max} = 2^256 − 1 (78 decimal digits: it fits {@code NUMERIC(78,0)}); as
     * an amount it means "all" to withdraw, repay and liquidate.
     */
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private Uint256() {}

    /** Whether {@code value} is a uint256: not null, not negative, at most 256 bits. */
    public static boolean fits(BigInteger value) {
        return value != null && value.signum() >= 0 && value.bitLength() <= 256;
    }

    /**
     * Returns {@code value} if it is a uint256.
     *
     * @throws IllegalArgumentException naming {@code what} if it is null, negative or above 2^256 −
     *     1
     */
    public static BigInteger check(BigInteger value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null; a uint256 is required");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(
                    what + " is negative (" + value + "); a uint256 cannot be");
        }
        if (value.bitLength() > 256) {
            throw new IllegalArgumentException(
                    what + " is " + value + ", above type(uint256).max = 2^256 - 1");
        }
        return value;
    }

    /**
     * Returns a block number, unix time or count carried as a {@code long} if it is not negative.
     */
    public static long checkNonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }
}
