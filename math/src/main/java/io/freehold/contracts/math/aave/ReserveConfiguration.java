package io.freehold.contracts.math.aave;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A reserve's configuration word, bit for bit as Aave's {@code ReserveConfiguration} library packs
 * it (the value {@code Pool.getConfiguration(asset)} returns): the book rebuilds it from the
 * configurator's events and reads LTV, threshold and decimals from it as the pool does.
 */
public record ReserveConfiguration(BigInteger data) {

    /** A packed field: its first bit and width. */
    public enum Field {
        LTV(0, 16),
        LIQUIDATION_THRESHOLD(16, 16),
        LIQUIDATION_BONUS(32, 16),
        DECIMALS(48, 8),
        ACTIVE(56, 1),
        FROZEN(57, 1),
        BORROWING_ENABLED(58, 1),
        STABLE_BORROWING_ENABLED(59, 1),
        PAUSED(60, 1),
        BORROWABLE_IN_ISOLATION(61, 1),
        SILOED_BORROWING(62, 1),
        FLASHLOAN_ENABLED(63, 1),
        RESERVE_FACTOR(64, 16),
        BORROW_CAP(80, 36),
        SUPPLY_CAP(116, 36),
        LIQUIDATION_PROTOCOL_FEE(152, 16),
        EMODE_CATEGORY(168, 8),
        UNBACKED_MINT_CAP(176, 36),
        DEBT_CEILING(212, 40);

        private final int start;
        private final BigInteger mask;

        Field(int start, int bits) {
            this.start = start;
            this.mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        }
    }

    public static final ReserveConfiguration EMPTY = new ReserveConfiguration(BigInteger.ZERO);

    public ReserveConfiguration {
        Objects.requireNonNull(data, "data");
    }

    public BigInteger get(Field field) {
        return data.shiftRight(field.start).and(field.mask);
    }

    public boolean flag(Field field) {
        return get(field).signum() != 0;
    }

    /**
     * This word with {@code field} set to {@code value}.
     *
     * @throws IllegalArgumentException if the value does not fit the field (the library reverts)
     */
    public ReserveConfiguration with(Field field, BigInteger value) {
        if (value.signum() < 0 || value.compareTo(field.mask) > 0) {
            throw new IllegalArgumentException(field + " " + value + " does not fit its bits");
        }
        BigInteger cleared = data.andNot(field.mask.shiftLeft(field.start));
        return new ReserveConfiguration(cleared.or(value.shiftLeft(field.start)));
    }

    public ReserveConfiguration with(Field field, long value) {
        return with(field, BigInteger.valueOf(value));
    }

    public ReserveConfiguration with(Field field, boolean value) {
        return with(field, value ? BigInteger.ONE : BigInteger.ZERO);
    }

    /** Loan-to-value in basis points. */
    public int ltv() {
        return get(Field.LTV).intValueExact();
    }

    /** Liquidation threshold in basis points. */
    public int liquidationThreshold() {
        return get(Field.LIQUIDATION_THRESHOLD).intValueExact();
    }

    /** Liquidation bonus in basis points above 100 % (11000 = a 10 % bonus). */
    public int liquidationBonus() {
        return get(Field.LIQUIDATION_BONUS).intValueExact();
    }

    public int decimals() {
        return get(Field.DECIMALS).intValueExact();
    }

    public int eModeCategory() {
        return get(Field.EMODE_CATEGORY).intValueExact();
    }

    /** Whole units of the underlying; a non-zero ceiling makes the reserve isolated. */
    public BigInteger debtCeiling() {
        return get(Field.DEBT_CEILING);
    }
}
