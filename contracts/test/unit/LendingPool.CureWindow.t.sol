// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AuctionFixture} from "../utils/AuctionFixture.sol";
import {ILendingPool, MarketId, LiquidationTerms, CureFlag} from "../../src/interfaces/ILendingPool.sol";

/// @notice The cure window, on the auction market (through `start`) and on a fixed-incentive market with a
/// window (through `liquidate`): flagging, the window, the hard floor, clearing, and the flag's appraisal rule.
contract LendingPoolCureWindowTest is AuctionFixture {
    function setUp() public override {
        super.setUp();
        _openLoan();
        _dip();
    }

    function test_flag_startsTheWindow() public {
        uint256 seq = oracle.appraisalCount(address(token));
        vm.expectEmit(address(pool));
        emit ILendingPool.CureFlagged(id, borrower, block.timestamp, seq, _price(78e6));
        vm.prank(outsider); // anyone may flag
        pool.flag(id, borrower);
        CureFlag memory f = pool.cureFlag(id, borrower);
        vm.assertEq(f.flaggedAt, block.timestamp, "flaggedAt");
        vm.assertEq(f.appraisalSeq, seq, "seq");
        vm.assertEq(f.price, _price(78e6), "price");
    }

    function test_start_beforeTheWindowEnds_reverts() public {
        pool.flag(id, borrower);
        uint256 deadline = block.timestamp + CURE_WINDOW;
        vm.warp(deadline - 1);
        vm.assertFalse(pool.isLiquidatable(id, borrower), "not yet");
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.CureWindowOpen.selector, id, borrower, deadline));
        auction.start(id, borrower, keeper);
        vm.warp(deadline);
        vm.assertTrue(pool.isLiquidatable(id, borrower), "window over");
        _start();
    }

    function test_start_withoutFlag_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotFlagged.selector, id, borrower));
        auction.start(id, borrower, keeper);
        vm.assertFalse(pool.isLiquidatable(id, borrower), "needs a flag");
    }

    function test_underTheHardFloor_opensAtOnce() public {
        _crash();
        vm.assertTrue(pool.isLiquidatable(id, borrower), "no window under the floor");
        _start();
    }

    function test_flag_healthy_reverts() public {
        _setPrice(100e6);
        uint256 hf = pool.position(id, borrower).healthFactor;
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.PositionHealthy.selector, hf));
        pool.flag(id, borrower);
    }

    function test_flag_noWindow_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NoCureWindow.selector, fixedId));
        pool.flag(fixedId, borrower);
    }

    function test_flag_stalePrice_reverts() public {
        _makePriceStale();
        (, uint256 updatedAt) = oracle.latestPrice(address(token));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.StalePrice.selector, address(token), updatedAt));
        pool.flag(id, borrower);
    }

    function test_repayToHealthy_clearsTheFlag_andALaterDipStartsANewWindow() public {
        pool.flag(id, borrower);
        vm.warp(block.timestamp + 12 hours);
        _fund(borrower, 500e6);
        vm.expectEmit(address(pool));
        emit ILendingPool.CureFlagCleared(id, borrower);
        vm.prank(borrower);
        pool.repay(id, 500e6, borrower); // 5,500 <= 5,850: healthy
        vm.assertEq(pool.cureFlag(id, borrower).flaggedAt, 0, "cleared");
        // A dip under the next appraisal needs a new flag and a whole new window.
        _setPrice(72.5e6);
        vm.warp(block.timestamp + CURE_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotFlagged.selector, id, borrower));
        auction.start(id, borrower, keeper);
    }

    function test_supplyCollateralToHealthy_clearsTheFlag() public {
        pool.flag(id, borrower);
        _lock(borrower, 10e18);
        vm.assertEq(pool.cureFlag(id, borrower).flaggedAt, 0, "cleared");
        _setPrice(72e6); // 110 tokens: 5,940 < 6,000, health 0.99
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotFlagged.selector, id, borrower));
        vm.warp(block.timestamp + CURE_WINDOW);
        auction.start(id, borrower, keeper);
    }

    function test_partialCure_keepsTheFlag() public {
        pool.flag(id, borrower);
        _repay(borrower, borrower, 10e6); // still 5,990 > 5,850
        vm.assertGt(pool.cureFlag(id, borrower).flaggedAt, 0, "kept: a cent does not buy a new window");
        vm.warp(block.timestamp + CURE_WINDOW);
        _start();
    }

    function test_clearFlag_byAnyoneWhenHealthy() public {
        pool.flag(id, borrower);
        uint256 hf = pool.position(id, borrower).healthFactor;
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.PositionUnhealthy.selector, hf));
        pool.clearFlag(id, borrower);
        _setPrice(85e6); // a higher appraisal: healthy again
        vm.expectEmit(address(pool));
        emit ILendingPool.CureFlagCleared(id, borrower);
        vm.prank(outsider);
        pool.clearFlag(id, borrower);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotFlagged.selector, id, borrower));
        pool.clearFlag(id, borrower);
    }

    /// @dev The case the appraisal rule exists for: flagged, healthy again under a higher appraisal that nobody
    /// reported, unhealthy again under a third: the old flag must not skip the new window.
    function test_flagOverAHealthyAppraisal_doesNotHold() public {
        pool.flag(id, borrower);
        vm.warp(block.timestamp + 1 hours);
        _setPrice(85e6); // healthy, and nobody clears the flag
        vm.warp(block.timestamp + 1 hours);
        _dip(); // unhealthy again, two appraisals after the flag
        vm.warp(block.timestamp + CURE_WINDOW);
        vm.assertFalse(pool.isLiquidatable(id, borrower), "the flag does not hold");
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotFlagged.selector, id, borrower));
        auction.start(id, borrower, keeper);
        // Flagging again starts a whole new window.
        pool.flag(id, borrower);
        vm.assertEq(pool.cureFlag(id, borrower).flaggedAt, block.timestamp, "a new window");
    }

    function test_flag_carriesToTheNextLowerAppraisal() public {
        pool.flag(id, borrower);
        uint256 flaggedAt = block.timestamp;
        vm.warp(block.timestamp + 6 hours);
        _setPrice(77e6); // lower: the position cannot have been healthy in between
        vm.warp(flaggedAt + CURE_WINDOW);
        vm.assertTrue(pool.isLiquidatable(id, borrower), "carried");
        uint256 seq = oracle.appraisalCount(address(token));
        vm.expectEmit(address(pool));
        emit ILendingPool.CureFlagged(id, borrower, flaggedAt, seq, _price(77e6));
        _start();
    }

    function test_flag_doesNotCarryToAHigherAppraisal() public {
        pool.flag(id, borrower);
        vm.warp(block.timestamp + 6 hours);
        _setPrice(78.5e6); // higher but still unhealthy: it may have been healthy at its start
        vm.warp(block.timestamp + CURE_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotFlagged.selector, id, borrower));
        auction.start(id, borrower, keeper);
    }

    function test_reflag_underTheNextLowerAppraisal_keepsTheStart() public {
        pool.flag(id, borrower);
        uint256 flaggedAt = block.timestamp;
        vm.warp(block.timestamp + 6 hours);
        _setPrice(77e6);
        pool.flag(id, borrower); // confirms under the new appraisal
        vm.warp(block.timestamp + 6 hours);
        _setPrice(76e6); // two appraisals after the first flag, one after its confirmation
        vm.assertEq(pool.cureFlag(id, borrower).flaggedAt, flaggedAt, "the window did not restart");
        vm.warp(flaggedAt + CURE_WINDOW);
        _start();
    }

    /// @dev Flagged at $78, one new appraisal at any price, the window over: the auction opens exactly when the
    /// position is unhealthy and either under the floor or the flag holds (the new appraisal is no higher).
    function testFuzz_oneAppraisalAfterTheFlag(uint256 cents) public {
        pool.flag(id, borrower);
        uint256 flaggedAt = block.timestamp;
        cents = bound(cents, 6000, 9000);
        _setPrice(cents * 1e4);
        vm.warp(flaggedAt + CURE_WINDOW);
        uint256 hf = pool.position(id, borrower).healthFactor;
        bool open = hf < WAD && (hf < HARD_FLOOR || cents <= 7800);
        vm.assertEq(pool.isLiquidatable(id, borrower), open, "isLiquidatable");
        vm.prank(keeper);
        try auction.start(id, borrower, keeper) {
            vm.assertTrue(open, "started when it should not");
        } catch (bytes memory reason) {
            vm.assertFalse(open, "refused when it should start");
            bytes memory expected = hf >= WAD
                ? abi.encodeWithSelector(ILendingPool.PositionHealthy.selector, hf)
                : abi.encodeWithSelector(ILendingPool.NotFlagged.selector, id, borrower);
            vm.assertEq(keccak256(reason), keccak256(expected), "the specific error");
        }
    }

    // ------------------------------------------------------------------ a fixed-incentive market with a window

    function _fixedMarketWithWindow() internal returns (MarketId m) {
        token = _listProperty("FHFIXW", IERC20(address(usd)));
        params = _marketParams(address(token), address(usd));
        vm.prank(owner);
        m = pool.createMarketWithTerms(
            params, LiquidationTerms(address(0), CURE_WINDOW, HARD_FLOOR), _auctionParams()
        );
        id = m;
        _approveAll(borrower, token);
        _openLoan();
        _dip();
    }

    function test_fixedLiquidation_respectsTheWindow() public {
        MarketId m = _fixedMarketWithWindow();
        _fund(liquidator, 10_000e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotFlagged.selector, m, borrower));
        vm.prank(liquidator);
        pool.liquidate(m, borrower, 1000e6, liquidator);
        pool.flag(m, borrower);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILendingPool.CureWindowOpen.selector, m, borrower, block.timestamp + CURE_WINDOW
            )
        );
        vm.prank(liquidator);
        pool.liquidate(m, borrower, 1000e6, liquidator);
        vm.warp(block.timestamp + CURE_WINDOW);
        vm.prank(liquidator);
        pool.liquidate(m, borrower, 1000e6, liquidator);
    }

    function test_fixedLiquidation_underTheFloor_atOnce() public {
        MarketId m = _fixedMarketWithWindow();
        _crash();
        _fund(liquidator, 10_000e6);
        vm.prank(liquidator);
        pool.liquidate(m, borrower, type(uint256).max, liquidator);
    }

    function test_fixedLiquidation_onAnAuctionMarket_reverts() public {
        _fund(liquidator, 10_000e6);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.FixedLiquidationDisabled.selector, id));
        vm.prank(liquidator);
        pool.liquidate(id, borrower, 1000e6, liquidator);
    }
}
