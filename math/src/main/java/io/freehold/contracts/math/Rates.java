package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.WAD;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * The kinked utilization curve ({@code RateLib.sol}). Rates are quoted per year in the market terms
 * and applied per second; every division rounds down.
 *
 * <pre>
 *   u           = min(totalBorrow × 1e18 / totalSupply, 1e18)            (0 with no supply)
 *   ratePerYear = base + slope1 × u / kink                                if u ≤ kink
 *               = base + slope1 + slope2 × (u − kink) / (1e18 − kink)     otherwise
 *   rate        = ratePerYear / 31_536_000
 * </pre>
 */
public final class Rates {

    /** 365 days: the year the per-year rates are divided by. */
    public static final BigInteger SECONDS_PER_YEAR = BigInteger.valueOf(365L * 24 * 3600);

    /** The largest per-year rate parameter a market may have (1000%). */
    public static final BigInteger MAX_RATE_PER_YEAR = WAD.multiply(BigInteger.TEN);

    private Rates() {}

    /** Borrowed over supplied (WAD, rounded down), capped at 1e18; 0 with nothing supplied. */
    public static BigInteger utilization(
            BigInteger totalBorrowAssets, BigInteger totalSupplyAssets) {
        Uint256.check(totalBorrowAssets, "totalBorrowAssets");
        if (Uint256.check(totalSupplyAssets, "totalSupplyAssets").signum() == 0) {
            return BigInteger.ZERO;
        }
        return FixedPoint.wDivDown(totalBorrowAssets, totalSupplyAssets).min(WAD);
    }

    /** The borrow rate per second (WAD, rounded down) at the utilization of these totals. */
    public static BigInteger borrowRatePerSecond(
            MarketTerms terms, BigInteger totalBorrowAssets, BigInteger totalSupplyAssets) {
        BigInteger u = utilization(totalBorrowAssets, totalSupplyAssets);
        BigInteger kink = terms.kinkUtilization();
        BigInteger perYear;
        if (u.compareTo(kink) <= 0) {
            perYear =
                    UintMath.add(
                            terms.baseRatePerYear(),
                            FixedPoint.mulDivDown(terms.slope1PerYear(), u, kink),
                            "base + slope1 part");
        } else {
            BigInteger belowKink =
                    UintMath.add(terms.baseRatePerYear(), terms.slope1PerYear(), "base + slope1");
            BigInteger aboveKink =
                    FixedPoint.mulDivDown(
                            terms.slope2PerYear(),
                            u.subtract(kink),
                            UintMath.sub(WAD, kink, "WAD - kinkUtilization"));
            perYear = UintMath.add(belowKink, aboveKink, "base + slope1 + slope2 part");
        }
        return perYear.divide(SECONDS_PER_YEAR);
    }
}
