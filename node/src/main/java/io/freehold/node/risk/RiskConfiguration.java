package io.freehold.node.risk;

import io.freehold.contracts.math.FixedPoint;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * How the risk engine grades positions and how it discounts old appraisals. Neither changes what
 * the node liquidates: only the contract's rule (health factor below 1, fresh price, token not
 * paused) does.
 *
 * <p>Bound from {@code freehold.node.risk.*} (kebab-case, e.g. {@code
 * freehold.node.risk.warning-health-factor=1.2}; environment variables work too, {@code
 * FREEHOLD_NODE_RISK_WARNING_HEALTH_FACTOR=1.2}). A value that cannot work stops the node at
 * start-up with a message naming the key.
 *
 * @param warningHealthFactor positions with a health factor below this (and at or above 1) are in
 *     the {@link HealthBand#WARNING} band, and crossing it is an event. A decimal above 1 with at
 *     most 18 decimals. Default 1.1: the position is within a 9% price drop (1 − 1/1.1) of
 *     liquidation, less than one ordinary appraisal move may make (the local feeds allow 10%).
 * @param ageHaircutBpsPerYear how much an appraisal is discounted per year of its age, in basis
 *     points, for the informational "health after haircut" ({@link
 *     PositionRisk#healthFactorAfterHaircut}). It accrues linearly from the appraisal's timestamp
 *     (rounded up to the next basis point, so an old price never looks better than it is) and stops
 *     at 10,000 (the collateral counted as worthless). Default 1,200 (1% a month): about one
 *     standard deviation of a single property's price change in a year (house-price indices move
 *     5-7% a year, a single home roughly twice as much), so a year-old appraisal is discounted by
 *     what a bad but ordinary year could have taken off it. 0 turns it off.
 */
@ConfigurationProperties("freehold.node.risk")
public record RiskConfiguration(
        @Bindable(defaultValue = "1.1") BigDecimal warningHealthFactor,
        @Bindable(defaultValue = "1200") long ageHaircutBpsPerYear) {

    /**
     * The largest warning threshold accepted: far above any useful value, small enough to stay
     * exact.
     */
    private static final BigDecimal MAX_WARNING = BigDecimal.valueOf(1_000_000);

    public RiskConfiguration {
        if (warningHealthFactor == null) {
            throw invalid("warning-health-factor", "must be set (a decimal above 1, e.g. 1.1)");
        }
        if (warningHealthFactor.compareTo(BigDecimal.ONE) <= 0) {
            throw invalid(
                    "warning-health-factor",
                    "must be above 1 (the liquidation threshold), was "
                            + warningHealthFactor.toPlainString());
        }
        if (warningHealthFactor.compareTo(MAX_WARNING) > 0) {
            throw invalid(
                    "warning-health-factor",
                    "must be at most "
                            + MAX_WARNING.toPlainString()
                            + ", was "
                            + warningHealthFactor.toPlainString());
        }
        if (warningHealthFactor.stripTrailingZeros().scale() > 18) {
            throw invalid(
                    "warning-health-factor",
                    "has more than 18 decimals, was " + warningHealthFactor.toPlainString());
        }
        if (ageHaircutBpsPerYear < 0) {
            throw invalid(
                    "age-haircut-bps-per-year",
                    "must not be negative, was " + ageHaircutBpsPerYear);
        }
    }

    /** The defaults documented above. */
    public static RiskConfiguration defaults() {
        return new RiskConfiguration(new BigDecimal("1.1"), 1_200);
    }

    /** The warning threshold as the pool writes health factors: WAD (1.1 is 1.1e18). */
    public BigInteger warningHealthFactorWad() {
        return warningHealthFactor.multiply(new BigDecimal(FixedPoint.WAD)).toBigIntegerExact();
    }

    private static IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException("freehold.node.risk." + key + " " + problem);
    }
}
