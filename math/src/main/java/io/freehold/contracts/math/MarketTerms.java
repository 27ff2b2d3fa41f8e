package io.freehold.contracts.math;

import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A market's parameters, fixed at its creation: the contract's {@code MarketParams}.
 *
 * <p>The node stores markets as these terms. The numbers are exactly what the chain stores; this
 * record does not repeat {@code createMarket}'s validation (terms read from the chain passed it),
 * so terms made by hand outside those bounds give what the contract's formulas would give, panics
 * included.
 *
 * @param lltv liquidation LTV (WAD): above it a position may be liquidated
 * @param maxLtv max-borrow LTV (WAD), below lltv: borrowing and withdrawing collateral stop here
 * @param liquidationIncentive WAD, above 1e18: seized collateral is worth repaid × incentive
 * @param baseRatePerYear borrow rate at 0% utilization (WAD per year)
 * @param slope1PerYear added linearly up to the kink (WAD per year)
 * @param slope2PerYear added linearly from the kink to 100% (WAD per year)
 * @param kinkUtilization the kink (WAD)
 * @param supplyCap loan-token base units; 0 means no cap
 * @param borrowCap loan-token base units; 0 means no cap
 * @param minLeftoverDebt loan-token base units a partial liquidation may not leave less than
 */
public record MarketTerms(
        Address collateralToken,
        Address loanToken,
        Address oracle,
        BigInteger lltv,
        BigInteger maxLtv,
        BigInteger liquidationIncentive,
        BigInteger baseRatePerYear,
        BigInteger slope1PerYear,
        BigInteger slope2PerYear,
        BigInteger kinkUtilization,
        BigInteger supplyCap,
        BigInteger borrowCap,
        BigInteger minLeftoverDebt) {

    public MarketTerms {
        Objects.requireNonNull(collateralToken, "collateralToken");
        Objects.requireNonNull(loanToken, "loanToken");
        Objects.requireNonNull(oracle, "oracle");
        Uint256.check(lltv, "lltv");
        Uint256.check(maxLtv, "maxLtv");
        Uint256.check(liquidationIncentive, "liquidationIncentive");
        Uint256.check(baseRatePerYear, "baseRatePerYear");
        Uint256.check(slope1PerYear, "slope1PerYear");
        Uint256.check(slope2PerYear, "slope2PerYear");
        Uint256.check(kinkUtilization, "kinkUtilization");
        Uint256.check(supplyCap, "supplyCap");
        Uint256.check(borrowCap, "borrowCap");
        Uint256.check(minLeftoverDebt, "minLeftoverDebt");
    }

    /** Whether supply is capped ({@code supplyCap != 0}). */
    public boolean hasSupplyCap() {
        return supplyCap.signum() != 0;
    }

    /** Whether borrowing is capped ({@code borrowCap != 0}). */
    public boolean hasBorrowCap() {
        return borrowCap.signum() != 0;
    }
}
