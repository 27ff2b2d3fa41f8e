package io.freehold.examples.common;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Amounts for people, alike in every example: the chain's base units shown in dollars and whole
 * tokens (display only, rounded down), and parsed back exactly.
 */
public final class Format {

    private Format() {}

    /**
     * Parses dollars ("2500", "10.25") to mUSD base units; refuses zero, negatives and more than 6
     * decimals.
     */
    public static io.freehold.sdk.TokenAmount parseDollars(String text) {
        return parse(text, 6, "an amount in dollars");
    }

    /** Parses whole tokens ("100", "0.5") to property-token base units. */
    public static io.freehold.sdk.TokenAmount parseTokens(String text) {
        return parse(text, 18, "a number of tokens");
    }

    private static io.freehold.sdk.TokenAmount parse(String text, int decimals, String what) {
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
        if (d.signum() <= 0 || d.scale() > decimals) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not "
                            + what
                            + " above zero with at most "
                            + decimals
                            + " decimals");
        }
        return io.freehold.sdk.TokenAmount.of(
                d.movePointRight(decimals).toBigIntegerExact(), decimals);
    }

    /** mUSD base units (6 decimals). */
    public static String dollars(BigInteger baseUnits) {
        return String.format(
                "$%,.2f",
                new BigDecimal(baseUnits).movePointLeft(6).setScale(2, RoundingMode.DOWN));
    }

    /** Property-token base units (18 decimals). */
    public static String tokens(BigInteger baseUnits) {
        return String.format(
                "%,.4f tokens",
                new BigDecimal(baseUnits).movePointLeft(18).setScale(4, RoundingMode.DOWN));
    }

    /** An oracle price (mUSD base units per token base unit × 1e36) as dollars per whole token. */
    public static String perToken(BigInteger price) {
        BigDecimal d =
                new BigDecimal(price.multiply(BigInteger.TEN.pow(18)))
                        .movePointLeft(42)
                        .setScale(2, RoundingMode.DOWN);
        return String.format("$%,.2f per token", d);
    }

    /** A WAD ratio as a percentage. */
    public static String percent(BigInteger wad) {
        return new BigDecimal(wad).movePointLeft(16).setScale(2, RoundingMode.DOWN) + "%";
    }

    /** A WAD health factor, or "no debt". */
    public static String health(BigInteger wad, boolean hasDebt) {
        return hasDebt
                ? new BigDecimal(wad)
                        .movePointLeft(18)
                        .setScale(4, RoundingMode.DOWN)
                        .toPlainString()
                : "no debt";
    }
}
