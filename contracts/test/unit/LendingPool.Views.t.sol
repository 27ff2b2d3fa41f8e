// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {ILendingPool, MarketId, Market, Position, PositionView} from "../../src/interfaces/ILendingPool.sol";

/// @notice The views: position() valuation, positionShares(), market(), marketParams(), the constants.
contract LendingPoolViewsTest is PoolFixture {
    MarketId internal constant UNKNOWN = MarketId.wrap(bytes32(uint256(0xdead)));

    function test_constants() public view {
        vm.assertEq(pool.WAD(), 1e18, "WAD");
        vm.assertEq(pool.PRICE_SCALE(), 1e36, "PRICE_SCALE");
        vm.assertEq(pool.CLOSE_FACTOR_HF_THRESHOLD(), 0.95e18, "close factor threshold");
        vm.assertEq(pool.DEFAULT_CLOSE_FACTOR(), 0.5e18, "close factor");
    }

    function test_position_emptyAccount() public view {
        PositionView memory v = pool.position(id, outsider);
        vm.assertEq(v.supplyShares + v.supplyAssets + v.borrowShares + v.debt + v.collateral, 0, "empty");
        vm.assertEq(
            v.collateralValue + v.ltv + v.liquidationPrice + v.maxBorrowable + v.claimableRent, 0, "empty"
        );
        vm.assertEq(v.healthFactor, type(uint256).max, "no debt: max health");
        vm.assertEq(v.price, _price(INITIAL_USD), "the appraisal");
        vm.assertEq(v.priceUpdatedAt, block.timestamp, "its time");
        vm.assertFalse(v.priceStale, "fresh");
    }

    function test_position_valuesABorrower() public {
        _openPosition(borrower, 100_000e6, 10e18, 500e6);
        PositionView memory v = pool.position(id, borrower);
        vm.assertEq(v.debt, 500e6, "debt");
        vm.assertEq(v.collateral, 10e18, "collateral");
        vm.assertEq(v.collateralValue, 1000e6, "10 tokens at $100");
        vm.assertEq(v.ltv, 0.5e18, "50%");
        vm.assertEq(v.healthFactor, 1.5e18, "750 / 500");
        vm.assertEq(v.maxBorrowable, 150e6, "650 - 500");
        vm.assertEq(
            v.liquidationPrice,
            _mulDivUp(_mulDivUp(500e6, WAD, LLTV), PRICE_SCALE, 10e18),
            "500 / (10 * 0.75) = $66.67, rounded up"
        );
        vm.assertEq(v.supplyAssets, 0, "no supply");
    }

    function test_position_lenderSupplyAssetsRoundDown() public {
        _openPosition(borrower, 100_000e6, 1000e18, 50_000e6);
        vm.warp(block.timestamp + 77 days);
        Market memory m = pool.market(id);
        PositionView memory v = pool.position(id, lender);
        vm.assertEq(v.supplyShares, 100_000e6 * VIRTUAL_SHARES, "shares");
        vm.assertEq(
            v.supplyAssets, _toAssetsDown(v.supplyShares, m.totalSupplyAssets, m.totalSupplyShares), "assets"
        );
        vm.assertGt(v.supplyAssets, 100_000e6, "earned interest, in the view");
    }

    function test_position_staleFlagAndNoValue() public {
        _openPosition(borrower, 100_000e6, 10e18, 500e6);
        uint256 appraisedAt = block.timestamp;
        _setRawPrice(1); // worth nothing in loan-token base units
        _makePriceStale();
        PositionView memory v = pool.position(id, borrower);
        vm.assertTrue(v.priceStale, "stale");
        vm.assertEq(v.priceUpdatedAt, appraisedAt, "appraisal time");
        vm.assertEq(v.collateralValue, 0, "no value");
        vm.assertEq(v.ltv, type(uint256).max, "debt without value");
        vm.assertEq(v.healthFactor, 0, "zero health");
        vm.assertEq(v.maxBorrowable, 0, "nothing more");
    }

    /// @dev ILendingPool: liquidatable exactly when the price is below liquidationPrice. 7 tokens, $450 of
    /// debt: a case where a formula dividing by the collateral first overshot by one.
    function test_position_liquidatableJustBelowLiquidationPrice() public {
        _openPosition(borrower, 100_000e6, 7e18, 450e6);
        uint256 liquidationPrice = pool.position(id, borrower).liquidationPrice;
        _setRawPrice(liquidationPrice - 1);
        vm.assertTrue(pool.isLiquidatable(id, borrower), "below the liquidation price: liquidatable");
    }

    function test_position_healthyAtLiquidationPrice() public {
        _openPosition(borrower, 100_000e6, 10e18, 650e6);
        PositionView memory v = pool.position(id, borrower);
        _setRawPrice(v.liquidationPrice);
        vm.assertFalse(pool.isLiquidatable(id, borrower), "at the liquidation price: healthy");
        vm.assertGe(pool.position(id, borrower).healthFactor, WAD, "health at least 1");
    }

    /// @dev price < liquidationPrice <=> liquidatable, for any debt, collateral and price.
    function testFuzz_position_liquidationPriceIsExactThreshold(
        uint256 collateral,
        uint256 debtUsd,
        uint256 offset
    ) public {
        collateral = bound(collateral, 1e12, 1e24);
        uint256 value = _value(collateral, _price(INITIAL_USD));
        uint256 debt = bound(debtUsd, 1, value * MAX_LTV / WAD);
        vm.assume(debt > 0);
        _openPosition(borrower, 1e17, collateral, debt);
        uint256 liquidationPrice = pool.position(id, borrower).liquidationPrice;
        uint256 price = liquidationPrice - bound(offset, 0, 3) + 1; // liquidationPrice - 2 .. liquidationPrice + 1
        _setRawPrice(price);
        vm.assertEq(pool.isLiquidatable(id, borrower), price < liquidationPrice, "threshold");
    }

    function test_positionShares_returnsTheStoredPosition() public {
        _openPosition(borrower, 100_000e6, 10e18, 500e6);
        _supply(borrower, 7e6);
        vm.warp(block.timestamp + 10 days);
        Position memory p = pool.positionShares(id, borrower);
        vm.assertEq(p.supplyShares, 7e6 * VIRTUAL_SHARES, "supply shares");
        vm.assertEq(p.borrowShares, 500e6 * VIRTUAL_SHARES, "borrow shares, unchanged by time");
        vm.assertEq(p.collateral, 10e18, "collateral");
        vm.assertEq(p.rentIndexPaid + p.rentAccrued, 0, "no rent");
    }

    function test_market_accruesInTheView() public {
        _openPosition(borrower, 100_000e6, 1000e18, 50_000e6);
        vm.warp(block.timestamp + 1 days);
        Market memory viewed = pool.market(id);
        vm.assertGt(viewed.totalBorrowAssets, 50_000e6, "interest in the view");
        vm.assertEq(viewed.lastUpdate, block.timestamp, "as of now");
        vm.assertEq(viewed.totalCollateral, 1000e18, "collateral");
    }

    function test_views_revertWhenMarketNotFound() public {
        bytes memory err = abi.encodeWithSelector(ILendingPool.MarketNotFound.selector, UNKNOWN);
        vm.expectRevert(err);
        pool.market(UNKNOWN);
        vm.expectRevert(err);
        pool.marketParams(UNKNOWN);
        vm.expectRevert(err);
        pool.position(UNKNOWN, borrower);
        vm.expectRevert(err);
        pool.positionShares(UNKNOWN, borrower);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_position_matchesIndependentMath(
        uint256 collateral,
        uint256 ltv,
        uint256 priceUsd,
        uint256 elapsed
    ) public {
        collateral = bound(collateral, 1, 1e24);
        _openPosition(borrower2, 1e16, 1e25, 1e14); // another borrower: a share price that drifts
        _lock(borrower, collateral);
        uint256 debt = _value(collateral, _price(INITIAL_USD)) * bound(ltv, 0, MAX_LTV) / WAD;
        if (debt != 0) _borrow(borrower, debt);
        vm.warp(block.timestamp + bound(elapsed, 0, 2 * 365 days));
        uint256 price = _price(bound(priceUsd, 1, 1e12));
        _setRawPrice(price);

        Market memory m = pool.market(id);
        Position memory p = pool.positionShares(id, borrower);
        PositionView memory v = pool.position(id, borrower);
        uint256 expectedDebt = _toAssetsUp(p.borrowShares, m.totalBorrowAssets, m.totalBorrowShares);
        uint256 value = _value(collateral, price);
        vm.assertEq(v.debt, expectedDebt, "debt, rounded up");
        vm.assertEq(v.collateralValue, value, "value, rounded down");
        vm.assertEq(v.price, price, "price");
        if (expectedDebt == 0) {
            vm.assertEq(v.ltv, 0, "ltv without debt");
            vm.assertEq(v.healthFactor, type(uint256).max, "health without debt");
            vm.assertEq(v.liquidationPrice, 0, "liquidation price without debt");
        } else if (value == 0) {
            vm.assertEq(v.ltv, type(uint256).max, "ltv without value");
            vm.assertEq(v.healthFactor, 0, "health without value");
        } else {
            vm.assertEq(v.ltv, _mulDivUp(expectedDebt, WAD, value), "ltv = debt / value, rounded up");
            // forge-lint: disable-next-line(divide-before-multiply)
            vm.assertEq(v.healthFactor, (value * LLTV / WAD) * WAD / expectedDebt, "hf, rounded down");
        }
        if (expectedDebt != 0) {
            // contracts/README.md: ⌈⌈debt × 1e18 / lltv⌉ × 1e36 / collateral⌉.
            uint256 liquidationPrice = _mulDivUp(_mulDivUp(expectedDebt, WAD, LLTV), PRICE_SCALE, collateral);
            vm.assertEq(v.liquidationPrice, liquidationPrice, "liquidation price, as documented");
        }
        uint256 maxDebt = value * MAX_LTV / WAD;
        uint256 headroom = maxDebt > expectedDebt ? maxDebt - expectedDebt : 0;
        if (headroom != 0) {
            // contracts/README.md: headroom, or one less when borrowing it would round the debt over.
            uint256 newShares = _toSharesUp(headroom, m.totalBorrowAssets, m.totalBorrowShares);
            uint256 debtAfter = _toAssetsUp(
                p.borrowShares + newShares, m.totalBorrowAssets + headroom, m.totalBorrowShares + newShares
            );
            if (debtAfter > maxDebt) headroom -= 1;
        }
        vm.assertEq(v.maxBorrowable, headroom, "maxBorrowable");
        vm.assertEq(v.healthFactor < WAD, pool.isLiquidatable(id, borrower), "hf < 1 iff liquidatable");
    }

    /// @dev maxBorrowable is exactly the largest borrow the maxLtv check accepts: borrowing it succeeds
    /// (given liquidity) and one unit more is refused, also once the borrow share price has drifted.
    function testFuzz_position_maxBorrowableIsExactlyBorrowable(
        uint256 collateral,
        uint256 ltv,
        uint256 priceUsd,
        uint256 elapsed
    ) public {
        collateral = bound(collateral, 1e15, 1e24);
        _openPosition(borrower2, 1e17, 1e24, 3e13); // 30% utilization, a drifting share price
        _lock(borrower, collateral);
        uint256 debt = _value(collateral, _price(INITIAL_USD)) * bound(ltv, 0, MAX_LTV) / WAD;
        if (debt != 0) _borrow(borrower, debt);
        vm.warp(block.timestamp + bound(elapsed, 0, 2 * 365 days));
        _setPrice(bound(priceUsd, 1e6, 1e9));

        uint256 maxBorrowable = pool.position(id, borrower).maxBorrowable;
        uint256 maxDebt = pool.position(id, borrower).collateralValue * MAX_LTV / WAD;
        Market memory m = pool.market(id);
        uint256 shares = pool.positionShares(id, borrower).borrowShares;

        // One unit more than the view allows is refused with the debt it would have made.
        uint256 more = maxBorrowable + 1;
        uint256 newShares = _toSharesUp(more, m.totalBorrowAssets, m.totalBorrowShares);
        uint256 debtAfter =
            _toAssetsUp(shares + newShares, m.totalBorrowAssets + more, m.totalBorrowShares + newShares);
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MaxLtvExceeded.selector, debtAfter, maxDebt));
        _borrow(borrower, more);
        if (maxBorrowable == 0) return;

        _borrow(borrower, maxBorrowable);
        vm.assertLe(pool.position(id, borrower).debt, maxDebt, "borrowed up to maxLtv");
        vm.assertEq(pool.position(id, borrower).maxBorrowable, 0, "nothing more");
    }
}
