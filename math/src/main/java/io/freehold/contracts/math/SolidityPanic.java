package io.freehold.contracts.math;

/**
 * Arithmetic the contract would revert on with a Solidity {@code Panic(uint256)}: a checked {@code
 * +}, {@code -} or {@code *} leaving the uint256 range (code {@code 0x11}), or a division by zero
 * (code {@code 0x12}), including inside OpenZeppelin's {@code mulDiv}.
 *
 * <p>It is a bug or an absurd input (amounts near 2^256, a zero price), never an ordinary business
 * revert: those are {@link ActionRevert} and {@link LiquidationRevert}.
 */
public final class SolidityPanic extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    /** {@code Panic(0x11)}: arithmetic underflow or overflow. */
    public static final int UNDER_OVERFLOW = 0x11;

    /** {@code Panic(0x12)}: division or modulo by zero. */
    public static final int DIVISION_BY_ZERO = 0x12;

    private final int code;

    SolidityPanic(int code, String message) {
        super(message + " (the contract reverts with Panic(0x" + Integer.toHexString(code) + "))");
        this.code = code;
    }

    /** The Solidity panic code, {@link #UNDER_OVERFLOW} or {@link #DIVISION_BY_ZERO}. */
    public int code() {
        return code;
    }
}
