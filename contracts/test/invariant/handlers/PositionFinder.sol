// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Market, Position, PositionView} from "../../../src/interfaces/ILendingPool.sol";
import {Deployment} from "./Deployment.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @title PositionFinder
/// @notice Turns random seeds into useful actors and amounts: the first account from the seed on whose
/// position fits the action, and the bounds a position allows (free collateral, idle liquidity, caps).
abstract contract PositionFinder is HandlerBase {
    /// @dev The most one supply brings in: about a borrower's full collateral capacity in market 1.
    uint256 internal constant MAX_SUPPLY = 200_000e6;

    address[] internal lenders;
    address[] internal liquidators;
    /// @dev Lenders, borrowers and liquidators: every possible actor, `onBehalf` or position owner.
    address[] internal accounts;

    constructor(Deployment deployment) {
        lenders = deployment.lenders();
        liquidators = deployment.liquidators();
        accounts = deployment.accounts();
    }

    // ------------------------------------------------------------------ finders

    function _account(uint256 seed, uint256 i) internal view returns (address) {
        return accounts[(seed % accounts.length + i) % accounts.length];
    }

    /// @dev A lender whose shares are worth at least one base unit (dust shares can only fail).
    function _findSupplier(uint256 m, uint256 seed) internal view returns (address, bool) {
        for (uint256 i; i < accounts.length; ++i) {
            address a = _account(seed, i);
            if (pool.positionShares(ids[m], a).supplyShares == 0) continue;
            if (pool.position(ids[m], a).supplyAssets != 0) return (a, true);
        }
        return (address(0), false);
    }

    function _findPropertyHolder(uint256 m, uint256 seed) internal view returns (address, bool) {
        for (uint256 i; i < accounts.length; ++i) {
            address a = _account(seed, i);
            if (properties[m].balanceOf(a) != 0) return (a, true);
        }
        return (address(0), false);
    }

    function _findCollateralOwner(uint256 m, uint256 seed) internal view returns (address, bool) {
        for (uint256 i; i < accounts.length; ++i) {
            address a = _account(seed, i);
            if (pool.positionShares(ids[m], a).collateral != 0) return (a, true);
        }
        return (address(0), false);
    }

    function _findDebtor(uint256 m, uint256 seed) internal view returns (address, bool) {
        for (uint256 i; i < accounts.length; ++i) {
            address a = _account(seed, i);
            if (pool.positionShares(ids[m], a).borrowShares != 0) return (a, true);
        }
        return (address(0), false);
    }

    /// @dev An account whose position holds collateral or settled rent (so claimRent may pay).
    function _findRentEarner(uint256 m, uint256 seed) internal view returns (address, bool) {
        for (uint256 i; i < accounts.length; ++i) {
            address a = _account(seed, i);
            Position memory p = pool.positionShares(ids[m], a);
            if (p.collateral != 0 || p.rentAccrued != 0) return (a, true);
        }
        return (address(0), false);
    }

    /// @dev A debtor with rent to apply.
    function _findDebtorWithRent(uint256 m, uint256 seed) internal view returns (address, bool) {
        for (uint256 i; i < accounts.length; ++i) {
            address a = _account(seed, i);
            if (pool.positionShares(ids[m], a).borrowShares == 0) continue;
            if (pool.position(ids[m], a).claimableRent != 0) return (a, true);
        }
        return (address(0), false);
    }

    /// @dev A position below health 1 at the latest price, stale or not, token paused or not: the pool
    /// must refuse the stale and paused cases itself (isLiquidatable would hide them).
    function _findUnhealthy(uint256 m, uint256 seed) internal view returns (address, bool) {
        for (uint256 i; i < accounts.length; ++i) {
            address a = _account(seed, i);
            if (pool.positionShares(ids[m], a).borrowShares == 0) continue;
            if (pool.position(ids[m], a).healthFactor < WAD) return (a, true);
        }
        return (address(0), false);
    }

    // ------------------------------------------------------------------ bounds

    /// @dev Collateral that can leave while debt stays within maxLtv at the latest price:
    /// keep ceil(ceil(debt / maxLtv) / price), which makes maxDebt(value(kept), maxLtv) >= debt exactly.
    function _freeCollateral(uint256 m, PositionView memory p) internal view returns (uint256) {
        uint256 neededValue = Math.mulDiv(p.debt, WAD, params[m].maxLtv, Math.Rounding.Ceil);
        uint256 needed = Math.mulDiv(neededValue, PRICE_SCALE, p.price, Math.Rounding.Ceil);
        return p.collateral > needed ? p.collateral - needed : 0;
    }

    function _idle(uint256 m) internal view returns (uint256) {
        Market memory mk = pool.market(ids[m]);
        return mk.totalSupplyAssets > mk.totalBorrowAssets ? mk.totalSupplyAssets - mk.totalBorrowAssets : 0;
    }

    /// @dev Room under the supply cap, at most MAX_SUPPLY; 1 when full (the attempt must then fail).
    function _supplyRoom(uint256 m) internal view returns (uint256) {
        uint256 cap = params[m].supplyCap;
        if (cap == 0) return MAX_SUPPLY;
        uint256 total = pool.market(ids[m]).totalSupplyAssets;
        return total >= cap ? 1 : _min(cap - total, MAX_SUPPLY);
    }

    function _borrowRoom(uint256 m) internal view returns (uint256) {
        uint256 cap = params[m].borrowCap;
        if (cap == 0) return type(uint256).max;
        uint256 total = pool.market(ids[m]).totalBorrowAssets;
        return total >= cap ? 0 : cap - total;
    }

    // ------------------------------------------------------------------ amounts

    /// @dev Mostly within idle liquidity; one time in eight regardless, which must fail when it exceeds it.
    function _withdrawAmount(uint256 m, address actor, uint256 seed)
        internal
        view
        returns (bool all, uint256)
    {
        uint256 owned = pool.position(ids[m], actor).supplyAssets;
        uint256 idle = _idle(m);
        bool anyAmount = _oneIn(seed, 8);
        all = seed % 4 == 0 && (owned <= idle || anyAmount);
        if (all) return (true, type(uint256).max);
        uint256 hi = anyAmount ? owned : _min(owned, idle);
        return (false, _bound(seed, 1, hi == 0 ? owned + 1 : hi));
    }

    function _borrowAmount(uint256 m, uint256 seed, uint256 maxBorrowable)
        internal
        view
        returns (bool, uint256)
    {
        uint256 capRoom = _borrowRoom(m);
        uint256 hi = _min(maxBorrowable, capRoom);
        if (hi == 0) {
            // At the limit, one time in four keep a small attempt: it must fail (MaxLtvExceeded or cap).
            return (_oneIn(seed, 4), _bound(seed, 1, 1000e6));
        }
        if (seed != 0 && seed <= hi) return (true, seed);
        // Out-of-range amounts: half to the limit (within idle liquidity), so appraisal drops make loans
        // liquidatable; a sixth one unit past maxBorrowable, which must fail the maxLtv check; a third
        // anywhere up to the limit, which must fail when it asks for more than is idle.
        uint256 idle = _idle(m);
        uint256 mode = seed % 6;
        if (mode < 3 && idle != 0) return (true, _min(hi, idle));
        if (mode == 3 && maxBorrowable < _min(idle, capRoom)) return (true, maxBorrowable + 1);
        return (true, _bound(seed, 1, hi));
    }
}
