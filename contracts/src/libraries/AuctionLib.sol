// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MathLib} from "./MathLib.sol";
import {PRICE_SCALE} from "./RiskLib.sol";

/// @title AuctionLib
/// @notice The auction rules shared by the pool (which executes takes) and the auction contract (which prices
/// them). Rounding favours the position being sold and its lenders: prices round up, what the taker gets
/// rounds down, except the last slice (see sizeTake).
library AuctionLib {
    using MathLib for uint256;

    /// @dev price(t) = top - (top - floor) x (t - startedAt) / duration, the decrease rounded down (so the
    /// price rounds up), for startedAt <= t <= startedAt + duration.
    function priceAt(uint256 top, uint256 floor, uint256 startedAt, uint256 duration, uint256 t)
        internal
        pure
        returns (uint256)
    {
        return top - (top - floor).mulDivDown(t - startedAt, duration);
    }

    /// @dev What a take of `requested` collateral pays and gets at `price` from a position holding `lot` and
    /// owing `debt`:
    ///   bought = min(requested, lot);  paid = ceil(bought x price / 1e36)
    ///   if paid > debt: paid = debt;  bought = ceil(debt x 1e36 / price)   (the last slice; never more than before)
    /// A taker pays the price rounded up, never less; only the slice that clears the debt rounds the collateral
    /// up instead (by less than one base unit), so any debt can be closed whatever the price.
    function sizeTake(uint256 lot, uint256 debt, uint256 requested, uint256 price)
        internal
        pure
        returns (uint256 bought, uint256 paid)
    {
        bought = requested.min(lot);
        paid = bought.mulDivUp(price, PRICE_SCALE);
        if (paid > debt) {
            paid = debt;
            bought = debt.mulDivUp(PRICE_SCALE, price);
        }
    }
}
