package io.freehold.sdk;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A position's health factor: collateral value × liquidation LTV ÷ debt, as a WAD. Below one the
 * contract accepts a liquidation. A position without debt has the largest value a {@code uint256}
 * holds, which {@link #hasDebt()} reports as {@code false}.
 *
 * <pre>{@code
 * HealthFactor hf = position.healthFactor();
 * if (hf.isLiquidatable()) { ... }
 * hf.toString();                                // "1.0523" (rounded down to 4 places)
 * hf.compareTo(HealthFactor.of(Wad.parse("1.1")))  // below the warning line?
 * }</pre>
 */
public final class HealthFactor implements Comparable<HealthFactor> {

    /** The health factor of a position without debt: 2<sup>256</sup> − 1 raw. */
    public static final HealthFactor NO_DEBT = new HealthFactor(Wad.of(TokenAmount.MAX_BASE_UNITS));

    /** Exactly one: the liquidation line. Below it, a position can be liquidated. */
    public static final HealthFactor ONE = new HealthFactor(Wad.ONE);

    private final Wad value;

    private HealthFactor(Wad value) {
        this.value = value;
    }

    public static HealthFactor of(Wad value) {
        Objects.requireNonNull(value, "value");
        return value.equals(NO_DEBT.value) ? NO_DEBT : new HealthFactor(value);
    }

    /** The exact WAD value. */
    public Wad toWad() {
        return value;
    }

    /** Whether the health factor is below one, where the contract accepts a liquidation. */
    public boolean isLiquidatable() {
        return value.compareTo(Wad.ONE) < 0;
    }

    /** {@code false} for the sentinel the API sends for a position without debt. */
    public boolean hasDebt() {
        return this != NO_DEBT;
    }

    @Override
    public int compareTo(HealthFactor other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthFactor other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /**
     * Four decimal places, rounded down so that a position never reads healthier than it is ({@code
     * "0.9999"} is liquidatable, {@code "1.0000"} is not); {@code "∞"} without debt. Use {@link
     * #toWad()} for the exact value.
     */
    @Override
    public String toString() {
        if (!hasDebt()) {
            return "∞";
        }
        return new BigDecimal(value.raw(), 18).setScale(4, RoundingMode.DOWN).toPlainString();
    }
}
