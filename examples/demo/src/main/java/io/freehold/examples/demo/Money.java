package io.freehold.examples.demo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** How the demo prints amounts: the chain's base units, shown in the units people read. */
final class Money {

    /** Loan-token (mUSD) base units per dollar: 6 decimals. */
    static final BigInteger USD = BigInteger.TEN.pow(6);

    /** Property-token base units per whole token: 18 decimals. */
    static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    /** The oracle's price scale. */
    static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);

    private Money() {}

    /** "$12,345.67" from mUSD base units (rounded down to the cent: display only). */
    static String dollars(BigInteger baseUnits) {
        BigDecimal d = new BigDecimal(baseUnits).movePointLeft(6).setScale(2, RoundingMode.DOWN);
        return String.format("$%,.2f", d);
    }

    /** "51.30 tokens" from property-token base units. */
    static String tokens(BigInteger baseUnits) {
        BigDecimal d = new BigDecimal(baseUnits).movePointLeft(18).setScale(2, RoundingMode.DOWN);
        return String.format("%,.2f tokens", d);
    }

    /**
     * "$52.40" per whole token from an oracle price (mUSD base units per token base unit × 1e36).
     */
    static String pricePerToken(BigInteger price) {
        // per whole token: × 1e18 base units; in dollars: ÷ 1e6; the scale: ÷ 1e36.
        BigDecimal d =
                new BigDecimal(price.multiply(TOKEN))
                        .movePointLeft(36 + 6)
                        .setScale(2, RoundingMode.DOWN);
        return String.format("$%,.2f", d);
    }

    /**
     * "$52.40" from an Aave oracle figure: base-currency units of a USD-based AaveOracle (8
     * decimals), rounded down to the cent: display only.
     */
    static String base(BigInteger baseUnits) {
        BigDecimal d = new BigDecimal(baseUnits).movePointLeft(8).setScale(2, RoundingMode.DOWN);
        return String.format("$%,.2f", d);
    }

    /** "0.968" from a WAD ratio (a health factor), rounded down: display only. */
    static String ratio(BigInteger wad) {
        return new BigDecimal(wad).movePointLeft(18).setScale(3, RoundingMode.DOWN).toPlainString();
    }

    /** "0x3C44…93BC". */
    static String shortAddress(String address) {
        return address.substring(0, 6) + "…" + address.substring(address.length() - 4);
    }
}
