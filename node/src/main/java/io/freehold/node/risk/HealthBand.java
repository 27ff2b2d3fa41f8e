package io.freehold.node.risk;

import io.freehold.contracts.math.FixedPoint;
import java.math.BigInteger;

/**
 * How close a position is to liquidation, by its health factor (WAD, as the pool's {@code position}
 * view computes it, rounded down). A position without debt has the largest health factor there is
 * and is always {@link #HEALTHY}.
 */
public enum HealthBand {
    /** At or above the warning health factor ({@code freehold.node.risk.warning-health-factor}). */
    HEALTHY,
    /**
     * Below the warning health factor, still at or above 1: a small price drop or some interest
     * away.
     */
    WARNING,
    /**
     * Below 1 (1e18): {@code debt > maxDebt(collateralValue, lltv)}, what {@code liquidate}
     * requires. The pool still refuses while the price is stale or the token paused (see {@link
     * MarketFlag}).
     */
    LIQUIDATABLE;

    /** The band of a health factor, with the warning threshold (WAD, above 1e18). */
    public static HealthBand of(BigInteger healthFactor, BigInteger warningHealthFactor) {
        if (healthFactor.compareTo(FixedPoint.WAD) < 0) {
            return LIQUIDATABLE;
        }
        return healthFactor.compareTo(warningHealthFactor) < 0 ? WARNING : HEALTHY;
    }
}
