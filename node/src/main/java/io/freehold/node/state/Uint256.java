package io.freehold.node.state;

import java.math.BigInteger;
import java.util.Objects;

/** The range of a Solidity {@code uint256}, which every amount in the state must fit. */
public final class Uint256 {

    /** {@code 2^256 − 1}, the largest uint256 (78 decimal digits: it fits {@code NUMERIC(78,0)}). */
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private Uint256() {}

    /**
     * Returns {@code value} if it is a uint256.
     *
     * @throws IllegalArgumentException naming {@code what} if it is negative or wider than 256 bits
     */
    public static BigInteger check(BigInteger value, String what) {
        Objects.requireNonNull(value, what);
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException(what + " is not a uint256: " + value);
        }
        return value;
    }

    /** Checks a unix time or count carried as a non-negative {@code long}. */
    static long checkNonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }
}
