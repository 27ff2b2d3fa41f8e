// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {LiquidationBase} from "./LendingPool.Liquidate.t.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {ILendingPool, MarketId, MarketParams} from "../../src/interfaces/ILendingPool.sol";

/// @notice isLiquidatable against liquidate, and the liquidation amounts across random positions and prices.
contract LendingPoolLiquidatableTest is LiquidationBase {
    MarketId internal constant UNKNOWN = MarketId.wrap(bytes32(uint256(0xdead)));

    // ------------------------------------------------------------------ isLiquidatable

    function test_isLiquidatable_switchesAtHealthFactorOne() public {
        _position(borrower, 10e18, 650e6);
        vm.assertFalse(pool.isLiquidatable(id, borrower), "healthy at $100");
        _setValue(10e18, 866_666_667); // HF exactly 1
        vm.assertFalse(pool.isLiquidatable(id, borrower), "HF 1 is not liquidatable");
        _setValue(10e18, 866_666_666);
        vm.assertTrue(pool.isLiquidatable(id, borrower), "HF just below 1 is");
    }

    function test_isLiquidatable_countsInterestNotYetAccrued() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 866_666_667); // HF exactly 1
        vm.warp(block.timestamp + 1 days);
        vm.assertTrue(pool.isLiquidatable(id, borrower), "a day of interest tips it over");
        _fund(liquidator, 650e6);
        vm.prank(liquidator);
        (uint256 repaid,,) = pool.liquidate(id, borrower, type(uint256).max, liquidator);
        vm.assertGt(repaid, 0, "and liquidate agrees");
    }

    function test_isLiquidatable_falseWithoutDebt() public {
        _position(borrower, 10e18, 0);
        _setValue(10e18, 1);
        vm.assertFalse(pool.isLiquidatable(id, borrower), "nothing owed");
        vm.assertFalse(pool.isLiquidatable(id, outsider), "no position at all");
    }

    function test_isLiquidatable_falseWhenPriceStale() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 500e6);
        vm.assertTrue(pool.isLiquidatable(id, borrower), "underwater");
        _makePriceStale();
        vm.assertFalse(pool.isLiquidatable(id, borrower), "but the price is stale");
    }

    function test_isLiquidatable_falseWhenCollateralPaused() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 500e6);
        _pause();
        vm.assertFalse(pool.isLiquidatable(id, borrower), "paused");
    }

    function test_isLiquidatable_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        pool.isLiquidatable(UNKNOWN, borrower);
    }

    /// @dev ILendingPool: isLiquidatable is "whether liquidate would accept this borrower now"; README and
    /// HealthWouldWorsen: a position whose collateral is worth less than debt * incentive "must be closed
    /// whole, with all its collateral". In a market whose lltv * incentive exceeds the 0.95 close-factor
    /// threshold (any lltv above ~0.93 with the maximum incentive, which createMarket accepts), a position
    /// with health factor in (0.95, lltv * incentive) is liquidatable, yet the 50% close factor forbids
    /// closing it whole and every partial liquidation lowers its health: nothing can liquidate it.
    function test_isLiquidatable_trueImpliesLiquidationSucceedsInHighLltvMarket() public {
        PropertyToken t = _listProperty("FHHIGH", IERC20(address(usd)));
        _approveAll(borrower, t);
        MarketParams memory p = _marketParams(address(t), address(usd));
        (p.lltv, p.maxLtv, p.liquidationIncentive) = (0.98e18, 0.95e18, pool.maxLiquidationIncentive(0.98e18));
        MarketId high = _createMarket(p);
        _fund(lender, 1_000_000e6);
        vm.prank(lender);
        pool.supply(high, 1_000_000e6, lender);
        vm.prank(admin);
        t.mint(borrower, 10e18);
        vm.startPrank(borrower);
        pool.supplyCollateral(high, 10e18, borrower);
        pool.borrow(high, 950e6, borrower);
        vm.stopPrank();

        vm.prank(admin);
        oracle.forceAppraisal(address(t), _price(94e6), "5% down"); // HF = 940 * 0.98 / 950 ≈ 0.97
        vm.assertTrue(pool.isLiquidatable(high, borrower), "liquidatable");

        _fund(liquidator, 950e6);
        vm.prank(liquidator);
        (uint256 repaid,,) = pool.liquidate(high, borrower, type(uint256).max, liquidator);
        vm.assertGt(repaid, 0, "so a liquidation succeeds");
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_isLiquidatable_agreesWithLiquidate(uint256 priceUsd, uint256 elapsed, bool paused)
        public
    {
        _position(borrower, 10e18, 650e6);
        _setPrice(bound(priceUsd, 1e4, 100e6));
        (, uint256 appraisedAt) = oracle.latestPrice(address(token));
        vm.warp(block.timestamp + bound(elapsed, 0, 2 * MAX_AGE));
        if (paused) _pause();
        bool liquidatable = pool.isLiquidatable(id, borrower);
        uint256 debt = pool.position(id, borrower).debt;
        _fund(liquidator, debt);

        if (liquidatable) {
            vm.prank(liquidator);
            (uint256 repaid,,) = pool.liquidate(id, borrower, type(uint256).max, liquidator);
            vm.assertGt(repaid, 0, "true: a liquidation succeeds");
            return;
        }
        if (paused) {
            vm.expectRevert(abi.encodeWithSelector(ILendingPool.CollateralPaused.selector, address(token)));
        } else if (block.timestamp > appraisedAt + MAX_AGE) {
            vm.expectRevert(
                abi.encodeWithSelector(ILendingPool.StalePrice.selector, address(token), appraisedAt)
            );
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ILendingPool.PositionHealthy.selector, pool.position(id, borrower).healthFactor
                )
            );
        }
        vm.prank(liquidator);
        pool.liquidate(id, borrower, type(uint256).max, liquidator);
    }

    function testFuzz_liquidate_amountsAreBounded(
        uint256 collateral,
        uint256 ltv,
        uint256 priceUsd,
        uint256 request
    ) public {
        collateral = bound(collateral, 1e18, 1e22);
        uint256 debt = _value(collateral, _price(INITIAL_USD)) * bound(ltv, 0.5e18, MAX_LTV) / WAD;
        _position(borrower, collateral, debt);
        uint256 price = _price(bound(priceUsd, 1e4, 64e6)); // HF <= 64 * 0.75 / 50 < 1
        _setRawPrice(price);
        request = request % 4 == 0 ? type(uint256).max : bound(request, 1, 2 * debt);
        Expected memory e = _expect(borrower, request);
        _fund(liquidator, debt);
        uint256 paidBefore = usd.balanceOf(liquidator);

        vm.prank(liquidator);
        try pool.liquidate(id, borrower, request, liquidator) returns (
            uint256 repaid, uint256 seized, uint256 bad
        ) {
            vm.assertEq(repaid, e.repaid, "repaid as documented");
            vm.assertEq(seized, e.seized, "seized as documented");
            vm.assertEq(bad, e.badDebtAssets, "bad debt as documented");
            vm.assertLe(repaid, request, "never more than asked");
            vm.assertLe(seized, collateral, "seized <= collateral");
            vm.assertLe(
                seized * price * WAD, repaid * incentive * PRICE_SCALE, "seized value <= repaid * incentive"
            );
            vm.assertEq(paidBefore - usd.balanceOf(liquidator), repaid, "paid = repaid");
            vm.assertEq(token.balanceOf(liquidator), seized, "received = seized");
            uint256 debtAfter = pool.position(id, borrower).debt;
            if (bad == 0) {
                vm.assertLe(debtAfter + repaid, e.debt + 1, "debt fell by at least repaid - 1");
            } else {
                vm.assertEq(
                    pool.position(id, borrower).collateral, 0, "bad debt only once collateral is gone"
                );
                vm.assertEq(debtAfter, 0, "and then no debt remains");
            }
        } catch (bytes memory reason) {
            vm.assertTrue(request != type(uint256).max, "the most allowed always succeeds in this market");
            // A custom error starts with its 4-byte selector.
            // forge-lint: disable-next-line(unsafe-typecast)
            bytes4 selector = bytes4(reason);
            vm.assertTrue(
                selector == ILendingPool.MustNotLeaveDust.selector
                    || selector == ILendingPool.HealthWouldWorsen.selector,
                "only the remainder rules refuse a partial liquidation"
            );
        }
    }
}
