// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {IPropertyToken} from "../../src/interfaces/IPropertyToken.sol";
import {ILendingPool, MarketId, MarketParams, Market} from "../../src/interfaces/ILendingPool.sol";

/// @notice supplyCollateral, withdrawCollateral, borrow and repay.
contract LendingPoolBorrowTest is PoolFixture {
    MarketId internal constant UNKNOWN = MarketId.wrap(bytes32(uint256(0xdead)));

    // ------------------------------------------------------------------ supplyCollateral

    function test_supplyCollateral_locksAndEmits() public {
        _mintProperty(borrower, 10e18);
        vm.expectEmit(address(pool));
        emit ILendingPool.SupplyCollateral(id, borrower, borrower2, 10e18);
        vm.prank(borrower);
        pool.supplyCollateral(id, 10e18, borrower2);

        vm.assertEq(pool.positionShares(id, borrower2).collateral, 10e18, "credited to onBehalf");
        vm.assertEq(pool.positionShares(id, borrower).collateral, 0, "not to the payer");
        vm.assertEq(pool.market(id).totalCollateral, 10e18, "market total");
        vm.assertEq(pool.totalCollateralOf(address(token)), 10e18, "token total");
        vm.assertEq(token.balanceOf(address(pool)), 10e18, "pulled");
        vm.assertEq(token.balanceOf(borrower), 0, "pulled");
    }

    function test_supplyCollateral_needsNoPrice() public {
        _makePriceStale();
        _lock(borrower, 10e18);
        vm.assertEq(pool.positionShares(id, borrower).collateral, 10e18, "locked with a stale price");
    }

    function test_supplyCollateral_revertsWhenCallerNotVerified() public {
        _mintProperty(borrower, 10e18);
        vm.prank(admin);
        registry.unverify(borrower);
        // The pool refuses the owner before the token would refuse the caller.
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.OwnerNotAllowed.selector, borrower));
        vm.prank(borrower);
        pool.supplyCollateral(id, 10e18, borrower);
    }

    function test_supplyCollateral_revertsWhenZeroAmount() public {
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(borrower);
        pool.supplyCollateral(id, 0, borrower);
    }

    function test_supplyCollateral_revertsWhenOnBehalfIsZeroAddress() public {
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(borrower);
        pool.supplyCollateral(id, 1, address(0));
    }

    function test_supplyCollateral_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(borrower);
        pool.supplyCollateral(UNKNOWN, 1, borrower);
    }

    // ------------------------------------------------------------------ withdrawCollateral

    function test_withdrawCollateral_withoutDebtReturnsAndEmits() public {
        _lock(borrower, 10e18);
        vm.expectEmit(address(pool));
        emit ILendingPool.WithdrawCollateral(id, borrower, borrower, borrower2, 4e18);
        vm.prank(borrower);
        pool.withdrawCollateral(id, 4e18, borrower2);

        vm.assertEq(pool.positionShares(id, borrower).collateral, 6e18, "position");
        vm.assertEq(pool.market(id).totalCollateral, 6e18, "market total");
        vm.assertEq(pool.totalCollateralOf(address(token)), 6e18, "token total");
        vm.assertEq(token.balanceOf(borrower2), 4e18, "sent to the receiver");
    }

    function test_withdrawCollateral_withoutDebtIgnoresAStalePrice() public {
        _openPosition(borrower, 1000e6, 10e18, 500e6);
        _makePriceStale();
        _repay(borrower, borrower, type(uint256).max);
        vm.prank(borrower);
        pool.withdrawCollateral(id, 10e18, borrower);
        vm.assertEq(token.balanceOf(borrower), 10e18, "the repaid borrower takes the property back");
    }

    function test_withdrawCollateral_withDebtDownToMaxLtv() public {
        // 650 USD of debt needs exactly 10 tokens at $100 and 65%.
        _openPosition(borrower, 1000e6, 15e18, 650e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MaxLtvExceeded.selector, 650e6, 650e6 - 1));
        vm.prank(borrower);
        pool.withdrawCollateral(id, 5e18 + 1, borrower);

        vm.prank(borrower);
        pool.withdrawCollateral(id, 5e18, borrower);
        vm.assertEq(pool.position(id, borrower).ltv, MAX_LTV, "exactly at maxLtv");
    }

    function test_withdrawCollateral_revertsWhenStalePriceWithDebt() public {
        _openPosition(borrower, 1000e6, 20e18, 100e6);
        uint256 appraisedAt = block.timestamp;
        _makePriceStale();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.StalePrice.selector, address(token), appraisedAt));
        vm.prank(borrower);
        pool.withdrawCollateral(id, 1, borrower);
    }

    function test_withdrawCollateral_revertsWhenInsufficientCollateral() public {
        _lock(borrower, 10e18);
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.InsufficientCollateral.selector, 10e18 + 1, 10e18)
        );
        vm.prank(borrower);
        pool.withdrawCollateral(id, 10e18 + 1, borrower);
    }

    function test_withdrawCollateral_revertsWhenReceiverNotVerified() public {
        _lock(borrower, 10e18);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, outsider));
        vm.prank(borrower);
        pool.withdrawCollateral(id, 1e18, outsider);
    }

    function test_withdrawCollateral_revertsWhenZeroAmount() public {
        _lock(borrower, 10e18);
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(borrower);
        pool.withdrawCollateral(id, 0, borrower);
    }

    function test_withdrawCollateral_revertsWhenReceiverIsZeroAddress() public {
        _lock(borrower, 10e18);
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(borrower);
        pool.withdrawCollateral(id, 1, address(0));
    }

    function test_withdrawCollateral_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(borrower);
        pool.withdrawCollateral(UNKNOWN, 1, borrower);
    }

    // ------------------------------------------------------------------ borrow

    function test_borrow_mintsSharesRoundedUpAndEmits() public {
        _openPosition(borrower2, 100_000e6, 1000e18, 40_000e6);
        vm.warp(block.timestamp + 100 days);
        _setPrice(INITIAL_USD); // keep the appraisal fresh
        _lock(borrower, 10e18);
        Market memory m = pool.market(id);
        uint256 shares = _toSharesUp(333_333_333, m.totalBorrowAssets, m.totalBorrowShares);

        vm.expectEmit(address(pool));
        emit ILendingPool.Borrow(id, borrower, borrower, lender2, 333_333_333, shares);
        vm.prank(borrower);
        uint256 minted = pool.borrow(id, 333_333_333, lender2);

        vm.assertEq(minted, shares, "shares = assets * (S + 1e6) / (A + 1), rounded up");
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, shares, "debited to the caller");
        vm.assertEq(usd.balanceOf(lender2), 333_333_333, "sent to the receiver");
        vm.assertGe(pool.position(id, borrower).debt, 333_333_333, "debt at least what was borrowed");
        Market memory after_ = pool.market(id);
        vm.assertEq(after_.totalBorrowAssets, m.totalBorrowAssets + 333_333_333, "total assets");
        vm.assertEq(after_.totalBorrowShares, m.totalBorrowShares + shares, "total shares");
    }

    function test_borrow_exactlyMaxLtvSucceeds() public {
        _openPosition(borrower, 1000e6, 10e18, 650e6);
        vm.assertEq(pool.position(id, borrower).debt, 650e6, "debt");
        vm.assertEq(pool.position(id, borrower).ltv, MAX_LTV, "at maxLtv");
    }

    function test_borrow_revertsWhenOneWeiAboveMaxLtv() public {
        _openPosition(borrower, 1000e6, 10e18, 0);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MaxLtvExceeded.selector, 650e6 + 1, 650e6));
        _borrow(borrower, 650e6 + 1);

        _borrow(borrower, 650e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MaxLtvExceeded.selector, 650e6 + 1, 650e6));
        _borrow(borrower, 1);
    }

    function test_borrow_revertsWhenNoCollateral() public {
        _supply(lender, 1000e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MaxLtvExceeded.selector, 1, 0));
        _borrow(borrower, 1);
    }

    function test_borrow_revertsWhenStalePrice() public {
        _openPosition(borrower, 1000e6, 10e18, 0);
        uint256 appraisedAt = block.timestamp;
        _makePriceStale();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.StalePrice.selector, address(token), appraisedAt));
        _borrow(borrower, 1e6);
    }

    function test_borrow_revertsWhenInsufficientLiquidity() public {
        _openPosition(borrower, 100e6, 10e18, 0);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.InsufficientLiquidity.selector, 100e6, 100e6 + 1));
        _borrow(borrower, 100e6 + 1);
        _borrow(borrower, 100e6);
        vm.assertEq(usd.balanceOf(address(pool)), 0, "all liquidity lent");
    }

    function test_borrow_revertsWhenBorrowCapExceeded() public {
        PropertyToken t = _listProperty("FHCAP", IERC20(address(usd)));
        _approveAll(borrower, t);
        MarketParams memory p = _marketParams(address(t), address(usd));
        p.borrowCap = 500e6;
        MarketId capped = _createMarket(p);
        _fund(lender, 1000e6);
        vm.prank(lender);
        pool.supply(capped, 1000e6, lender);
        vm.prank(admin);
        t.mint(borrower, 100e18);
        vm.startPrank(borrower);
        pool.supplyCollateral(capped, 100e18, borrower);
        pool.borrow(capped, 300e6, borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.BorrowCapExceeded.selector, 500e6 + 1, 500e6));
        pool.borrow(capped, 200e6 + 1, borrower);
        pool.borrow(capped, 200e6, borrower); // exactly the cap
        vm.stopPrank();
        vm.assertEq(pool.market(capped).totalBorrowAssets, 500e6, "filled to the cap");
    }

    function test_borrow_revertsWhenZeroAmount() public {
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        _borrow(borrower, 0);
    }

    function test_borrow_revertsWhenReceiverIsZeroAddress() public {
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(borrower);
        pool.borrow(id, 1, address(0));
    }

    function test_borrow_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(borrower);
        pool.borrow(UNKNOWN, 1, borrower);
    }

    // ------------------------------------------------------------------ repay

    function test_repay_partialBurnsSharesRoundedDownAndEmits() public {
        _openPosition(borrower, 10_000e6, 100e18, 5000e6);
        vm.warp(block.timestamp + 200 days);
        Market memory m = pool.market(id);
        uint256 shares = _toSharesDown(1_234_567_891, m.totalBorrowAssets, m.totalBorrowShares);
        uint256 owned = pool.positionShares(id, borrower).borrowShares;
        _fund(lender2, 1_234_567_891);

        vm.expectEmit(address(pool));
        emit ILendingPool.Repay(id, lender2, borrower, 1_234_567_891, shares);
        vm.prank(lender2);
        (uint256 repaid, uint256 burned) = pool.repay(id, 1_234_567_891, borrower);

        vm.assertEq(repaid, 1_234_567_891, "repaid as asked");
        vm.assertEq(burned, shares, "shares = assets * (S + 1e6) / (A + 1), rounded down");
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, owned - shares, "burned from onBehalf");
        vm.assertEq(usd.balanceOf(lender2), 0, "paid by the caller");
        vm.assertEq(pool.market(id).totalBorrowAssets, m.totalBorrowAssets - repaid, "total assets");
    }

    function test_repay_maxBurnsAllShares() public {
        _openPosition(borrower, 10_000e6, 100e18, 5000e6);
        vm.warp(block.timestamp + 200 days);
        uint256 debt = _debtOf(borrower);
        uint256 owned = pool.positionShares(id, borrower).borrowShares;
        _fund(borrower, debt);

        vm.expectEmit(address(pool));
        emit ILendingPool.Repay(id, borrower, borrower, debt, owned);
        vm.prank(borrower);
        (uint256 repaid, uint256 shares) = pool.repay(id, type(uint256).max, borrower);

        vm.assertEq(repaid, debt, "the debt, rounded up");
        vm.assertEq(shares, owned, "every share");
        vm.assertEq(pool.position(id, borrower).debt, 0, "no debt left");
        vm.assertEq(usd.balanceOf(borrower), 5000e6, "paid exactly the debt");
    }

    function test_repay_exactDebtBurnsAllShares() public {
        _openPosition(borrower, 10_000e6, 100e18, 5000e6);
        vm.warp(block.timestamp + 200 days);
        uint256 debt = _debtOf(borrower);
        (uint256 repaid, uint256 shares) = _repay(borrower, borrower, debt);
        vm.assertEq(repaid, debt, "repaid");
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, 0, "no share dust survives");
        vm.assertGt(shares, 0, "burned");
    }

    function test_repay_lastRepaymentsEmptyTheMarket() public {
        // Two borrowers' debts are each rounded up, so together they can exceed the total by a base unit;
        // the total is floored at zero and both repay in full.
        _openPosition(borrower, 10_000e6, 100e18, 3_333_333_333);
        _openPosition(borrower2, 0, 100e18, 1_111_111_111);
        vm.warp(block.timestamp + 123 days + 17);
        _repay(borrower, borrower, type(uint256).max);
        _repay(borrower2, borrower2, type(uint256).max);
        Market memory m = pool.market(id);
        vm.assertEq(m.totalBorrowAssets, 0, "no assets borrowed");
        vm.assertEq(m.totalBorrowShares, 0, "no shares");
    }

    function test_repay_revertsWhenRepayExceedsDebt() public {
        _openPosition(borrower, 1000e6, 10e18, 100e6);
        _fund(borrower, 1);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.RepayExceedsDebt.selector, 100e6 + 1, 100e6));
        vm.prank(borrower);
        pool.repay(id, 100e6 + 1, borrower);
    }

    function test_repay_revertsWhenNoDebt() public {
        _supply(lender, 1000e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.RepayExceedsDebt.selector, type(uint256).max, 0));
        vm.prank(lender);
        pool.repay(id, type(uint256).max, borrower);
    }

    function test_repay_revertsWhenZeroShares() public {
        (MarketId hot,) = _hyperinflatedMarket();
        _fund(borrower, 1);
        vm.expectRevert(ILendingPool.ZeroShares.selector);
        vm.prank(borrower);
        pool.repay(hot, 1, borrower);
    }

    function test_repay_revertsWhenZeroAmount() public {
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(borrower);
        pool.repay(id, 0, borrower);
    }

    function test_repay_revertsWhenOnBehalfIsZeroAddress() public {
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(borrower);
        pool.repay(id, 1, address(0));
    }

    function test_repay_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(borrower);
        pool.repay(UNKNOWN, 1, borrower);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_repay_borrowThenRepayMaxCostsAtLeastBorrowed(uint256 assets, uint256 elapsed) public {
        // Another borrower first, so the borrow share price has drifted from its initial value.
        _openPosition(borrower2, 1_000_000e6, 1000e18, 50_000e6);
        vm.warp(block.timestamp + bound(elapsed, 0, 2 * 365 days));
        _setPrice(INITIAL_USD);
        assets = bound(assets, 1, 600_000e6);
        _lock(borrower, 10_000e18);
        _borrow(borrower, assets);
        vm.warp(block.timestamp + bound(elapsed >> 128, 0, 365 days));

        uint256 before = usd.balanceOf(borrower);
        (uint256 repaid,) = _repay(borrower, borrower, type(uint256).max);
        vm.assertGe(repaid, assets, "repaying everything costs at least what was borrowed");
        vm.assertEq(usd.balanceOf(borrower), before, "the payment left the borrower");
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, 0, "no debt left");
    }

    function testFuzz_borrow_maxLtvBoundary(uint256 collateral, uint256 priceUsd) public {
        collateral = bound(collateral, 1e12, 1e24);
        uint256 price = _price(bound(priceUsd, 1e4, 1e12)); // 1 cent to 1M USD a token
        _setRawPrice(price);
        _openPosition(borrower, 1e30, collateral, 0);
        uint256 maxDebt = _value(collateral, price) * MAX_LTV / WAD;

        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MaxLtvExceeded.selector, maxDebt + 1, maxDebt));
        _borrow(borrower, maxDebt + 1);
        if (maxDebt != 0) {
            _borrow(borrower, maxDebt);
            vm.assertEq(pool.position(id, borrower).debt, maxDebt, "borrowed to the boundary");
        }
    }
}
