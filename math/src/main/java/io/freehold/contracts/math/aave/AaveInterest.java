package io.freehold.contracts.math.aave;

import static io.freehold.contracts.math.aave.RayMath.RAY;
import static io.freehold.contracts.math.aave.RayMath.rayMul;

import java.math.BigInteger;

/**
 * Aave's {@code MathUtils}: interest over {@code seconds} at a yearly rate in rays, as a ray
 * factor. Suppliers' income grows linearly between updates; borrowers' debt compounds, by the
 * three-term binomial approximation Aave uses (not the exact power: the book must round as the
 * contract does, not as the maths would).
 */
public final class AaveInterest {

    /** 365 days: Aave ignores leap years. */
    public static final BigInteger SECONDS_PER_YEAR = BigInteger.valueOf(365L * 24 * 3600);

    private static final BigInteger SECONDS_PER_YEAR_SQUARED =
            SECONDS_PER_YEAR.multiply(SECONDS_PER_YEAR);
    private static final BigInteger TWO = BigInteger.TWO;
    private static final BigInteger SIX = BigInteger.valueOf(6);

    private AaveInterest() {}

    /** {@code calculateLinearInterest}: {@code RAY + rate * seconds / year}. */
    public static BigInteger linear(BigInteger rate, long seconds) {
        requireElapsed(seconds);
        return RAY.add(rate.multiply(BigInteger.valueOf(seconds)).divide(SECONDS_PER_YEAR));
    }

    /**
     * {@code calculateCompoundedInterest}: {@code RAY + r·n + n(n-1)/2·r² + n(n-1)(n-2)/6·r³} with
     * {@code r} the per-second rate, each power rounded as the library rounds it.
     */
    public static BigInteger compounded(BigInteger rate, long seconds) {
        requireElapsed(seconds);
        if (seconds == 0) {
            return RAY;
        }
        BigInteger exp = BigInteger.valueOf(seconds);
        BigInteger expMinusOne = BigInteger.valueOf(seconds - 1);
        BigInteger expMinusTwo = BigInteger.valueOf(seconds > 2 ? seconds - 2 : 0);
        BigInteger basePowerTwo = rayMul(rate, rate).divide(SECONDS_PER_YEAR_SQUARED);
        BigInteger basePowerThree = rayMul(basePowerTwo, rate).divide(SECONDS_PER_YEAR);
        BigInteger secondTerm = exp.multiply(expMinusOne).multiply(basePowerTwo).divide(TWO);
        BigInteger thirdTerm =
                exp.multiply(expMinusOne)
                        .multiply(expMinusTwo)
                        .multiply(basePowerThree)
                        .divide(SIX);
        return RAY.add(rate.multiply(exp).divide(SECONDS_PER_YEAR)).add(secondTerm).add(thirdTerm);
    }

    private static void requireElapsed(long seconds) {
        if (seconds < 0) {
            // The contract would underflow (block.timestamp - lastUpdateTimestamp) and revert.
            throw new IllegalArgumentException(
                    "interest asked for a time before the reserve's last update ("
                            + seconds
                            + " s)");
        }
    }
}
