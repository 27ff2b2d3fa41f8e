// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {ILendingPool, MarketId, Market, Position, PositionView} from "../../src/interfaces/ILendingPool.sol";

/// @notice The liquidation rules of ILendingPool worked out independently, and a checked liquidation that
/// compares the event, the return values, the token movements and the totals with them.
abstract contract LiquidationBase is PoolFixture {
    uint256 internal constant CLOSE_FACTOR_HF = 0.95e18;

    /// @dev What the documented rules say one liquidation does, worked out from the state before it.
    struct Expected {
        uint256 debt;
        uint256 healthFactor;
        uint256 repaid;
        uint256 repaidShares;
        uint256 seized;
        uint256 badDebtAssets;
        uint256 badDebtShares;
    }

    /// @dev `account` locks `collateral` at $100 and borrows `debt` from a well-funded market.
    function _position(address account, uint256 collateral, uint256 debt) internal {
        _openPosition(account, 1_000_000e6, collateral, debt);
    }

    /// @dev Appraises the token so that `collateral` is worth exactly `value` loan-token base units.
    function _setValue(uint256 collateral, uint256 value) internal {
        _setRawPrice(value * PRICE_SCALE / collateral);
        vm.assertEq(_value(collateral, value * PRICE_SCALE / collateral), value, "exact value");
    }

    /// @dev Rounded twice, as documented: the allowed debt rounds down, then the ratio rounds down.
    function _healthFactor(uint256 value, uint256 debt) internal pure returns (uint256) {
        // forge-lint: disable-next-line(divide-before-multiply)
        return (value * LLTV / WAD) * WAD / debt;
    }

    /// @dev The rules of ILendingPool.liquidate and its NatSpec, computed independently.
    function _expect(address account, uint256 request) internal view returns (Expected memory e) {
        Market memory m = pool.market(id);
        Position memory pos = pool.positionShares(id, account);
        (uint256 price,) = oracle.latestPrice(address(token));
        e.debt = _toAssetsUp(pos.borrowShares, m.totalBorrowAssets, m.totalBorrowShares);
        e.healthFactor = _healthFactor(_value(pos.collateral, price), e.debt);
        bool fullClose = e.healthFactor <= CLOSE_FACTOR_HF || e.debt < 2 * MIN_LEFTOVER_DEBT;
        uint256 maxRepay = fullClose ? e.debt : (e.debt + 1) / 2;
        e.repaid = request < maxRepay ? request : maxRepay;
        // Documented as repaid * incentive (rounded down) / price (rounded down).
        // forge-lint: disable-next-line(divide-before-multiply)
        e.seized = (e.repaid * incentive / WAD) * PRICE_SCALE / price;
        if (e.seized > pos.collateral) {
            e.seized = pos.collateral;
            uint256 fair = _mulDivUp(_mulDivUp(pos.collateral, price, PRICE_SCALE), WAD, incentive);
            if (fair < e.repaid) e.repaid = fair;
        }
        if (e.repaid >= e.debt) {
            e.repaid = e.debt;
            e.repaidShares = pos.borrowShares;
        } else {
            e.repaidShares = _toSharesDown(e.repaid, m.totalBorrowAssets, m.totalBorrowShares);
        }
        if (pos.collateral == e.seized && pos.borrowShares > e.repaidShares) {
            uint256 assetsLeft = m.totalBorrowAssets > e.repaid ? m.totalBorrowAssets - e.repaid : 0;
            e.badDebtShares = pos.borrowShares - e.repaidShares;
            e.badDebtAssets = _toAssetsUp(e.badDebtShares, assetsLeft, m.totalBorrowShares - e.repaidShares);
            if (e.badDebtAssets > assetsLeft) e.badDebtAssets = assetsLeft;
        }
    }

    /// @dev Liquidates `borrower` as `liquidator`, checking the event, the return values, every token
    /// movement and every total against the independent expectation.
    function _liquidateChecked(uint256 request, address receiver) internal returns (Expected memory e) {
        e = _expect(borrower, request);
        Market memory m = pool.market(id);
        Position memory pos = pool.positionShares(id, borrower);
        _fund(liquidator, e.repaid);
        uint256 paidBefore = usd.balanceOf(liquidator);
        uint256 receivedBefore = token.balanceOf(receiver);

        vm.expectEmit(address(pool));
        emit ILendingPool.Liquidate(
            id,
            liquidator,
            borrower,
            receiver,
            e.repaid,
            e.repaidShares,
            e.seized,
            e.badDebtAssets,
            e.badDebtShares
        );
        vm.prank(liquidator);
        (uint256 repaid, uint256 seized, uint256 badDebt) = pool.liquidate(id, borrower, request, receiver);

        vm.assertEq(repaid, e.repaid, "repaid");
        vm.assertEq(seized, e.seized, "seized");
        vm.assertEq(badDebt, e.badDebtAssets, "bad debt");
        vm.assertEq(paidBefore - usd.balanceOf(liquidator), e.repaid, "the liquidator paid exactly repaid");
        vm.assertEq(token.balanceOf(receiver) - receivedBefore, e.seized, "the receiver got exactly seized");

        Position memory after_ = pool.positionShares(id, borrower);
        vm.assertEq(after_.collateral, pos.collateral - e.seized, "collateral");
        vm.assertEq(after_.borrowShares, pos.borrowShares - e.repaidShares - e.badDebtShares, "shares");
        Market memory mAfter = pool.market(id);
        uint256 borrowAfterRepay = m.totalBorrowAssets > e.repaid ? m.totalBorrowAssets - e.repaid : 0;
        vm.assertEq(mAfter.totalBorrowAssets, borrowAfterRepay - e.badDebtAssets, "total borrow");
        vm.assertEq(mAfter.totalSupplyAssets, m.totalSupplyAssets - e.badDebtAssets, "total supply");
        vm.assertEq(mAfter.totalCollateral, m.totalCollateral - e.seized, "total collateral");
    }
}

