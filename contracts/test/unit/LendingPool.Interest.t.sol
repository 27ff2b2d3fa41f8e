// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Vm, vm} from "../../std/Vm.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {ILendingPool, MarketId, Market} from "../../src/interfaces/ILendingPool.sol";

/// @notice Interest: the kinked rate, Taylor compounding, the AccrueInterest event, and that the events
/// alone let an indexer rebuild the market's totals.
contract LendingPoolInterestTest is PoolFixture {
    MarketId internal constant UNKNOWN = MarketId.wrap(bytes32(uint256(0xdead)));
    uint256 internal constant LIQUIDITY = 1_000_000e6;

    /// @dev Borrows `borrowed` of 1M supplied, waits `elapsed`, accrues, and checks the event, the view
    /// before accrual and the stored totals after against the documented formula.
    function _checkAccrual(uint256 borrowed, uint256 elapsed) internal {
        _openPosition(borrower, LIQUIDITY, 20_000e18, 0);
        if (borrowed != 0) _borrow(borrower, borrowed);
        uint256 rate = _ratePerSecond(borrowed, LIQUIDITY);
        vm.assertEq(pool.borrowRate(id), rate, "borrowRate view");
        vm.warp(block.timestamp + elapsed);
        uint256 interest = _interest(borrowed, rate, elapsed);

        Market memory viewed = pool.market(id);
        vm.assertEq(viewed.totalBorrowAssets, borrowed + interest, "market() accrues in the view");
        vm.assertEq(viewed.totalSupplyAssets, LIQUIDITY + interest, "market() accrues in the view");

        vm.expectEmit(address(pool));
        emit ILendingPool.AccrueInterest(id, rate, interest, LIQUIDITY + interest, borrowed + interest);
        pool.accrueInterest(id);

        Market memory m = pool.market(id);
        vm.assertEq(m.totalBorrowAssets, borrowed + interest, "borrow side");
        vm.assertEq(m.totalSupplyAssets, LIQUIDITY + interest, "supply side, the same interest");
        vm.assertEq(m.lastUpdate, block.timestamp, "lastUpdate");
        vm.assertEq(keccak256(abi.encode(m)), keccak256(abi.encode(viewed)), "view == stored");
    }

    function test_accrueInterest_atZeroUtilization() public {
        _checkAccrual(0, 365 days);
    }

    function test_accrueInterest_belowKink() public {
        _checkAccrual(400_000e6, 365 days); // 40%: 2% + 6% * 0.5 = 5% a year
        vm.assertEq(_ratePerYear(400_000e6, LIQUIDITY), 0.05e18, "5% a year");
    }

    function test_accrueInterest_atKink() public {
        _checkAccrual(800_000e6, 90 days); // 8% a year
    }

    function test_accrueInterest_aboveKink() public {
        _checkAccrual(900_000e6, 180 days); // 2% + 6% + 80% * 0.5 = 48% a year
        vm.assertEq(_ratePerYear(900_000e6, LIQUIDITY), 0.48e18, "48% a year");
    }

    function test_accrueInterest_atFullUtilization() public {
        _checkAccrual(LIQUIDITY, 2 * 365 days); // 88% a year, compounded over two years
    }

    function test_accrueInterest_overOneSecond() public {
        _checkAccrual(123_456_789_012, 1);
    }

    function test_accrueInterest_lendersEarnWhatBorrowersOwe() public {
        _openPosition(borrower, LIQUIDITY, 20_000e18, 900_000e6);
        vm.warp(block.timestamp + 365 days);
        pool.accrueInterest(id);
        uint256 debt = pool.position(id, borrower).debt;
        uint256 supplied = pool.position(id, lender).supplyAssets;
        vm.assertGt(debt, 900_000e6, "debt grew");
        vm.assertApproxEqAbs(supplied - LIQUIDITY, debt - 900_000e6, 1, "the lender earned the interest");
    }

    function test_accrueInterest_doesNothingWithinTheSameSecond() public {
        _openPosition(borrower, LIQUIDITY, 20_000e18, 500_000e6);
        vm.warp(block.timestamp + 10 days);
        pool.accrueInterest(id);
        Market memory before = pool.market(id);
        vm.recordLogs();
        pool.accrueInterest(id);
        vm.assertEq(vm.getRecordedLogs().length, 0, "no second event");
        vm.assertEq(keccak256(abi.encode(pool.market(id))), keccak256(abi.encode(before)), "unchanged");
    }

    function test_accrueInterest_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        pool.accrueInterest(UNKNOWN);
    }

    function test_borrowRate_followsTheKinkedCurve() public {
        _openPosition(borrower, LIQUIDITY, 20_000e18, 0);
        vm.assertEq(pool.borrowRate(id), BASE_RATE / SECONDS_PER_YEAR, "base at 0%");
        _borrow(borrower, 800_000e6);
        vm.assertEq(pool.borrowRate(id), (BASE_RATE + SLOPE1) / SECONDS_PER_YEAR, "base + slope1 at the kink");
        _borrow(borrower, 200_000e6);
        vm.assertEq(
            pool.borrowRate(id),
            (BASE_RATE + SLOPE1 + SLOPE2) / SECONDS_PER_YEAR,
            "base + both slopes at 100%"
        );
    }

    function test_borrowRate_revertsWhenMarketNotFound() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN));
        pool.borrowRate(UNKNOWN);
    }

    /// @dev An indexer that applies AccrueInterest (absolute totals) and the action events (deltas) in
    /// order ends with exactly the market() view, through supply, borrow, repay and withdraw.
    function test_accrueInterest_eventsRebuildTheTotals() public {
        Market memory model;
        vm.recordLogs();
        _supply(lender, LIQUIDITY);
        _lock(borrower, 20_000e18);
        model = _replay(model);

        vm.warp(block.timestamp + 17 days);
        _borrow(borrower, 850_000e6);
        model = _replay(model);
        _check(model);

        vm.warp(block.timestamp + 101 days + 7);
        _repay(borrower, borrower, 300_000e6);
        model = _replay(model);
        _check(model);

        vm.warp(block.timestamp + 33 days);
        _supply(lender2, 5000e6);
        vm.prank(lender);
        pool.withdraw(id, 400_000e6, lender);
        _repay(borrower2, borrower, type(uint256).max);
        model = _replay(model);
        _check(model);
    }

    function _check(Market memory model) internal view {
        Market memory m = pool.market(id);
        vm.assertEq(model.totalSupplyAssets, m.totalSupplyAssets, "indexed supply assets");
        vm.assertEq(model.totalSupplyShares, m.totalSupplyShares, "indexed supply shares");
        vm.assertEq(model.totalBorrowAssets, m.totalBorrowAssets, "indexed borrow assets");
        vm.assertEq(model.totalBorrowShares, m.totalBorrowShares, "indexed borrow shares");
    }

    function _replay(Market memory model) internal returns (Market memory) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(pool)) continue;
            bytes32 sig = logs[i].topics[0];
            if (sig == ILendingPool.AccrueInterest.selector) {
                (,, uint256 supplyAssets, uint256 borrowAssets) =
                    abi.decode(logs[i].data, (uint256, uint256, uint256, uint256));
                model.totalSupplyAssets = supplyAssets;
                model.totalBorrowAssets = borrowAssets;
            } else if (sig == ILendingPool.Supply.selector) {
                (uint256 assets, uint256 shares) = abi.decode(logs[i].data, (uint256, uint256));
                model.totalSupplyAssets += assets;
                model.totalSupplyShares += shares;
            } else if (sig == ILendingPool.Withdraw.selector) {
                (, uint256 assets, uint256 shares) = abi.decode(logs[i].data, (address, uint256, uint256));
                model.totalSupplyAssets -= assets;
                model.totalSupplyShares -= shares;
            } else if (sig == ILendingPool.Borrow.selector) {
                (, uint256 assets, uint256 shares) = abi.decode(logs[i].data, (address, uint256, uint256));
                model.totalBorrowAssets += assets;
                model.totalBorrowShares += shares;
            } else if (sig == ILendingPool.Repay.selector) {
                (uint256 assets, uint256 shares) = abi.decode(logs[i].data, (uint256, uint256));
                model.totalBorrowAssets =
                    model.totalBorrowAssets > assets ? model.totalBorrowAssets - assets : 0;
                model.totalBorrowShares -= shares;
            }
        }
        return model;
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_accrueInterest_matchesTheFormula(uint256 borrowed, uint256 elapsed) public {
        _checkAccrual(bound(borrowed, 0, LIQUIDITY), bound(elapsed, 1, 5 * 365 days));
    }
}
