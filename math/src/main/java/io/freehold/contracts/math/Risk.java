package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.PRICE_SCALE;
import static io.freehold.contracts.math.FixedPoint.WAD;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * Valuation of one position ({@code RiskLib.sol}). Every rounding makes a position look riskier,
 * never safer: collateral value and allowed debt round down, LTV rounds up, health factor rounds
 * down. Prices are loan-token base units per collateral base unit × 1e36 ({@link
 * FixedPoint#PRICE_SCALE}).
 */
public final class Risk {

    /** Morpho Blue's cap on the incentive: 1.15 (WAD). */
    public static final BigInteger MAX_INCENTIVE = new BigInteger("1150000000000000000");

    /** Morpho Blue's incentive cursor: 0.3 (WAD). */
    public static final BigInteger INCENTIVE_CURSOR = new BigInteger("300000000000000000");

    private Risk() {}

    /**
     * Loan-token value of {@code collateral} base units: collateral × price / 1e36, rounded down.
     */
    public static BigInteger collateralValue(BigInteger collateral, BigInteger price) {
        return FixedPoint.mulDivDown(collateral, price, PRICE_SCALE);
    }

    /**
     * The most debt {@code ltvLimit} allows against {@code value}: value × limit / 1e18, rounded
     * down.
     */
    public static BigInteger maxDebt(BigInteger value, BigInteger ltvLimit) {
        return FixedPoint.wMulDown(value, ltvLimit);
    }

    /** debt / value in WAD, rounded up; 0 without debt, {@code type(uint256).max} without value. */
    public static BigInteger ltv(BigInteger debt, BigInteger value) {
        Uint256.check(value, "value");
        if (Uint256.check(debt, "debt").signum() == 0) {
            return BigInteger.ZERO;
        }
        if (value.signum() == 0) {
            return Uint256.MAX;
        }
        return FixedPoint.wDivUp(debt, value);
    }

    /**
     * maxDebt(value, lltv) / debt in WAD, rounded down; {@code type(uint256).max} without debt.
     * Below 1e18 means liquidatable.
     */
    public static BigInteger healthFactor(BigInteger value, BigInteger lltv, BigInteger debt) {
        if (Uint256.check(debt, "debt").signum() == 0) {
            Uint256.check(value, "value");
            Uint256.check(lltv, "lltv");
            return Uint256.MAX;
        }
        return FixedPoint.wDivDown(maxDebt(value, lltv), debt);
    }

    /**
     * The lowest price at which the position is healthy (PRICE_SCALE units), ⌈⌈debt × 1e18 / lltv⌉
     * × 1e36 / collateral⌉: liquidatable exactly when price &lt; it. 0 without debt; {@code
     * type(uint256).max} with debt and no collateral.
     */
    public static BigInteger liquidationPrice(
            BigInteger debt, BigInteger collateral, BigInteger lltv) {
        Uint256.check(collateral, "collateral");
        Uint256.check(lltv, "lltv");
        if (Uint256.check(debt, "debt").signum() == 0) {
            return BigInteger.ZERO;
        }
        if (collateral.signum() == 0) {
            return Uint256.MAX;
        }
        return FixedPoint.mulDivUp(FixedPoint.mulDivUp(debt, WAD, lltv), PRICE_SCALE, collateral);
    }

    /**
     * Whether {@code liquidate} accepts the position at this price: debt &gt; maxDebt(value, lltv).
     */
    public static boolean isLiquidatable(BigInteger debt, BigInteger value, BigInteger lltv) {
        return Uint256.check(debt, "debt").compareTo(maxDebt(value, lltv)) > 0;
    }

    /**
     * The largest incentive a market with this lltv may have: min(1.15, 1 / (1 − 0.3 × (1 −
     * lltv))), down.
     */
    public static BigInteger maxLiquidationIncentive(BigInteger lltv) {
        BigInteger oneMinusLltv = UintMath.sub(WAD, Uint256.check(lltv, "lltv"), "WAD - lltv");
        BigInteger denominator =
                UintMath.sub(
                        WAD,
                        FixedPoint.wMulDown(INCENTIVE_CURSOR, oneMinusLltv),
                        "WAD - cursor * (WAD - lltv)");
        return MAX_INCENTIVE.min(FixedPoint.wDivDown(WAD, denominator));
    }
}
