// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {ILendingPool, MarketId, MarketParams, Market} from "../../src/interfaces/ILendingPool.sol";

/// @notice supply and withdraw: shares and their rounding, virtual shares, caps, liquidity, events.
contract LendingPoolSupplyTest is PoolFixture {
    MarketId internal constant UNKNOWN = MarketId.wrap(bytes32(uint256(0xdead)));

    /// @dev Borrows against the fixture's market and lets a year of interest accrue, so the share price is
    /// no longer the initial 1e6 shares per asset and every rounding direction shows.
    function _withInterest() internal {
        _openPosition(borrower, 1_000_000e6, 10_000e18, 600_000e6);
        vm.warp(block.timestamp + 365 days);
        pool.accrueInterest(id);
    }

    // ------------------------------------------------------------------ supply

    function test_supply_mintsSharesAndEmits() public {
        _fund(lender, 1000e6);
        vm.expectEmit(address(pool));
        emit ILendingPool.Supply(id, lender, lender, 1000e6, 1000e6 * VIRTUAL_SHARES);
        vm.prank(lender);
        uint256 shares = pool.supply(id, 1000e6, lender);

        vm.assertEq(shares, 1000e6 * VIRTUAL_SHARES, "first supply: 1e6 shares per asset");
        vm.assertEq(pool.positionShares(id, lender).supplyShares, shares, "credited");
        vm.assertEq(usd.balanceOf(address(pool)), 1000e6, "pulled");
        vm.assertEq(usd.balanceOf(lender), 0, "pulled");
        Market memory m = pool.market(id);
        vm.assertEq(m.totalSupplyAssets, 1000e6, "total assets");
        vm.assertEq(m.totalSupplyShares, shares, "total shares");
    }

    function test_supply_creditsOnBehalf() public {
        _fund(lender, 500e6);
        vm.expectEmit(address(pool));
        emit ILendingPool.Supply(id, lender, lender2, 500e6, 500e6 * VIRTUAL_SHARES);
        vm.prank(lender);
        pool.supply(id, 500e6, lender2);
        vm.assertEq(pool.positionShares(id, lender).supplyShares, 0, "payer gets nothing");
        vm.assertEq(pool.positionShares(id, lender2).supplyShares, 500e6 * VIRTUAL_SHARES, "onBehalf");
        vm.assertEq(pool.position(id, lender2).supplyAssets, 500e6, "onBehalf owns the assets");
    }

    function test_supply_sharesRoundDownAtTheAccruedPrice() public {
        _withInterest();
        vm.warp(block.timestamp + 30 days);
        Market memory m = pool.market(id); // accrued to now
        uint256 expected = _toSharesDown(777_777_777, m.totalSupplyAssets, m.totalSupplyShares);
        uint256 shares = _supply(lender2, 777_777_777);
        vm.assertEq(shares, expected, "shares = assets * (S + 1e6) / (A + 1), rounded down");
        vm.assertLe(pool.position(id, lender2).supplyAssets, 777_777_777, "never worth more than paid");
    }

    function test_supply_virtualSharesDefeatTheDonationAttack() public {
        address attacker = lender2;
        _supply(attacker, 1);
        // The donation: a big transfer straight to the pool. It is not accounted as supply.
        _fund(attacker, 1_000_000e6);
        vm.prank(attacker);
        vm.assertTrue(usd.transfer(address(pool), 1_000_000e6), "donated");

        uint256 shares = _supply(lender, 1000e6);
        vm.assertEq(shares, 1000e6 * VIRTUAL_SHARES, "victim gets the fair share count");
        vm.assertEq(pool.position(id, lender).supplyAssets, 1000e6, "victim's supply is whole");

        vm.prank(attacker);
        (uint256 back,) = pool.withdraw(id, type(uint256).max, attacker);
        vm.assertLe(back, 1, "the attacker takes back no more than the 1 wei supplied");
        vm.prank(lender);
        (uint256 victimBack,) = pool.withdraw(id, type(uint256).max, lender);
        vm.assertEq(victimBack, 1000e6, "the victim withdraws everything");
    }

    function test_supply_revertsWhenSupplyCapExceeded() public {
        PropertyToken t = _listProperty("FHCAP", IERC20(address(usd)));
        MarketParams memory p = _marketParams(address(t), address(usd));
        p.supplyCap = 1000e6;
        MarketId capped = _createMarket(p);
        _fund(lender, 2000e6);
        vm.startPrank(lender);
        pool.supply(capped, 600e6, lender);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.SupplyCapExceeded.selector, 1000e6 + 1, 1000e6));
        pool.supply(capped, 400e6 + 1, lender);
        pool.supply(capped, 400e6, lender); // exactly at the cap
        vm.stopPrank();
        vm.assertEq(pool.market(capped).totalSupplyAssets, 1000e6, "filled to the cap");
    }

    function test_supply_zeroCapMeansNoCap() public {
        _supply(lender, 1e30);
        vm.assertEq(pool.market(id).totalSupplyAssets, 1e30, "no cap");
    }

    function test_supply_revertsWhenZeroAmount() public {
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(lender);
        pool.supply(id, 0, lender);
    }

    function test_supply_revertsWhenOnBehalfIsZeroAddress() public {
        _fund(lender, 1);
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(lender);
        pool.supply(id, 1, address(0));
    }

    function test_supply_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(lender);
        pool.supply(UNKNOWN, 1, lender);
    }

    function test_supply_revertsWhenZeroShares() public {
        (MarketId hot,) = _hyperinflatedMarket();
        Market memory m = pool.market(hot);
        vm.assertGt(m.totalSupplyAssets + 1, m.totalSupplyShares + VIRTUAL_SHARES, "one share costs > 1 wei");
        _fund(lender2, 1);
        vm.expectRevert(ILendingPool.ZeroShares.selector);
        vm.prank(lender2);
        pool.supply(hot, 1, lender2);
    }

    // ------------------------------------------------------------------ withdraw

    function test_withdraw_burnsSharesRoundedUpAndEmits() public {
        _withInterest();
        Market memory m = pool.market(id);
        uint256 shares = _toSharesUp(123_456_789, m.totalSupplyAssets, m.totalSupplyShares);
        uint256 owned = pool.positionShares(id, lender).supplyShares;

        vm.expectEmit(address(pool));
        emit ILendingPool.Withdraw(id, lender, lender, lender2, 123_456_789, shares);
        vm.prank(lender);
        (uint256 assets, uint256 burned) = pool.withdraw(id, 123_456_789, lender2);

        vm.assertEq(assets, 123_456_789, "assets as asked");
        vm.assertEq(burned, shares, "shares = assets * (S + 1e6) / (A + 1), rounded up");
        vm.assertEq(usd.balanceOf(lender2), 123_456_789, "sent to the receiver");
        vm.assertEq(pool.positionShares(id, lender).supplyShares, owned - shares, "burned from the caller");
        Market memory after_ = pool.market(id);
        vm.assertEq(after_.totalSupplyAssets, m.totalSupplyAssets - assets, "total assets");
        vm.assertEq(after_.totalSupplyShares, m.totalSupplyShares - shares, "total shares");
    }

    function test_withdraw_maxWithdrawsEveryShare() public {
        _withInterest();
        _repay(borrower, borrower, type(uint256).max);
        Market memory m = pool.market(id);
        uint256 owned = pool.positionShares(id, lender).supplyShares;
        uint256 expected = _toAssetsDown(owned, m.totalSupplyAssets, m.totalSupplyShares);
        vm.assertGt(expected, 1_000_000e6, "the lender earned interest");

        vm.expectEmit(address(pool));
        emit ILendingPool.Withdraw(id, lender, lender, lender, expected, owned);
        vm.prank(lender);
        (uint256 assets, uint256 shares) = pool.withdraw(id, type(uint256).max, lender);

        vm.assertEq(assets, expected, "all shares, valued rounded down");
        vm.assertEq(shares, owned, "every share");
        vm.assertEq(pool.positionShares(id, lender).supplyShares, 0, "nothing left");
        vm.assertEq(usd.balanceOf(lender), expected, "paid");
    }

    function test_withdraw_revertsWhenInsufficientLiquidity() public {
        _openPosition(borrower, 1000e6, 100e18, 600e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.InsufficientLiquidity.selector, 400e6, 400e6 + 1));
        vm.prank(lender);
        pool.withdraw(id, 400e6 + 1, lender);
        vm.prank(lender);
        pool.withdraw(id, 400e6, lender); // exactly the idle liquidity
        vm.assertEq(usd.balanceOf(address(pool)), 0, "drained to the last wei");
    }

    function test_withdraw_revertsWhenInsufficientSupplyShares() public {
        _supply(lender, 1000e6);
        _supply(lender2, 1000e6);
        uint256 shares = (1000e6 + 1) * VIRTUAL_SHARES;
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.InsufficientSupplyShares.selector, shares, 1000e6 * VIRTUAL_SHARES
            )
        );
        vm.prank(lender);
        pool.withdraw(id, 1000e6 + 1, lender);
    }

    function test_withdraw_revertsWhenMaxWithNothingSupplied() public {
        _supply(lender, 1000e6);
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(lender2);
        pool.withdraw(id, type(uint256).max, lender2);
    }

    function test_withdraw_revertsWhenZeroAmount() public {
        _supply(lender, 1000e6);
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(lender);
        pool.withdraw(id, 0, lender);
    }

    function test_withdraw_revertsWhenReceiverIsZeroAddress() public {
        _supply(lender, 1000e6);
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(lender);
        pool.withdraw(id, 1, address(0));
    }

    function test_withdraw_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(lender);
        pool.withdraw(UNKNOWN, 1, lender);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_withdraw_roundTripNeverGains(uint256 assets, uint256 elapsed) public {
        assets = bound(assets, 1, 1e15);
        elapsed = bound(elapsed, 0, 3 * 365 days);
        _openPosition(borrower, 1_000_000e6, 20_000e18, 900_000e6);
        vm.warp(block.timestamp + elapsed);

        uint256 shares = _supply(lender2, assets);
        Market memory m = pool.market(id);
        uint256 back = _toAssetsDown(shares, m.totalSupplyAssets, m.totalSupplyShares);
        if (back == 0) {
            // A deposit worth less than one base unit after rounding: nothing to withdraw.
            vm.expectRevert(ILendingPool.ZeroAmount.selector);
            vm.prank(lender2);
            pool.withdraw(id, type(uint256).max, lender2);
        } else {
            vm.prank(lender2);
            (uint256 withdrawn,) = pool.withdraw(id, type(uint256).max, lender2);
            vm.assertEq(withdrawn, back, "all shares valued rounded down");
        }
        vm.assertLe(back, assets, "supply then withdraw-all never returns more than supplied");
        vm.assertGe(back + 1, assets, "and loses at most one base unit to rounding");
    }

    function testFuzz_withdraw_burnsAtLeastTheFairShares(uint256 assets, uint256 elapsed) public {
        _openPosition(borrower, 1_000_000e6, 20_000e18, 900_000e6);
        vm.warp(block.timestamp + bound(elapsed, 1, 3 * 365 days));
        assets = bound(assets, 1, 100_000e6);
        Market memory m = pool.market(id);
        vm.prank(lender);
        (, uint256 shares) = pool.withdraw(id, assets, lender);
        // shares * (A + 1) >= assets * (S + 1e6): the burned shares are worth at least what left.
        vm.assertGe(
            shares * (m.totalSupplyAssets + VIRTUAL_ASSETS),
            assets * (m.totalSupplyShares + VIRTUAL_SHARES),
            "rounded up"
        );
        vm.assertEq(shares, _toSharesUp(assets, m.totalSupplyAssets, m.totalSupplyShares), "exact");
    }
}
