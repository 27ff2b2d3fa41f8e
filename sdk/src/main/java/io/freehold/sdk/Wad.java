package io.freehold.sdk;

import io.freehold.types.Uint256;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A non-negative fixed-point number with 18 decimals, as the contracts store ratios, prices and
 * health factors: the integer {@code raw} stands for {@code raw / 10^18}.
 *
 * <p>Every operation says which way it rounds, so off-chain code can reproduce the contracts'
 * results to the last unit and round the way that favours the protocol. Results stay within {@code
 * uint256}; unlike Solidity, intermediate products never overflow.
 *
 * <pre>{@code
 * Wad ltv = Wad.parse("0.8");
 * Wad price = Wad.parse("2.5");
 * ltv.mulDown(price);                // 2
 * Wad.ONE.divDown(Wad.parse("3"));  // 0.333333333333333333
 * Wad.ONE.divUp(Wad.parse("3"));    // 0.333333333333333334
 * }</pre>
 */
public final class Wad implements Comparable<Wad> {

    /** 10<sup>18</sup>: the raw value of one. */
    public static final BigInteger SCALE = BigInteger.TEN.pow(18);

    public static final Wad ZERO = new Wad(BigInteger.ZERO);
    public static final Wad ONE = new Wad(SCALE);

    private static final int DECIMALS = 18;
    private static final BigInteger MAX_RAW = Uint256.MAX;

    private final BigInteger raw;

    private Wad(BigInteger raw) {
        this.raw = raw;
    }

    /**
     * The wad whose raw value is {@code raw}: {@code of(10^18)} is one.
     *
     * @throws IllegalArgumentException if {@code raw} is negative or above 2^256 − 1
     */
    public static Wad of(BigInteger raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.signum() < 0 || raw.compareTo(MAX_RAW) > 0) {
            throw new IllegalArgumentException(
                    "wad must be within 0..2^256 - 1, raw value: " + raw);
        }
        return new Wad(raw);
    }

    /**
     * Parses a plain decimal such as {@code "1.05"}; exact, so at most 18 fraction digits.
     *
     * @throws IllegalArgumentException if it is not a non-negative decimal that fits
     */
    public static Wad parse(String decimal) {
        Objects.requireNonNull(decimal, "decimal");
        if (!decimal.matches("[0-9]+(\\.[0-9]+)?")) {
            throw new IllegalArgumentException(
                    "wad must be a plain non-negative decimal like 1.05: " + decimal);
        }
        BigDecimal value = new BigDecimal(decimal);
        if (value.stripTrailingZeros().scale() > DECIMALS) {
            throw new IllegalArgumentException("wad has more than 18 fraction digits: " + decimal);
        }
        return of(value.movePointRight(DECIMALS).toBigIntegerExact());
    }

    /** The integer that stands for this value times 10^18. */
    public BigInteger raw() {
        return raw;
    }

    /** {@code this × other}, rounded down. */
    public Wad mulDown(Wad other) {
        return result(divide(raw.multiply(other.raw), SCALE, false));
    }

    /** {@code this × other}, rounded up. */
    public Wad mulUp(Wad other) {
        return result(divide(raw.multiply(other.raw), SCALE, true));
    }

    /** {@code this ÷ other}, rounded down. @throws ArithmeticException if {@code other} is zero */
    public Wad divDown(Wad other) {
        return result(divide(raw.multiply(SCALE), other.raw, false));
    }

    /** {@code this ÷ other}, rounded up. @throws ArithmeticException if {@code other} is zero */
    public Wad divUp(Wad other) {
        return result(divide(raw.multiply(SCALE), other.raw, true));
    }

    @Override
    public int compareTo(Wad other) {
        return raw.compareTo(other.raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Wad other && raw.equals(other.raw);
    }

    @Override
    public int hashCode() {
        return raw.hashCode();
    }

    /** The exact decimal value without trailing zeros, e.g. {@code "1.05"} for raw 1.05e18. */
    @Override
    public String toString() {
        return new BigDecimal(raw, DECIMALS).stripTrailingZeros().toPlainString();
    }

    private static BigInteger divide(
            BigInteger numerator, BigInteger denominator, boolean roundUp) {
        if (denominator.signum() == 0) {
            throw new ArithmeticException("wad division by zero");
        }
        BigInteger[] quotientAndRemainder = numerator.divideAndRemainder(denominator);
        BigInteger quotient = quotientAndRemainder[0];
        return roundUp && quotientAndRemainder[1].signum() != 0
                ? quotient.add(BigInteger.ONE)
                : quotient;
    }

    private static Wad result(BigInteger raw) {
        if (raw.compareTo(MAX_RAW) > 0) {
            throw new ArithmeticException("wad result exceeds 2^256 - 1: " + raw);
        }
        return new Wad(raw);
    }
}
