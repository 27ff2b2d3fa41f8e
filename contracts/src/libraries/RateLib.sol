// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MathLib, WAD} from "./MathLib.sol";
import {MarketParams} from "../interfaces/ILendingPool.sol";

/// @title RateLib
/// @notice The kinked utilization curve. Rates are quoted per year in the market parameters and applied
/// per second; every division rounds down. Rounding the rate down is neutral for solvency (the same
/// interest is added to what borrowers owe and to what lenders own) and cannot be farmed by accruing
/// every second.
library RateLib {
    using MathLib for uint256;

    /// @notice 365 days; the year the per-year rates are divided by.
    uint256 internal constant SECONDS_PER_YEAR = 365 days;
    /// @notice Upper bound on any per-year rate parameter (1000%), which also keeps Taylor compounding
    /// far from overflow.
    uint256 internal constant MAX_RATE_PER_YEAR = 10 * WAD;

    /// @notice Borrowed over supplied (WAD, rounded down), capped at 100%; 0 with nothing supplied.
    function utilization(uint256 totalBorrowAssets, uint256 totalSupplyAssets)
        internal
        pure
        returns (uint256)
    {
        if (totalSupplyAssets == 0) return 0;
        return MathLib.min(totalBorrowAssets.wDivDown(totalSupplyAssets), WAD);
    }

    /// @notice Borrow rate per second (WAD):
    ///   u <= kink: (base + slope1 * u / kink) / year
    ///   u >  kink: (base + slope1 + slope2 * (u - kink) / (1 - kink)) / year
    function borrowRatePerSecond(MarketParams memory p, uint256 totalBorrowAssets, uint256 totalSupplyAssets)
        internal
        pure
        returns (uint256)
    {
        uint256 u = utilization(totalBorrowAssets, totalSupplyAssets);
        uint256 perYear;
        if (u <= p.kinkUtilization) {
            perYear = p.baseRatePerYear + p.slope1PerYear.mulDivDown(u, p.kinkUtilization);
        } else {
            perYear = p.baseRatePerYear + p.slope1PerYear
                + p.slope2PerYear.mulDivDown(u - p.kinkUtilization, WAD - p.kinkUtilization);
        }
        return perYear / SECONDS_PER_YEAR;
    }
}
