package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * The result of {@link MarketState#accrueTo}: the market after interest, and the numbers the
 * contract's {@code AccrueInterest} event carries.
 *
 * @param market the totals with {@code interest} added to supply and borrow, {@code lastUpdate}
 *     moved
 * @param borrowRate the rate applied, per second (WAD, rounded down); 0 when no time elapsed
 * @param interest loan-token base units added to both totals (rounded down)
 * @param elapsed seconds accrued over
 */
public record Accrual(
        MarketState market, BigInteger borrowRate, BigInteger interest, long elapsed) {

    public Accrual {
        if (market == null) {
            throw new IllegalArgumentException("market is null");
        }
        Uint256.check(borrowRate, "borrowRate");
        Uint256.check(interest, "interest");
        Uint256.checkNonNegative(elapsed, "elapsed");
    }

    /**
     * Whether an accruing action emits {@code AccrueInterest}: when at least one second passed
     * since the last accrual (even if the interest rounds to zero).
     */
    public boolean emitsEvent() {
        return elapsed > 0;
    }
}
