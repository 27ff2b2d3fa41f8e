package io.freehold.contracts.math;

import java.math.BigInteger;

/**
 * The range of a Solidity {@code uint256} and Solidity 0.8's checked arithmetic on it.
 *
 * <p>{@link #check} guards every public input of this package; {@link #add}, {@link #sub} and
 * {@link #mul} are the contract's plain {@code +}, {@code -} and {@code *}, which revert rather than
 * wrap.
 */
public final class Uint256 {

    /** {@code type(uint256).max} = 2^256 - 1; as an amount it means "all" to withdraw, repay and liquidate. */
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private Uint256() {}

    /**
     * Returns {@code value} if it is a uint256.
     *
     * @throws IllegalArgumentException naming {@code name} if the value is null, negative or above 2^256 - 1
     */
    public static BigInteger check(String name, BigInteger value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null; a uint256 is required");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " is negative (" + value + "); a uint256 cannot be");
        }
        if (value.bitLength() > 256) {
            throw new IllegalArgumentException(name + " is " + value + ", above type(uint256).max = 2^256 - 1");
        }
        return value;
    }

    /** Returns {@code value} if it is a timestamp the chain can hold (non-negative). */
    static long checkTimestamp(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " is negative (" + value + "); a block timestamp cannot be");
        }
        return value;
    }

    /** {@code a + b}, reverting like Solidity 0.8 when the sum exceeds 2^256 - 1. */
    static BigInteger add(BigInteger a, BigInteger b, String what) {
        return fit(a.add(b), what);
    }

    /** {@code a - b}, reverting like Solidity 0.8 when {@code b > a}. */
    static BigInteger sub(BigInteger a, BigInteger b, String what) {
        BigInteger difference = a.subtract(b);
        if (difference.signum() < 0) {
            throw new SolidityPanic(SolidityPanic.UNDER_OVERFLOW, "uint256 underflow in " + what + ": " + a + " - " + b);
        }
        return difference;
    }

    /** {@code a * b}, reverting like Solidity 0.8 when the product exceeds 2^256 - 1. */
    static BigInteger mul(BigInteger a, BigInteger b, String what) {
        return fit(a.multiply(b), what);
    }

    private static BigInteger fit(BigInteger value, String what) {
        if (value.bitLength() > 256) {
            throw new SolidityPanic(SolidityPanic.UNDER_OVERFLOW, "uint256 overflow in " + what);
        }
        return value;
    }
}
