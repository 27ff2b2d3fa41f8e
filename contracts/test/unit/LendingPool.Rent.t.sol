// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Vm, vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {MockStablecoin} from "../../src/mocks/MockStablecoin.sol";
import {ILendingPool, MarketId, Market} from "../../src/interfaces/ILendingPool.sol";

/// @notice Rent earned by locked collateral: pulled by the pool, spread by its rent index, claimed or used
/// to repay. The token has 1000 whole tokens: the issuer keeps 600, `borrower` locks 300, `borrower2` 100.
contract LendingPoolRentTest is PoolFixture {
    MarketId internal constant UNKNOWN = MarketId.wrap(bytes32(uint256(0xdead)));

    function setUp() public override {
        super.setUp();
        _mintProperty(admin, 600e18);
        _lock(borrower, 300e18);
        _lock(borrower2, 100e18);
    }

    function _claim(address account, address receiver) internal returns (uint256 amount) {
        vm.prank(account);
        amount = pool.claimRent(id, receiver);
    }

    // ------------------------------------------------------------------ claimRent

    function test_claimRent_paysProRataToLockedCollateral() public {
        _depositRent(token, 1000e6); // the pool holds 40% of the tokens: 400e6 is its share

        vm.expectEmit(address(pool));
        emit ILendingPool.RentPulled(address(token), 400e6, 400e6 * RENT_SCALE / 400e18);
        vm.expectEmit(address(pool));
        emit ILendingPool.RentClaimed(id, borrower, lender, 300e6);
        uint256 paid = _claim(borrower, lender);

        vm.assertEq(paid, 300e6, "three quarters of the pool's rent");
        vm.assertEq(usd.balanceOf(lender), 300e6, "paid to the receiver");
        vm.assertEq(pool.rentIndex(address(token)), 1e24, "index: 400e6 * 1e36 / 400e18");
        vm.assertEq(_claim(borrower2, borrower2), 100e6, "one quarter");
        vm.assertEq(usd.balanceOf(address(pool)), 0, "every unit of the pool's rent went out");
        vm.assertEq(_claim(borrower, borrower), 0, "nothing twice");
    }

    function test_claimRent_emitsZeroClaimWhenNothingAccrued() public {
        vm.recordLogs();
        vm.assertEq(_claim(borrower, lender), 0, "nothing");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 1, "RentClaimed alone: no pull, no transfer");
        vm.assertEq(logs[0].emitter, address(pool), "emitted by the pool");
        vm.assertEq(logs[0].topics[0], ILendingPool.RentClaimed.selector, "RentClaimed");
        vm.assertEq(logs[0].topics[1], MarketId.unwrap(id), "market");
        vm.assertEq(logs[0].topics[2], bytes32(uint256(uint160(borrower))), "owner");
        vm.assertEq(logs[0].topics[3], bytes32(uint256(uint160(lender))), "receiver");
        vm.assertEq(abi.decode(logs[0].data, (uint256)), 0, "amount 0");
        vm.assertEq(usd.balanceOf(lender), 0, "nothing paid");
    }

    /// @dev A claim that pays nothing still settles the position, so it must be visible in the logs: an
    /// indexer that skipped it would settle twice the fraction later and expect floor(a + b) > floor(a) + floor(b).
    function test_claimRent_zeroClaimSettlesRentIndexPaid() public {
        _depositRent(token, 5); // 2 units for the pool's 400 tokens: index 5e15; borrower2's 100 earn 0.5
        vm.expectEmit(address(pool));
        emit ILendingPool.RentPulled(address(token), 2, 5e15);
        vm.expectEmit(address(pool));
        emit ILendingPool.RentClaimed(id, borrower2, borrower2, 0);
        vm.assertEq(_claim(borrower2, borrower2), 0, "half a unit rounds down");
        vm.assertEq(pool.positionShares(id, borrower2).rentIndexPaid, 5e15, "settled at the index");
        vm.assertEq(pool.positionShares(id, borrower2).rentAccrued, 0, "nothing settled");

        _depositRent(token, 5); // index 1e16: another half unit
        vm.expectEmit(address(pool));
        emit ILendingPool.RentClaimed(id, borrower2, borrower2, 0);
        vm.assertEq(_claim(borrower2, borrower2), 0, "floor(0.5) + floor(0.5), not floor(1)");
        vm.assertEq(pool.positionShares(id, borrower2).rentIndexPaid, 1e16, "settled again");
        vm.assertEq(usd.balanceOf(borrower2), 0, "no transfer");
    }

    function test_claimRent_positionViewEqualsPayout() public {
        _depositRent(token, 1000e6);
        vm.assertEq(pool.position(id, borrower).claimableRent, 300e6, "before the pull");
        _lock(borrower2, 150e18); // pulls the rent, changes the split for what comes next
        _depositRent(token, 777_777_777);
        uint256 viewed = pool.position(id, borrower).claimableRent;
        vm.assertEq(_claim(borrower, borrower), viewed, "claimRent pays what the view says");
        uint256 viewed2 = pool.position(id, borrower2).claimableRent;
        vm.assertEq(_claim(borrower2, borrower2), viewed2, "for every position");
    }

    function test_claimRent_collateralChangesSettleFirst() public {
        _depositRent(token, 1000e6); // 300e6 / 100e6
        _lock(borrower2, 400e18); // supply 1400, pool 800
        _depositRent(token, 1400e6); // 800e6 for the pool: 1e24 per unit of collateral
        vm.prank(borrower);
        pool.withdrawCollateral(id, 300e18, borrower); // settles, then stops earning here
        _depositRent(token, 1400e6); // 500e18 of 1400e18 in the pool: 500e6

        vm.assertEq(_claim(borrower, borrower), 300e6 + 300e6, "earned on 300 for two deposits only");
        vm.assertEq(_claim(borrower2, borrower2), 100e6 + 500e6 + 500e6, "earned on its balance each time");
    }

    function test_claimRent_sharesTheIndexAcrossMarketsOfOneToken() public {
        MockStablecoin usd2 = new MockStablecoin();
        MarketId second = _createMarket(_marketParams(address(token), address(usd2)));
        _mintProperty(lender, 100e18);
        vm.prank(lender);
        pool.supplyCollateral(second, 100e18, lender);
        _depositRent(token, 1100e6); // 1100 tokens, 500 in the pool across two markets
        vm.assertEq(_claim(borrower, borrower), 300e6, "market one");
        vm.prank(lender);
        vm.assertEq(pool.claimRent(second, lender), 100e6, "market two, same index");
        vm.assertEq(_claim(borrower2, borrower2), 100e6, "market one");
        vm.assertEq(pool.totalCollateralOf(address(token)), 500e18, "collateral across markets");
    }

    function test_claimRent_liquidationSettlesRentBeforeSeizing() public {
        _supply(lender, 100_000e6);
        _borrow(borrower, 19_500e6); // 65% of 300 tokens at $100
        _depositRent(token, 1000e6); // 300e6 earned on the full 300 tokens
        _setPrice(80e6);
        _fund(liquidator, 19_500e6);
        vm.prank(liquidator);
        (, uint256 seized,) = pool.liquidate(id, borrower, type(uint256).max, liquidator);
        uint256 left = 300e18 - seized;

        _depositRent(token, 1000e6); // 1e24 per token unit: 1e6 per whole token
        vm.assertApproxEqAbs(
            _claim(borrower, borrower), 300e6 + left / 1e12, 1, "before: all; after: what is left"
        );
        vm.assertApproxEqAbs(
            token.claimableRent(liquidator), seized / 1e12, 1, "the seized tokens earn for their holder"
        );
    }

    function test_claimRent_revertsWhenReceiverIsZeroAddress() public {
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        _claim(borrower, address(0));
    }

    function test_claimRent_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(borrower);
        pool.claimRent(UNKNOWN, borrower);
    }

    // ------------------------------------------------------------------ repayWithRent

    function test_repayWithRent_reducesDebtWithoutMovingTokens() public {
        _supply(lender, 100_000e6);
        _borrow(borrower, 1000e6);
        _depositRent(token, 1000e6);
        Market memory m = pool.market(id);
        uint256 shares = _toSharesDown(300e6, m.totalBorrowAssets, m.totalBorrowShares);
        uint256 poolBalance = usd.balanceOf(address(pool));

        vm.expectEmit(address(pool));
        emit ILendingPool.RentClaimed(id, borrower, address(pool), 300e6);
        vm.expectEmit(address(pool));
        emit ILendingPool.Repay(id, borrower, borrower, 300e6, shares);
        vm.prank(borrower);
        (uint256 repaid, uint256 burned) = pool.repayWithRent(id);

        vm.assertEq(repaid, 300e6, "all the rent");
        vm.assertEq(burned, shares, "shares rounded down");
        vm.assertEq(pool.position(id, borrower).debt, 700e6, "debt reduced");
        vm.assertEq(pool.position(id, borrower).claimableRent, 0, "rent used");
        vm.assertEq(usd.balanceOf(address(pool)), poolBalance + 400e6, "only the pull moved tokens");
        vm.assertEq(pool.market(id).totalBorrowAssets, 700e6, "total borrow");
        vm.assertEq(_claim(borrower2, borrower2), 100e6, "the other borrower's rent is untouched");
    }

    function test_repayWithRent_rentBeyondDebtStaysClaimable() public {
        _supply(lender, 100_000e6);
        _borrow(borrower, 100e6);
        _depositRent(token, 1000e6);
        vm.prank(borrower);
        (uint256 repaid,) = pool.repayWithRent(id);
        vm.assertEq(repaid, 100e6, "up to the debt");
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, 0, "debt closed");
        vm.assertEq(pool.position(id, borrower).claimableRent, 200e6, "the rest stays claimable");
        vm.assertEq(_claim(borrower, borrower), 200e6, "and is paid");
    }

    function test_repayWithRent_revertsWhenRentNotInLoanToken() public {
        MockStablecoin usd2 = new MockStablecoin();
        PropertyToken t = _listProperty("FHEUR", IERC20(address(usd2)));
        MarketId other = _createMarket(_marketParams(address(t), address(usd)));
        vm.expectRevert(
            abi.encodeWithSelector(ILendingPool.RentNotInLoanToken.selector, address(usd2), address(usd))
        );
        vm.prank(borrower);
        pool.repayWithRent(other);
    }

    function test_repayWithRent_revertsWhenNoRent() public {
        _supply(lender, 100_000e6);
        _borrow(borrower, 100e6);
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(borrower);
        pool.repayWithRent(id);
    }

    function test_repayWithRent_revertsWhenNoDebt() public {
        _depositRent(token, 1000e6);
        vm.expectRevert(ILendingPool.ZeroAmount.selector);
        vm.prank(borrower);
        pool.repayWithRent(id);
    }

    function test_repayWithRent_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        vm.prank(borrower);
        pool.repayWithRent(UNKNOWN);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_claimRent_neverExceedsWhatThePoolReceived(
        uint256 more,
        uint256 less,
        uint256 rent1,
        uint256 rent2
    ) public {
        more = bound(more, 1, 1e24);
        less = bound(less, 0, 100e18);
        rent1 = bound(rent1, 1, 1e13);
        rent2 = bound(rent2, 1, 1e13);
        uint256 supply1 = token.totalSupply();
        _depositRent(token, rent1);
        _lock(borrower2, more); // settles the first deposit at the old balances
        if (less != 0) {
            vm.prank(borrower);
            pool.withdrawCollateral(id, less, borrower);
        }
        uint256 supply2 = token.totalSupply();
        _depositRent(token, rent2);

        uint256 viewed1 = pool.position(id, borrower).claimableRent;
        uint256 viewed2 = pool.position(id, borrower2).claimableRent;
        uint256 claimed1 = _claim(borrower, lender);
        uint256 claimed2 = _claim(borrower2, lender);
        vm.assertEq(claimed1, viewed1, "view = payout");
        vm.assertEq(claimed2, viewed2, "view = payout");

        uint256 received = usd.balanceOf(address(pool)) + claimed1 + claimed2;
        vm.assertLe(claimed1 + claimed2, received, "never more than the pool received");
        vm.assertLe(received - claimed1 - claimed2, 4, "and at most rounding dust stays behind");
        // Pro rata: never above the exact share of each deposit, at most a few units below it.
        uint256 fair1 = (rent1 * 300e18 * supply2 + rent2 * (300e18 - less) * supply1) / (supply1 * supply2);
        vm.assertLe(claimed1, fair1, "borrower: at most its share");
        vm.assertGe(claimed1 + 4, fair1, "borrower: at most rounding below it");
        uint256 fair2 = (rent1 * 100e18 * supply2 + rent2 * (100e18 + more) * supply1) / (supply1 * supply2);
        vm.assertLe(claimed2, fair2, "borrower2: at most its share");
        vm.assertGe(claimed2 + 4, fair2, "borrower2: at most rounding below it");
    }
}
