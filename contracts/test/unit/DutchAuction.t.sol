// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {AuctionFixture} from "../utils/AuctionFixture.sol";
import {ILendingPool, MarketId, Market, Position, CureFlag} from "../../src/interfaces/ILendingPool.sol";
import {IDutchAuction, Auction} from "../../src/interfaces/IDutchAuction.sol";

/// @notice Starting, taking and restarting auctions: the documented amounts worked out independently, the
/// books of the pool, the lock, the leftovers, the bad debt, and one revert per rule.
contract DutchAuctionTest is AuctionFixture {
    uint256 internal constant LOT = 100e18;

    function setUp() public override {
        super.setUp();
        _openLoan();
        _crash(); // $70: under the hard floor, so no window to wait for
        _fund(taker, 100_000e6);
    }

    /// @dev What `start` should do, from the state before it (same block, so interest is already in the view).
    struct Expected {
        uint256 penalty;
        uint256 penaltyShares;
        uint256 reward;
        uint256 rewardShares;
        uint256 tab;
        uint256 top;
        uint256 floor;
    }

    function _expectStart() internal view returns (Expected memory e) {
        Market memory m = pool.market(id);
        Position memory pos = pool.positionShares(id, borrower);
        uint256 debt = _toAssetsUp(pos.borrowShares, m.totalBorrowAssets, m.totalBorrowShares);
        e.penalty = _mulDivUp(debt, PENALTY, WAD);
        e.penaltyShares = _toSharesUp(e.penalty, m.totalBorrowAssets, m.totalBorrowShares);
        uint256 assets = m.totalBorrowAssets + e.penalty;
        uint256 shares = m.totalBorrowShares + e.penaltyShares;
        uint256 debtAfterPenalty = _toAssetsUp(pos.borrowShares + e.penaltyShares, assets, shares);
        e.reward = FLAT_FEE + debtAfterPenalty * FEE_RATE / WAD;
        if (e.reward > FEE_CAP) e.reward = FEE_CAP;
        e.rewardShares = _toSharesUp(e.reward, assets, shares);
        e.tab = _toAssetsUp(
            pos.borrowShares + e.penaltyShares + e.rewardShares, assets + e.reward, shares + e.rewardShares
        );
        (uint256 appraisal,) = oracle.latestPrice(address(token));
        e.top = _mulDivUp(appraisal, PREMIUM, WAD);
        e.floor = _mulDivUp(appraisal, FLOOR_RATIO, WAD);
    }

    function test_start_chargesPenaltyPaysKeeperAndEmits() public {
        Expected memory e = _expectStart();
        Market memory before = pool.market(id);
        vm.expectEmit(address(pool));
        emit ILendingPool.AuctionPenalty(id, borrower, e.penalty, e.penaltyShares);
        vm.expectEmit(address(pool));
        emit ILendingPool.Borrow(id, address(auction), borrower, keeper, e.reward, e.rewardShares);
        vm.expectEmit(address(auction));
        emit IDutchAuction.AuctionStarted(
            1,
            id,
            borrower,
            keeper,
            LOT,
            e.tab,
            e.top,
            e.floor,
            block.timestamp,
            block.timestamp + DURATION,
            e.reward
        );
        uint256 auctionId = _start();

        vm.assertEq(auctionId, 1, "first id");
        vm.assertEq(usd.balanceOf(keeper), e.reward, "keeper paid in the loan token");
        Market memory m = pool.market(id);
        vm.assertEq(m.totalSupplyAssets, before.totalSupplyAssets + e.penalty, "lenders earn the penalty");
        vm.assertEq(
            m.totalBorrowAssets, before.totalBorrowAssets + e.penalty + e.reward, "debt grows by both"
        );
        vm.assertEq(m.totalCollateral, before.totalCollateral, "the lot stays in the pool");
        vm.assertEq(pool.position(id, borrower).debt, e.tab, "tab is the debt");
        vm.assertTrue(pool.cureFlag(id, borrower).inAuction, "locked");
        vm.assertEq(auction.activeAuction(id, borrower), 1, "active");
        Auction memory au = auction.auction(1);
        vm.assertEq(au.startPrice, e.top, "top");
        vm.assertEq(au.floorPrice, e.floor, "floor");
    }

    function test_keeperReward_isCapped() public {
        vm.assertEq(auction.keeperReward(id, 1_000_000e6), FEE_CAP, "cap");
        vm.assertEq(auction.keeperReward(id, 6000e6), FLAT_FEE + 6e6, "flat + 0.1%");
    }

    function test_start_keeperGetsOnlyIdleLiquidity() public {
        // Utilization to 100%: a second borrower takes all but 3 USD of the idle liquidity.
        _lock(borrower2, 1_000_000e18);
        uint256 idle = pool.market(id).totalSupplyAssets - pool.market(id).totalBorrowAssets;
        _borrow(borrower2, idle - 3e6);
        _start();
        vm.assertEq(usd.balanceOf(keeper), 3e6, "what there was");
    }

    function test_start_healthy_reverts() public {
        _setPrice(100e6);
        uint256 hf = pool.position(id, borrower).healthFactor;
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.PositionHealthy.selector, hf));
        auction.start(id, borrower, keeper);
    }

    function test_start_twice_reverts() public {
        _start();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.PositionInAuction.selector, id, borrower));
        auction.start(id, borrower, keeper);
    }

    function test_start_onAFixedMarket_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.NotAuctionMarket.selector, fixedId));
        auction.start(fixedId, borrower, keeper);
    }

    function test_start_paused_reverts() public {
        _pause();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.CollateralPaused.selector, address(token)));
        auction.start(id, borrower, keeper);
    }

    function test_hooks_onlyTheMarketsAuction() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotAuction.selector, outsider));
        vm.prank(outsider);
        pool.openAuction(id, borrower, 0);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotAuction.selector, address(auction)));
        vm.prank(address(auction));
        pool.payKeeper(fixedId, borrower, keeper, 1);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.NotAuction.selector, outsider));
        vm.prank(outsider);
        pool.auctionTake(id, borrower, 1, 1, outsider, outsider);
    }

    function test_lockedPosition_refusesEveryBorrowerAction() public {
        _start();
        bytes memory locked = abi.encodeWithSelector(ILendingPool.PositionInAuction.selector, id, borrower);
        _fund(borrower, 100e6);
        _mintProperty(borrower, 1e18);
        vm.startPrank(borrower);
        vm.expectRevert(locked);
        pool.repay(id, 100e6, borrower);
        vm.expectRevert(locked);
        pool.supplyCollateral(id, 1e18, borrower);
        vm.expectRevert(locked);
        pool.withdrawCollateral(id, 1e18, borrower);
        vm.expectRevert(locked);
        pool.borrow(id, 1e6, borrower);
        vm.expectRevert(locked);
        pool.repayWithRent(id);
        vm.expectRevert(locked);
        pool.flag(id, borrower);
        vm.stopPrank();
        vm.assertFalse(pool.isLiquidatable(id, borrower), "already in auction");
    }

    // ------------------------------------------------------------------ the price

    function test_price_fallsLinearlyToTheFloor() public {
        uint256 auctionId = _start();
        Auction memory au = auction.auction(auctionId);
        uint256 t0 = block.timestamp;
        vm.assertEq(auction.priceAt(auctionId, t0), au.startPrice, "top at the start");
        vm.assertEq(auction.priceAt(auctionId, t0 + DURATION), au.floorPrice, "floor at the end");
        for (uint256 elapsed = 1; elapsed < DURATION; elapsed += 3331) {
            vm.assertEq(
                auction.priceAt(auctionId, t0 + elapsed),
                _priceAt(au.startPrice, au.floorPrice, elapsed),
                "curve"
            );
        }
        vm.expectRevert(
            abi.encodeWithSelector(IDutchAuction.AuctionNeedsRestart.selector, auctionId, t0 + DURATION)
        );
        auction.priceAt(auctionId, t0 + DURATION + 1);
    }

    // ------------------------------------------------------------------ takes

    function _take(uint256 auctionId, uint256 amount, uint256 maxPrice) internal returns (uint256, uint256) {
        vm.prank(taker);
        return auction.take(auctionId, amount, maxPrice, taker);
    }

    function test_take_partial_paysThePriceRoundedUp() public {
        uint256 auctionId = _start();
        vm.warp(block.timestamp + 4 hours);
        uint256 price = auction.priceAt(auctionId, block.timestamp);
        uint256 debtBefore = pool.position(id, borrower).debt;
        uint256 usdBefore = usd.balanceOf(taker);
        uint256 paid = _mulDivUp(10e18, price, PRICE_SCALE);
        Market memory m = pool.market(id);
        uint256 shares = _toSharesDown(paid, m.totalBorrowAssets, m.totalBorrowShares);

        vm.expectEmit(address(pool));
        emit ILendingPool.Liquidate(id, taker, borrower, taker, paid, shares, 10e18, 0, 0);
        (uint256 bought, uint256 paidOut) = _take(auctionId, 10e18, price);

        vm.assertEq(bought, 10e18, "bought what was asked");
        vm.assertEq(paidOut, paid, "paid ceil(collateral x price)");
        vm.assertEq(usdBefore - usd.balanceOf(taker), paid, "taker paid");
        vm.assertEq(token.balanceOf(taker), 10e18, "taker received");
        vm.assertEq(pool.positionShares(id, borrower).collateral, LOT - 10e18, "lot shrank");
        vm.assertGe(pool.position(id, borrower).debt + paid, debtBefore, "no debt vanished");
        vm.assertLe(pool.position(id, borrower).debt + paid, debtBefore + 1, "debt fell by the payment");
        vm.assertTrue(pool.cureFlag(id, borrower).inAuction, "still locked");
    }

    function test_take_coveringTheDebt_endsAndReturnsTheRest() public {
        uint256 auctionId = _start();
        vm.warp(block.timestamp + 2 hours);
        uint256 price = auction.priceAt(auctionId, block.timestamp);
        uint256 debt = pool.position(id, borrower).debt;
        uint256 expectedBought = _mulDivUp(debt, PRICE_SCALE, price);

        vm.expectEmit(address(auction));
        emit IDutchAuction.AuctionEnded(auctionId, id, borrower, LOT - expectedBought, 0);
        (uint256 bought, uint256 paid) = _take(auctionId, type(uint256).max, price);

        vm.assertEq(paid, debt, "paid exactly the debt");
        vm.assertEq(bought, expectedBought, "the last slice: ceil(debt / price)");
        Position memory pos = pool.positionShares(id, borrower);
        vm.assertEq(pos.borrowShares, 0, "debt gone");
        vm.assertEq(pos.collateral, LOT - bought, "the rest is the borrower's");
        CureFlag memory f = pool.cureFlag(id, borrower);
        vm.assertFalse(f.inAuction, "unlocked");
        vm.assertEq(auction.activeAuction(id, borrower), 0, "no active auction");
        // The borrower takes its property back.
        vm.prank(borrower);
        pool.withdrawCollateral(id, LOT - bought, borrower);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.AuctionNotActive.selector, auctionId));
        _take(auctionId, 1, type(uint256).max);
    }

    function test_take_wholeLotShort_realisesBadDebt() public {
        _setPrice(70e6 * 9 / 10); // 63: 100 tokens at the floor (50%) fetch 3,150 of ~6,400 owed
        uint256 auctionId = _start();
        vm.warp(block.timestamp + DURATION);
        Market memory m = pool.market(id);
        uint256 debt = pool.position(id, borrower).debt;
        uint256 price = auction.priceAt(auctionId, block.timestamp);
        uint256 paid = _mulDivUp(LOT, price, PRICE_SCALE);
        uint256 paidShares = _toSharesDown(paid, m.totalBorrowAssets, m.totalBorrowShares);
        uint256 badShares = pool.positionShares(id, borrower).borrowShares - paidShares;
        uint256 badAssets =
            _toAssetsUp(badShares, m.totalBorrowAssets - paid, m.totalBorrowShares - paidShares);

        vm.expectEmit(address(pool));
        emit ILendingPool.Liquidate(id, taker, borrower, taker, paid, paidShares, LOT, badAssets, badShares);
        (, uint256 paidOut) = _take(auctionId, LOT, price);
        vm.assertEq(paidOut, paid, "paid for the whole lot");
        vm.assertLe(debt, paid + badAssets + 1, "debt = paid + written off");
        Market memory after_ = pool.market(id);
        vm.assertEq(after_.totalSupplyAssets, m.totalSupplyAssets - badAssets, "lenders bear the write-off");
        vm.assertEq(after_.totalBorrowShares, m.totalBorrowShares - paidShares - badShares, "shares gone");
        vm.assertEq(after_.totalCollateral, m.totalCollateral - LOT, "collateral gone");
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, 0, "nothing owed");
        vm.assertFalse(pool.cureFlag(id, borrower).inAuction, "unlocked");
    }

    function test_take_wholeLotShort_appliesRentBeforeWritingOff() public {
        _setPrice(63e6);
        uint256 auctionId = _start();
        _depositRent(token, 1000e6); // the pool holds the lot: its share of the rent is the borrower's
        vm.warp(block.timestamp + DURATION);
        uint256 rent = pool.position(id, borrower).claimableRent;
        vm.assertGt(rent, 0, "rent earned while in auction");
        uint256 price = auction.priceAt(auctionId, block.timestamp);
        uint256 supplyBefore = pool.market(id).totalSupplyAssets;
        uint256 debt = pool.position(id, borrower).debt;
        uint256 paid = _mulDivUp(LOT, price, PRICE_SCALE);

        vm.expectEmit(true, true, true, false, address(pool));
        emit ILendingPool.RentClaimed(id, borrower, address(pool), rent);
        _take(auctionId, LOT, price);
        uint256 writtenOff = supplyBefore - pool.market(id).totalSupplyAssets;
        vm.assertApproxEqAbs(writtenOff, debt - paid - rent, 2, "the rent paid part of the shortfall");
        vm.assertEq(pool.positionShares(id, borrower).rentAccrued, 0, "all of it");
    }

    function test_debtInAuction_keepsAccruingForLenders() public {
        uint256 auctionId = _start();
        uint256 debt = pool.position(id, borrower).debt;
        uint256 supply = pool.market(id).totalSupplyAssets;
        vm.warp(block.timestamp + 5 hours);
        vm.assertGt(pool.position(id, borrower).debt, debt, "interest on the debt in auction");
        vm.assertGt(pool.market(id).totalSupplyAssets, supply, "earned by lenders");
        _take(auctionId, type(uint256).max, type(uint256).max);
        vm.assertEq(pool.positionShares(id, borrower).borrowShares, 0, "the take paid the interest too");
    }

    function test_take_aboveMaxPrice_reverts() public {
        uint256 auctionId = _start();
        uint256 price = auction.priceAt(auctionId, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.PriceAboveLimit.selector, price, price - 1));
        _take(auctionId, 1e18, price - 1);
    }

    function test_take_moreThanLeft_reverts() public {
        uint256 auctionId = _start();
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.TakeExceedsLot.selector, LOT + 1, LOT));
        _take(auctionId, LOT + 1, type(uint256).max);
    }

    function test_take_byAnUnverifiedHolder_reverts() public {
        uint256 auctionId = _start();
        _fund(outsider, 10_000e6);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.TakerNotAllowed.selector, outsider));
        vm.prank(outsider);
        auction.take(auctionId, 1e18, type(uint256).max, outsider);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.TakerNotAllowed.selector, outsider));
        vm.prank(taker);
        auction.take(auctionId, 1e18, type(uint256).max, outsider);
        _freeze(taker);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.TakerNotAllowed.selector, taker));
        _take(auctionId, 1e18, type(uint256).max);
    }

    function test_take_afterTheEnd_reverts() public {
        uint256 auctionId = _start();
        uint256 endsAt = block.timestamp + DURATION;
        vm.warp(endsAt + 1);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.AuctionNeedsRestart.selector, auctionId, endsAt));
        _take(auctionId, 1e18, type(uint256).max);
    }

    function test_take_zero_andUnknown_revert() public {
        uint256 auctionId = _start();
        vm.expectRevert(IDutchAuction.ZeroTake.selector);
        _take(auctionId, 0, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.AuctionNotActive.selector, 7));
        _take(7, 1e18, type(uint256).max);
    }

    function test_take_paused_reverts() public {
        uint256 auctionId = _start();
        _pause();
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.CollateralPaused.selector, address(token)));
        _take(auctionId, 1e18, type(uint256).max);
    }

    // ------------------------------------------------------------------ restarts

    function test_restart_beforeTheEnd_reverts() public {
        uint256 auctionId = _start();
        uint256 endsAt = block.timestamp + DURATION;
        vm.warp(endsAt);
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.AuctionNotStale.selector, auctionId, endsAt));
        auction.restart(auctionId, keeper);
    }

    function test_restart_repricesAndPaysUpToTheLimit() public {
        uint256 auctionId = _start();
        uint256 paidAtStart = usd.balanceOf(keeper);
        for (uint256 i = 1; i <= PAID_RESTARTS + 1; ++i) {
            vm.warp(block.timestamp + DURATION + 1);
            _setPrice(70e6 - i * 1e6);
            uint256 debt = pool.position(id, borrower).debt;
            uint256 reward = i <= PAID_RESTARTS ? auction.keeperReward(id, debt) : 0;
            uint256 before = usd.balanceOf(keeper);
            vm.assertEq(auction.restart(auctionId, keeper), reward, "reward");
            vm.assertEq(usd.balanceOf(keeper) - before, reward, "paid");
            Auction memory au = auction.auction(auctionId);
            vm.assertEq(au.restarts, i, "count");
            vm.assertEq(au.startedAt, block.timestamp, "clock restarted");
            vm.assertEq(au.startPrice, _mulDivUp(_price(70e6 - i * 1e6), PREMIUM, WAD), "new top");
        }
        vm.assertGt(paidAtStart, 0, "start paid too");
        // A restarted auction sells as before.
        _take(auctionId, 1e18, type(uint256).max);
    }

    function test_restart_stalePrice_reverts() public {
        uint256 auctionId = _start();
        _makePriceStale();
        (, uint256 updatedAt) = oracle.latestPrice(address(token));
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.StalePrice.selector, address(token), updatedAt));
        auction.restart(auctionId, keeper);
    }

    function test_start_andRestart_needAKeeper() public {
        vm.expectRevert(IDutchAuction.ZeroAddress.selector);
        auction.start(id, borrower, address(0));
        uint256 auctionId = _start();
        vm.warp(block.timestamp + DURATION + 1);
        vm.expectRevert(IDutchAuction.ZeroAddress.selector);
        auction.restart(auctionId, address(0));
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev The price never rises within a run, and stays between the floor and the top.
    function testFuzz_price_fallsMonotonicallyBetweenTopAndFloor(uint256 a, uint256 b) public {
        uint256 auctionId = _start();
        Auction memory au = auction.auction(auctionId);
        a = bound(a, 0, DURATION);
        b = bound(b, a, DURATION);
        uint256 pa = auction.priceAt(auctionId, au.startedAt + a);
        uint256 pb = auction.priceAt(auctionId, au.startedAt + b);
        vm.assertGe(pa, pb, "never rises");
        vm.assertLe(pa, au.startPrice, "at most the top");
        vm.assertGe(pb, au.floorPrice, "at least the floor");
        vm.assertEq(pa, _priceAt(au.startPrice, au.floorPrice, a), "the curve");
    }

    function testFuzz_keeperReward_isTheFormulaCapped(uint256 debt) public view {
        debt = bound(debt, 0, 1e30);
        uint256 expected = FLAT_FEE + debt * FEE_RATE / WAD;
        vm.assertEq(auction.keeperReward(id, debt), expected < FEE_CAP ? expected : FEE_CAP, "reward");
    }

    /// @dev Any take at any time: the amounts follow sizeTake, the taker never pays more than the price
    /// rounded up nor less than it (except the slice that clears the debt, by less than one base unit of
    /// collateral), and the books move by exactly what the event says.
    function testFuzz_take_followsTheRule(uint256 elapsed, uint256 amount) public {
        uint256 auctionId = _start();
        elapsed = bound(elapsed, 0, DURATION);
        vm.warp(block.timestamp + elapsed);
        uint256 lot = pool.positionShares(id, borrower).collateral;
        amount = bound(amount, 1, lot);
        uint256 price = auction.priceAt(auctionId, block.timestamp);
        uint256 debt = pool.position(id, borrower).debt;
        (uint256 wantBought, uint256 wantPaid) = auction.sizeTake(lot, debt, amount, price);
        Market memory m = pool.market(id);

        (uint256 bought, uint256 paid) = _take(auctionId, amount, price);

        vm.assertEq(bought, wantBought, "bought");
        vm.assertEq(paid, wantPaid, "paid");
        vm.assertLe(bought, amount, "never more than asked");
        vm.assertLe(paid, _mulDivUp(bought, price, PRICE_SCALE), "never above the price");
        vm.assertLe(paid, debt, "never more than owed");
        if (paid < debt) vm.assertEq(paid, _mulDivUp(bought, price, PRICE_SCALE), "the price, rounded up");
        else vm.assertGt(paid * PRICE_SCALE + price, bought * price, "the last slice: under one unit");
        Market memory after_ = pool.market(id);
        vm.assertEq(after_.totalCollateral, m.totalCollateral - bought, "collateral out");
        // Lenders lose only a write-off, and only when the lot ran out.
        uint256 badDebt = m.totalSupplyAssets - after_.totalSupplyAssets;
        if (bought < lot) vm.assertEq(badDebt, 0, "no write-off while collateral is left");
        vm.assertEq(m.totalBorrowAssets - after_.totalBorrowAssets, paid + badDebt, "repaid and written off");
    }
}
