package io.freehold.node.risk;

import java.math.BigInteger;

/**
 * The informational discount of an old appraisal ({@link RiskConfiguration#ageHaircutBpsPerYear}):
 * basis points growing linearly with the appraisal's age, rounded up, at most 10,000; the
 * discounted price rounded down. Both roundings make an old price look worse, never better.
 */
public final class AppraisalHaircut {

    /** 10,000 basis points: the whole price. */
    public static final long FULL_BPS = 10_000;

    /** The year of a per-year rate: 365 days, as the pool's interest rates count it. */
    public static final long SECONDS_PER_YEAR = 31_536_000;

    private AppraisalHaircut() {}

    /**
     * Seconds since the appraisal, at block time {@code now}; 0 for an appraisal not older than the
     * block.
     */
    public static long ageSeconds(long now, long updatedAt) {
        return Math.max(0, now - updatedAt);
    }

    /** ⌈bpsPerYear × age / 1 year⌉, at most 10,000. */
    public static long bps(long ageSeconds, long bpsPerYear) {
        if (ageSeconds < 0 || bpsPerYear < 0) {
            throw new IllegalArgumentException(
                    "age and rate must not be negative: " + ageSeconds + ", " + bpsPerYear);
        }
        BigInteger[] qr =
                BigInteger.valueOf(bpsPerYear)
                        .multiply(BigInteger.valueOf(ageSeconds))
                        .divideAndRemainder(BigInteger.valueOf(SECONDS_PER_YEAR));
        BigInteger up = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return up.min(BigInteger.valueOf(FULL_BPS)).longValueExact();
    }

    /** The price less {@code bps}: price × (10,000 − bps) / 10,000, rounded down. */
    public static BigInteger price(BigInteger price, long bps) {
        if (bps < 0 || bps > FULL_BPS) {
            throw new IllegalArgumentException("a haircut is 0..10,000 basis points, was " + bps);
        }
        return price.multiply(BigInteger.valueOf(FULL_BPS - bps))
                .divide(BigInteger.valueOf(FULL_BPS));
    }
}
