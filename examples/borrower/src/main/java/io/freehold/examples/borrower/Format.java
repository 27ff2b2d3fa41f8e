package io.freehold.examples.borrower;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Amounts for people: the chain's base units shown in dollars and whole tokens (display only, rounded down). */
final class Format {

    private Format() {}

    /** mUSD base units (6 decimals). */
    static String dollars(BigInteger baseUnits) {
        return String.format("$%,.2f", new BigDecimal(baseUnits).movePointLeft(6).setScale(2, RoundingMode.DOWN));
    }

    /** Property-token base units (18 decimals). */
    static String tokens(BigInteger baseUnits) {
        return String.format("%,.4f tokens", new BigDecimal(baseUnits).movePointLeft(18).setScale(4, RoundingMode.DOWN));
    }

    /** An oracle price (mUSD base units per token base unit × 1e36) as dollars per whole token. */
    static String perToken(BigInteger price) {
        BigDecimal d = new BigDecimal(price.multiply(BigInteger.TEN.pow(18))).movePointLeft(42)
                .setScale(2, RoundingMode.DOWN);
        return String.format("$%,.2f per token", d);
    }

    /** A WAD ratio as a percentage. */
    static String percent(BigInteger wad) {
        return new BigDecimal(wad).movePointLeft(16).setScale(2, RoundingMode.DOWN) + "%";
    }

    /** A WAD health factor, or "no debt". */
    static String health(BigInteger wad, boolean hasDebt) {
        return hasDebt ? new BigDecimal(wad).movePointLeft(18).setScale(4, RoundingMode.DOWN).toPlainString() : "no debt";
    }
}
