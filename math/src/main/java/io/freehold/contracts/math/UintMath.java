package io.freehold.contracts.math;

import java.math.BigInteger;

/**
 * Solidity 0.8's checked arithmetic on {@code uint256}: the contract's plain {@code +}, {@code -}
 * and {@code *}, which revert rather than wrap. The bound and the input check are {@link
 * io.freehold.types.Uint256}'s.
 */
final class UintMath {

    private UintMath() {}

    /** {@code a + b}, reverting like Solidity 0.8 when the sum exceeds 2^256 - 1. */
    static BigInteger add(BigInteger a, BigInteger b, String what) {
        return fit(a.add(b), what);
    }

    /** {@code a - b}, reverting like Solidity 0.8 when {@code b > a}. */
    static BigInteger sub(BigInteger a, BigInteger b, String what) {
        BigInteger difference = a.subtract(b);
        if (difference.signum() < 0) {
            throw new SolidityPanic(
                    SolidityPanic.UNDER_OVERFLOW,
                    "uint256 underflow in " + what + ": " + a + " - " + b);
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