/// @notice liquidate: close factor, clamping, seizure, bad debt, the dust and health rules, compliance, and
/// that the Liquidate event carries exactly what moved.
contract LendingPoolLiquidateTest is LiquidationBase {
    MarketId internal constant UNKNOWN = MarketId.wrap(bytes32(uint256(0xdead)));

    // ------------------------------------------------------------------ close factor

    function test_liquidate_closeFactorIsHalfAboveThreshold() public {
        _position(borrower, 10e18, 649_999_999); // odd, so half rounds up
        _setValue(10e18, 850e6); // HF = 637.5 / 650 ≈ 0.98
        Expected memory e = _liquidateChecked(type(uint256).max, liquidator);
        vm.assertGt(e.healthFactor, CLOSE_FACTOR_HF, "above the threshold");
        vm.assertEq(e.repaid, 325_000_000, "50% of the debt, rounded up");
        vm.assertEq(e.badDebtAssets, 0, "no bad debt");
        vm.assertGe(pool.position(id, borrower).healthFactor, e.healthFactor, "health improved");
    }

    function test_liquidate_clampsRequestToCloseFactor() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 850e6);
        Expected memory e = _liquidateChecked(600e6, liquidator);
        vm.assertEq(e.repaid, 325e6, "clamped to half");
    }

    function test_liquidate_smallerRequestIsHonoured() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 850e6);
        Expected memory e = _liquidateChecked(100e6, liquidator);
        vm.assertEq(e.repaid, 100e6, "as asked");
        uint256 rewarded = 100e6 * incentive / WAD; // rounded down first, as documented
        vm.assertEq(e.seized, rewarded * PRICE_SCALE / _price(85e6), "repaid * incentive / price");
    }

    function test_liquidate_fullCloseAtThreshold() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 823_333_334); // floor(823_333_334 * 0.75) = 617.5e6 = 0.95 * 650e6
        Expected memory e = _liquidateChecked(type(uint256).max, liquidator);
        vm.assertEq(e.healthFactor, CLOSE_FACTOR_HF, "exactly at 0.95");
        vm.assertEq(e.repaid, 650e6, "the whole debt");
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, 0, "every share burned");
        vm.assertGt(pool.positionShares(id, borrower).collateral, 0, "the rest of the collateral stays");
    }

    function test_liquidate_halfJustAboveThreshold() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 823_333_336); // HF = 617_500_002 / 650e6 > 0.95
        Expected memory e = _liquidateChecked(type(uint256).max, liquidator);
        vm.assertGt(e.healthFactor, CLOSE_FACTOR_HF, "just above 0.95");
        vm.assertEq(e.repaid, 325e6, "half");
    }

    function test_liquidate_fullCloseWhenDebtBelowTwiceMinLeftover() public {
        _position(borrower, 1e18, 2 * MIN_LEFTOVER_DEBT - 1);
        _setValue(1e18, 26_133_332); // HF ≈ 0.98
        Expected memory e = _liquidateChecked(type(uint256).max, liquidator);
        vm.assertGt(e.healthFactor, CLOSE_FACTOR_HF, "healthy enough for the 50% rule");
        vm.assertEq(e.repaid, 2 * MIN_LEFTOVER_DEBT - 1, "but small: closed in full");
        vm.assertEq(pool.position(id, borrower).debt, 0, "closed");
    }

    function test_liquidate_halfWhenDebtIsTwiceMinLeftover() public {
        _position(borrower, 1e18, 2 * MIN_LEFTOVER_DEBT);
        _setValue(1e18, 26_133_334);
        Expected memory e = _liquidateChecked(type(uint256).max, liquidator);
        vm.assertEq(e.repaid, MIN_LEFTOVER_DEBT, "half, leaving exactly minLeftoverDebt");
    }

    // ------------------------------------------------------------------ seizure and bad debt

    function test_liquidate_toAnotherReceiver() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 750e6);
        Expected memory e = _liquidateChecked(type(uint256).max, borrower2);
        vm.assertGt(token.balanceOf(borrower2), 0, "receiver got the collateral");
        vm.assertEq(token.balanceOf(liquidator), 0, "the liquidator did not");
        vm.assertEq(e.repaid, 650e6, "HF 0.87: closed in full");
    }

    function test_liquidate_seizesAllCollateralAndRealisesBadDebt() public {
        _position(borrower, 10e18, 650e6);
        uint256 lenderBefore = pool.position(id, lender).supplyAssets;
        _setValue(10e18, 500e6); // worth less than the debt
        Expected memory e = _liquidateChecked(type(uint256).max, liquidator);

        vm.assertEq(e.seized, 10e18, "all collateral");
        vm.assertEq(e.repaid, _mulDivUp(500e6, WAD, incentive), "the collateral's value over the incentive");
        vm.assertEq(e.badDebtAssets, 650e6 - e.repaid, "the rest is written off");
        vm.assertGt(e.badDebtShares, 0, "bad debt shares");
        PositionView memory v = pool.position(id, borrower);
        vm.assertEq(v.debt + v.collateral, 0, "the position is gone");
        vm.assertApproxEqAbs(
            pool.position(id, lender).supplyAssets, lenderBefore - e.badDebtAssets, 1, "lenders take the loss"
        );
    }

    function test_liquidate_partialRequestWithCollateralShortfallStillTakesAll() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 300e6);
        // Asking for the whole debt seizes everything; the repayment shrinks to the fair price.
        Expected memory e = _liquidateChecked(650e6, liquidator);
        vm.assertEq(e.seized, 10e18, "all collateral");
        vm.assertEq(e.repaid, _mulDivUp(300e6, WAD, incentive), "fair repayment");
        vm.assertGt(e.badDebtAssets, 0, "bad debt");
    }

    // ------------------------------------------------------------------ the remainder rules

    function test_liquidate_revertsWhenDebtDustWouldRemain() public {
        _position(borrower, 1e18, 30e6);
        _setValue(1e18, 36e6); // HF 0.9: may close fully, but not leave 5e6 behind
        Expected memory e = _expect(borrower, 25e6);
        Market memory m = pool.market(id);
        uint256 debtLeft = _toAssetsUp(
            pool.positionShares(id, borrower).borrowShares - e.repaidShares,
            m.totalBorrowAssets - e.repaid,
            m.totalBorrowShares - e.repaidShares
        );
        uint256 valueLeft = _value(1e18 - e.seized, _price(36e6));
        vm.assertLt(debtLeft, MIN_LEFTOVER_DEBT, "debt dust");
        _fund(liquidator, 25e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MustNotLeaveDust.selector, debtLeft, valueLeft));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, 25e6, liquidator);
    }

    function test_liquidate_revertsWhenCollateralDustWouldRemain() public {
        _position(borrower, 1e18, 60e6);
        _setValue(1e18, 60e6); // HF 0.75, collateral worth less than debt * incentive
        Expected memory e = _expect(borrower, 50e6);
        uint256 valueLeft = _value(1e18 - e.seized, _price(60e6));
        vm.assertLt(valueLeft, MIN_LEFTOVER_DEBT, "collateral dust");
        _fund(liquidator, 50e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MustNotLeaveDust.selector, 10e6, valueLeft));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, 50e6, liquidator);
    }

    function test_liquidate_revertsWhenHealthWouldWorsen() public {
        _position(borrower, 10e18, 600e6);
        _setValue(10e18, 600e6); // HF 0.75: every partial liquidation lowers it
        Expected memory e = _expect(borrower, 200e6);
        uint256 valueLeft = _value(10e18 - e.seized, _price(60e6));
        uint256 hfAfter = _healthFactor(valueLeft, 400e6);
        vm.assertLt(hfAfter, 0.75e18, "worse");
        _fund(liquidator, 200e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.HealthWouldWorsen.selector, 0.75e18, hfAfter));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, 200e6, liquidator);

        // Seizing everything is what is allowed then.
        Expected memory full = _liquidateChecked(type(uint256).max, liquidator);
        vm.assertEq(full.seized, 10e18, "all collateral");
    }

    // ------------------------------------------------------------------ reverts

    function test_liquidate_revertsWhenPositionHealthy() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 866_666_667); // floor(value * 0.75) = 650e6: HF exactly 1
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.PositionHealthy.selector, WAD));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, type(uint256).max, liquidator);

        _setValue(10e18, 866_666_666); // one base unit less: liquidatable
        _liquidateChecked(type(uint256).max, liquidator);
    }

    function test_liquidate_revertsWhenNoDebt() public {
        _position(borrower, 10e18, 0);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.PositionHealthy.selector, type(uint256).max));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, 1, liquidator);
    }

    function test_liquidate_revertsWhenStalePrice() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 700e6);
        uint256 appraisedAt = block.timestamp;
        _makePriceStale();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.StalePrice.selector, address(token), appraisedAt));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, type(uint256).max, liquidator);
    }

    function test_liquidate_revertsWhenCollateralPaused() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 700e6);
        _pause();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.CollateralPaused.selector, address(token)));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, type(uint256).max, liquidator);
    }

    function test_liquidate_revertsWhenReceiverNotVerified() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 700e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.ReceiverNotAllowed.selector, outsider));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, type(uint256).max, outsider);
    }

    function test_liquidate_revertsWhenReceiverFrozen() public {
        _position(borrower, 10e18, 650e6);
        _setValue(10e18, 700e6);
        _freeze(liquidator);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.ReceiverNotAllowed.selector, liquidator));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, type(uint256).max, liquidator);
    }

    function test_liquidate_revertsWhenZeroShares() public {
        (MarketId hot, PropertyToken t) = _hyperinflatedMarket();
        vm.prank(admin);
        oracle.forceAppraisal(address(t), _price(INITIAL_USD), "fresh");
        _fund(liquidator, 1);
        vm.expectRevert(ILendingPool.ZeroShares.selector);
        vm.prank(liquidator);
        pool.liquidate(hot, borrower, 1, liquidator);
    }

    function test_liquidate_revertsWhenZeroAmount() public {
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(liquidator);
        pool.liquidate(id, borrower, 0, liquidator);
    }

    function test_liquidate_revertsWhenReceiverIsZeroAddress() public {
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(liquidator);
        pool.liquidate(id, borrower, 1, address(0));
    }

    function test_liquidate_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(liquidator);
        pool.liquidate(UNKNOWN, borrower, 1, liquidator);
    }
}
