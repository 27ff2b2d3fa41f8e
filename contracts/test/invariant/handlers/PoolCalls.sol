// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {ILendingPool, Market, Position, PositionView} from "../../../src/interfaces/ILendingPool.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PoolGhosts} from "./PoolGhosts.sol";

/// @title PoolCalls
/// @notice One pool call each, inside try/catch: counts the attempt, updates the ghosts from what the
/// pool returned when it succeeds, runs the checks that need the state just before the call (including
/// that tokens moved by exactly the returned amounts, from and to the parties named), and records the
/// error selector when it fails. The handler's entry points decide who calls and with how much.
abstract contract PoolCalls is PoolGhosts {
    function _asERC20(uint256 m) internal view returns (IERC20) {
        return IERC20(address(properties[m]));
    }

    /// @dev Counts the attempt; the caller counts the success (the probe's only once it has withdrawn).
    function _supply(string memory label, uint256 m, address actor, uint256 assets, address onBehalf)
        internal
        returns (bool ok)
    {
        loanToken.mint(actor, assets);
        Market memory before = pool.market(ids[m]);
        uint256 balance = loanToken.balanceOf(actor);
        _attempt(label);
        vm.prank(actor);
        try pool.supply(ids[m], assets, onBehalf) returns (uint256 shares) {
            _checkFlow("supply", loanToken, actor, balance, assets, false);
            _checkShareValue(
                "supply", m, assets, shares, before.totalSupplyAssets, before.totalSupplyShares, false
            );
            supplied[m] += assets;
            actorSupplied[onBehalf][m] += assets;
            return true;
        } catch (bytes memory reason) {
            _failed(reason);
            return false;
        }
    }

    function _withdraw(string memory label, uint256 m, address actor, uint256 assets, address receiver)
        internal
    {
        Market memory before = pool.market(ids[m]);
        uint256 balance = loanToken.balanceOf(receiver);
        _attempt(label);
        vm.prank(actor);
        try pool.withdraw(ids[m], assets, receiver) returns (uint256 withdrawnAssets, uint256 shares) {
            _checkFlow("withdraw", loanToken, receiver, balance, withdrawnAssets, true);
            _checkShareValue(
                "withdraw",
                m,
                withdrawnAssets,
                shares,
                before.totalSupplyAssets,
                before.totalSupplyShares,
                true
            );
            withdrawn[m] += withdrawnAssets;
            actorWithdrawn[actor][m] += withdrawnAssets;
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @dev Also holds the view to its word: position().maxBorrowable is "the largest borrow() passing the
    /// maxLtv check now", so on a fresh price borrowing it must not fail that check and one more must.
    function _borrow(uint256 m, address actor, uint256 assets, address receiver, uint256 maxBorrowable)
        internal
    {
        string memory label = receiver == actor ? "borrow" : "borrow.otherReceiver";
        Market memory before = pool.market(ids[m]);
        bool stale = oracle.isStale(address(properties[m]));
        uint256 balance = loanToken.balanceOf(receiver);
        _attempt(label);
        vm.prank(actor);
        try pool.borrow(ids[m], assets, receiver) returns (uint256 shares) {
            _checkFlow("borrow", loanToken, receiver, balance, assets, true);
            _checkShareValue(
                "borrow", m, assets, shares, before.totalBorrowAssets, before.totalBorrowShares, true
            );
            _checkBacking("borrow", m, actor, stale, true);
            if (assets > maxBorrowable) _backingViolation("borrow above maxBorrowable", m, actor);
            borrowed[m] += assets;
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
            if (
                !stale && assets <= maxBorrowable && _selector(reason) == ILendingPool.MaxLtvExceeded.selector
            ) {
                _backingViolation("borrow within maxBorrowable refused", m, actor);
            }
        }
    }

    /// @dev Split from `liquidate` only to keep the stack shallow.
    function _liquidateAction(
        uint256 m,
        address liquidator,
        address borrower,
        uint256 assets,
        address receiver
    ) internal {
        PositionView memory before = pool.position(ids[m], borrower);
        Market memory totals = pool.market(ids[m]);
        string memory label = assets == type(uint256).max ? "liquidate.max" : "liquidate";
        if (assets != type(uint256).max) assets = _bound(assets, 1, before.debt);
        loanToken.mint(liquidator, before.debt);
        // What claimRent would pay the borrower now: the liquidation settles exactly this much (same block).
        lastRentBefore = before.claimableRent;
        _attempt(label);
        (bool ok, uint256 repaidAssets, uint256 badDebtAssets) =
            _liquidate(m, liquidator, borrower, assets, receiver);
        if (!ok) return;
        _succeed(label);
        _checkLiquidation(m, borrower, before, totals, repaidAssets, badDebtAssets);
    }

    function _liquidate(uint256 m, address liquidator, address borrower, uint256 assets, address receiver)
        internal
        returns (bool, uint256, uint256)
    {
        uint256 paying = loanToken.balanceOf(liquidator);
        uint256 receiving = properties[m].balanceOf(receiver);
        vm.prank(liquidator);
        try pool.liquidate(ids[m], borrower, assets, receiver) returns (
            uint256 repaidAssets, uint256 seizedCollateral, uint256 badDebtAssets
        ) {
            _checkFlow("liquidate repayment", loanToken, liquidator, paying, repaidAssets, false);
            _checkFlow("liquidate seizure", _asERC20(m), receiver, receiving, seizedCollateral, true);
            liquidationRepaid[m] += repaidAssets;
            seized[m] += seizedCollateral;
            badDebt[m] += badDebtAssets;
            // The borrower's rent that repaid debt before any write-off (a defaulted position's rent).
            // Settled by the liquidation (its pull left nothing pending), so the stored rent is all of it.
            lastRentApplied = lastRentBefore - pool.positionShares(ids[m], borrower).rentAccrued;
            if (lastRentApplied != 0) {
                rentApplied[m] += lastRentApplied;
                rentPaidTo[borrower][m] += lastRentApplied;
                _succeed("liquidate.rentApplied");
            }
            if (badDebtAssets != 0) _succeed("liquidate.badDebt");
            return (true, repaidAssets, badDebtAssets);
        } catch (bytes memory reason) {
            _failed(reason);
            return (false, 0, 0);
        }
    }

    /// @dev Rounding of the seizure and of the shares burned (unless bad debt wrote the rest off), and the
    /// health of what a partial liquidation leaves.
    function _checkLiquidation(
        uint256 m,
        address borrower,
        PositionView memory before,
        Market memory totals,
        uint256 repaidAssets,
        uint256 badDebtAssets
    ) internal {
        Position memory afterwards = pool.positionShares(ids[m], borrower);
        _checkBacking("liquidate", m, borrower, before.priceStale, false);
        _checkSeizure(m, repaidAssets, before.collateral - afterwards.collateral, before.price);
        // Rent applied to the debt burns shares of its own (toSharesDown, as a repay).
        if (badDebtAssets == 0 && lastRentApplied == 0) {
            uint256 burned = before.borrowShares - afterwards.borrowShares;
            _checkShareValue(
                "liquidate",
                m,
                repaidAssets,
                burned,
                totals.totalBorrowAssets,
                totals.totalBorrowShares,
                false
            );
        }
        if (_checkRemainder(m, borrower, before.healthFactor)) _succeed("liquidate.partial");
    }

    function _supplyCollateral(uint256 m, address actor, uint256 assets, address onBehalf) internal {
        string memory label = onBehalf == actor ? "supplyCollateral" : "supplyCollateral.onBehalf";
        uint256 balance = properties[m].balanceOf(actor);
        _attempt(label);
        vm.prank(actor);
        try pool.supplyCollateral(ids[m], assets, onBehalf) {
            _checkFlow("supplyCollateral", _asERC20(m), actor, balance, assets, false);
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @dev `before` is the position just before the call.
    function _withdrawCollateral(
        uint256 m,
        address actor,
        uint256 assets,
        address receiver,
        PositionView memory before
    ) internal {
        string memory label = before.debt == 0 ? "withdrawCollateral.noDebt" : "withdrawCollateral";
        uint256 balance = properties[m].balanceOf(receiver);
        _attempt(label);
        vm.prank(actor);
        try pool.withdrawCollateral(ids[m], assets, receiver) {
            _checkFlow("withdrawCollateral", _asERC20(m), receiver, balance, assets, true);
            if (before.debt != 0) _checkBacking("withdrawCollateral", m, actor, before.priceStale, true);
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    function _repay(uint256 m, address payer, uint256 assets, address onBehalf) internal {
        string memory label =
            assets == type(uint256).max ? "repay.max" : payer != onBehalf ? "repay.onBehalf" : "repay";
        Market memory before = pool.market(ids[m]);
        uint256 balance = loanToken.balanceOf(payer);
        _attempt(label);
        vm.prank(payer);
        try pool.repay(ids[m], assets, onBehalf) returns (uint256 repaidAssets, uint256 shares) {
            _checkShareValue(
                "repay", m, repaidAssets, shares, before.totalBorrowAssets, before.totalBorrowShares, false
            );
            _checkFlow("repay", loanToken, payer, balance, repaidAssets, false);
            repaid[m] += repaidAssets;
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @dev Also holds position().claimableRent to what the claim pays.
    function _claimRent(uint256 m, address actor, address receiver) internal {
        uint256 promised = pool.position(ids[m], actor).claimableRent;
        IERC20 rentToken = properties[m].rentToken();
        uint256 balance = rentToken.balanceOf(receiver);
        _attempt("claimRent");
        vm.prank(actor);
        try pool.claimRent(ids[m], receiver) returns (uint256 amount) {
            _checkRentView("claimRent", m, actor, promised, amount);
            _checkFlow("claimRent", rentToken, receiver, balance, amount, true);
            rentClaimed[m] += amount;
            rentPaidTo[actor][m] += amount;
            _succeed("claimRent");
            if (amount != 0) _succeed("claimRent.paid");
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @dev Also holds position().claimableRent to what is applied: all of it, up to the debt.
    function _repayWithRent(uint256 m, address actor) internal {
        Market memory before = pool.market(ids[m]);
        PositionView memory p = pool.position(ids[m], actor);
        _attempt("repayWithRent");
        vm.prank(actor);
        try pool.repayWithRent(ids[m]) returns (uint256 repaidAssets, uint256 shares) {
            _checkRentView("repayWithRent", m, actor, _min(p.claimableRent, p.debt), repaidAssets);
            _checkShareValue(
                "repayWithRent",
                m,
                repaidAssets,
                shares,
                before.totalBorrowAssets,
                before.totalBorrowShares,
                false
            );
            rentApplied[m] += repaidAssets;
            rentPaidTo[actor][m] += repaidAssets;
            _succeed("repayWithRent");
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }
}
