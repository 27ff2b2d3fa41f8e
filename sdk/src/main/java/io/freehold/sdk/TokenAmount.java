package io.freehold.sdk;

import io.freehold.types.Uint256;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An amount of an ERC-20 token in its base units (the integer the contract stores), with the
 * token's {@code decimals} for display. Like the contract's {@code uint256}, it is never negative
 * and never above 2<sup>256</sup> − 1.
 *
 * <p>On the wire amounts travel as decimal strings of base units, exactly; the decimal point only
 * appears for people.
 *
 * <pre>{@code
 * TokenAmount usdc = TokenAmount.parse("1500000", 6);
 * usdc.baseUnits();        // 1500000
 * usdc.toDecimalString();  // "1.5"
 * }</pre>
 */
public final class TokenAmount {

    /** The largest amount a {@code uint256} holds: 2<sup>256</sup> − 1. */
    public static final BigInteger MAX_BASE_UNITS = Uint256.MAX;

    /** ERC-20 {@code decimals()} is a {@code uint8}. */
    public static final int MAX_DECIMALS = 255;

    // 2^256 - 1 has 78 digits; longer input is rejected before BigInteger parses it.
    private static final int MAX_DIGITS = MAX_BASE_UNITS.toString().length();

    private final BigInteger baseUnits;
    private final int decimals;

    private TokenAmount(BigInteger baseUnits, int decimals) {
        this.baseUnits = baseUnits;
        this.decimals = decimals;
    }

    /**
     * @throws IllegalArgumentException if {@code baseUnits} is negative or above 2^256 − 1, or
     *     {@code decimals} is outside 0..255
     */
    public static TokenAmount of(BigInteger baseUnits, int decimals) {
        Objects.requireNonNull(baseUnits, "baseUnits");
        checkDecimals(decimals);
        if (baseUnits.signum() < 0) {
            throw new IllegalArgumentException("token amount must not be negative: " + baseUnits);
        }
        if (baseUnits.compareTo(MAX_BASE_UNITS) > 0) {
            throw new IllegalArgumentException("token amount exceeds 2^256 - 1: " + baseUnits);
        }
        return new TokenAmount(baseUnits, decimals);
    }

    /**
     * Parses a decimal string of base units: ASCII digits only, no sign, point or spaces.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static TokenAmount parse(String baseUnits, int decimals) {
        Objects.requireNonNull(baseUnits, "baseUnits");
        checkDecimals(decimals);
        if (baseUnits.isEmpty()) {
            throw new IllegalArgumentException("token amount is empty");
        }
        if (baseUnits.charAt(0) == '-') {
            throw new IllegalArgumentException("token amount must not be negative: " + baseUnits);
        }
        for (int i = 0; i < baseUnits.length(); i++) {
            char c = baseUnits.charAt(i);
            // Not Character.isDigit: BigInteger would also take non-ASCII digits such as '٣'.
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(
                        "token amount must be a decimal integer of base units; '"
                                + c
                                + "' at index "
                                + i
                                + " is not a digit: "
                                + baseUnits);
            }
        }
        if (baseUnits.length() > MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "token amount exceeds 2^256 - 1: it has " + baseUnits.length() + " digits");
        }
        return of(new BigInteger(baseUnits), decimals);
    }

    public static TokenAmount zero(int decimals) {
        return of(BigInteger.ZERO, decimals);
    }

    public BigInteger baseUnits() {
        return baseUnits;
    }

    public int decimals() {
        return decimals;
    }

    public boolean isZero() {
        return baseUnits.signum() == 0;
    }

    /**
     * @throws ArithmeticException if the sum exceeds 2^256 − 1
     */
    public TokenAmount plus(TokenAmount other) {
        return withBaseUnits(baseUnits.add(sameToken(other).baseUnits));
    }

    /**
     * @throws ArithmeticException if {@code other} is larger
     */
    public TokenAmount minus(TokenAmount other) {
        return withBaseUnits(baseUnits.subtract(sameToken(other).baseUnits));
    }

    /** The base units as a decimal string, e.g. {@code "1500000"}: the wire form. */
    public String toBaseUnitsString() {
        return baseUnits.toString();
    }

    /** The amount in whole tokens, exact and without trailing zeros, e.g. {@code "1.5"}. */
    public String toDecimalString() {
        return new BigDecimal(baseUnits, decimals).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenAmount other
                && decimals == other.decimals
                && baseUnits.equals(other.baseUnits);
    }

    @Override
    public int hashCode() {
        return 31 * baseUnits.hashCode() + decimals;
    }

    /** The same as {@link #toDecimalString()}. */
    @Override
    public String toString() {
        return toDecimalString();
    }

    private TokenAmount sameToken(TokenAmount other) {
        if (other.decimals != decimals) {
            throw new IllegalArgumentException(
                    "cannot combine amounts with "
                            + decimals
                            + " and "
                            + other.decimals
                            + " decimals");
        }
        return other;
    }

    private TokenAmount withBaseUnits(BigInteger result) {
        if (result.signum() < 0 || result.compareTo(MAX_BASE_UNITS) > 0) {
            throw new ArithmeticException("token amount out of uint256 range: " + result);
        }
        return new TokenAmount(result, decimals);
    }

    private static void checkDecimals(int decimals) {
        if (decimals < 0 || decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException(
                    "decimals must be within 0.." + MAX_DECIMALS + ": " + decimals);
        }
    }
}
