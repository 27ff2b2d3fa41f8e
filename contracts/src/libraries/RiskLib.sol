// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MathLib, WAD} from "./MathLib.sol";

// Oracle price scale: loan-token base units per collateral-token base unit, times 1e36.
uint256 constant PRICE_SCALE = 1e36;

/// @title RiskLib
/// @notice Valuation of one position. Every rounding makes the position look riskier, never safer:
/// collateral value and allowed debt round down, LTV rounds up, health factor rounds down.
library RiskLib {
    using MathLib for uint256;

    /// @notice Morpho Blue's incentive cap parameters: min(1.15, 1 / (1 - 0.3 * (1 - lltv))).
    uint256 internal constant MAX_INCENTIVE = 1.15e18;
    uint256 internal constant INCENTIVE_CURSOR = 0.3e18;

    /// @notice Loan-token value of `collateral`, rounded down.
    function collateralValue(uint256 collateral, uint256 price) internal pure returns (uint256) {
        return collateral.mulDivDown(price, PRICE_SCALE);
    }

    /// @notice The most debt `ltvLimit` allows against `value`, rounded down.
    function maxDebt(uint256 value, uint256 ltvLimit) internal pure returns (uint256) {
        return value.wMulDown(ltvLimit);
    }

    /// @notice debt / value (WAD), rounded up; 0 without debt, max without value.
    function ltv(uint256 debt, uint256 value) internal pure returns (uint256) {
        if (debt == 0) return 0;
        if (value == 0) return type(uint256).max;
        return debt.wDivUp(value);
    }

    /// @notice value * lltv / debt (WAD), rounded down; max without debt. Below 1e18 means liquidatable.
    function healthFactor(uint256 value, uint256 lltv, uint256 debt) internal pure returns (uint256) {
        if (debt == 0) return type(uint256).max;
        return maxDebt(value, lltv).wDivDown(debt);
    }

    /// @notice The lowest oracle price at which the position is healthy (PRICE_SCALE units): it is
    /// liquidatable exactly when price < liquidationPrice. 0 without debt; max with debt and no collateral.
    /// Derivation: healthy <=> floor(floor(c * p / 1e36) * lltv / 1e18) >= debt
    ///                     <=> floor(c * p / 1e36) >= ceil(debt * 1e18 / lltv)
    ///                     <=> p >= ceil(ceil(debt * 1e18 / lltv) * 1e36 / c).
    function liquidationPrice(uint256 debt, uint256 collateral, uint256 lltv)
        internal
        pure
        returns (uint256)
    {
        if (debt == 0) return 0;
        if (collateral == 0) return type(uint256).max;
        return debt.mulDivUp(WAD, lltv).mulDivUp(PRICE_SCALE, collateral);
    }

    /// @notice min(1.15, 1 / (1 - 0.3 * (1 - lltv))) in WAD, rounded down.
    function maxLiquidationIncentive(uint256 lltv) internal pure returns (uint256) {
        return MathLib.min(MAX_INCENTIVE, WAD.wDivDown(WAD - INCENTIVE_CURSOR.wMulDown(WAD - lltv)));
    }
}
