// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MathLib} from "./MathLib.sol";

/// @title SharesLib
/// @notice Converts between assets and shares with virtual shares and assets (Morpho Blue's defence
/// against the first-depositor inflation attack): every market behaves as if 1e6 shares backed by
/// 1 asset were there from the start, so a donation cannot make one share worth more than it costs.
///   shares = assets * (totalShares + 1e6) / (totalAssets + 1)
///   assets = shares * (totalAssets + 1) / (totalShares + 1e6)
/// The caller picks the rounding: towards the protocol in every use.
library SharesLib {
    using MathLib for uint256;

    uint256 internal constant VIRTUAL_SHARES = 1e6;
    uint256 internal constant VIRTUAL_ASSETS = 1;

    function toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return assets.mulDivDown(totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    function toSharesUp(uint256 assets, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return assets.mulDivUp(totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    function toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return shares.mulDivDown(totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }

    function toAssetsUp(uint256 shares, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return shares.mulDivUp(totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }
}
