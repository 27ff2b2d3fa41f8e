package io.freehold.node.state;

import io.freehold.types.Uint256;

import io.freehold.types.Address;

import static io.freehold.types.Uint256.check;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Everything fixed when a market is created ({@code MarketCreated}), as in the contract's
 * {@code MarketParams}. Ratios and rates are WAD (1e18); caps and {@code minLeftoverDebt} are
 * loan-token base units, a cap of 0 meaning none.
 */
public record MarketParams(
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

    public MarketParams {
        Objects.requireNonNull(collateralToken, "collateralToken");
        Objects.requireNonNull(loanToken, "loanToken");
        Objects.requireNonNull(oracle, "oracle");
        check(lltv, "lltv");
        check(maxLtv, "maxLtv");
        check(liquidationIncentive, "liquidationIncentive");
        check(baseRatePerYear, "baseRatePerYear");
        check(slope1PerYear, "slope1PerYear");
        check(slope2PerYear, "slope2PerYear");
        check(kinkUtilization, "kinkUtilization");
        check(supplyCap, "supplyCap");
        check(borrowCap, "borrowCap");
        check(minLeftoverDebt, "minLeftoverDebt");
    }
}
