// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {PoolFixture} from "../utils/PoolFixture.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {MockStablecoin} from "../../src/mocks/MockStablecoin.sol";
import {IAppraisalOracle} from "../../src/interfaces/IAppraisalOracle.sol";
import {ILendingPool, MarketId, MarketParams, Market} from "../../src/interfaces/ILendingPool.sol";

/// @notice createMarket: validation (each reason), ownership, the oracle precondition, the event.
contract LendingPoolCreateMarketTest is PoolFixture {
    PropertyToken internal token2;
    MarketParams internal p2;

    function setUp() public override {
        super.setUp();
        token2 = _listProperty("FHTEST0002", IERC20(address(usd)));
        p2 = _marketParams(address(token2), address(usd));
    }

    function _expectInvalid(MarketParams memory p, string memory reason) internal {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.InvalidMarketParams.selector, reason));
        vm.prank(owner);
        pool.createMarket(p);
    }

    function test_createMarket_storesParamsAndEmits() public {
        MarketId expected = MarketId.wrap(keccak256(abi.encode(address(token2), address(usd))));
        vm.warp(1_700_000_000);

        vm.expectEmit(address(pool));
        emit ILendingPool.MarketCreated(expected, p2);
        MarketId created = _createMarket(p2);

        vm.assertEq(MarketId.unwrap(created), MarketId.unwrap(expected), "id is keccak(collateral, loan)");
        vm.assertEq(
            MarketId.unwrap(pool.marketId(address(token2), address(usd))),
            MarketId.unwrap(expected),
            "marketId"
        );
        vm.assertEq(
            keccak256(abi.encode(pool.marketParams(created))),
            keccak256(abi.encode(p2)),
            "params stored as given"
        );
        Market memory m = pool.market(created);
        vm.assertEq(m.lastUpdate, 1_700_000_000, "lastUpdate");
        vm.assertEq(m.totalSupplyAssets + m.totalSupplyShares + m.totalBorrowAssets, 0, "empty totals");
        vm.assertEq(m.totalBorrowShares + m.totalCollateral, 0, "empty totals");

        MarketId[] memory ids = pool.marketIds();
        vm.assertEq(ids.length, 2, "two markets");
        vm.assertEq(MarketId.unwrap(ids[0]), MarketId.unwrap(id), "creation order");
        vm.assertEq(MarketId.unwrap(ids[1]), MarketId.unwrap(created), "creation order");
    }

    function test_createMarket_acceptsTheBoundaries() public {
        p2.lltv = 0.99e18;
        p2.maxLtv = 0.99e18 - 1;
        p2.liquidationIncentive = pool.maxLiquidationIncentive(0.99e18);
        p2.baseRatePerYear = 10e18;
        p2.slope1PerYear = 10e18;
        p2.slope2PerYear = 10e18;
        p2.kinkUtilization = 1;
        MarketId created = _createMarket(p2);
        vm.assertEq(
            keccak256(abi.encode(pool.marketParams(created))), keccak256(abi.encode(p2)), "params stored"
        );
    }

    function test_createMarket_sameCollateralWithAnotherLoanTokenIsAnotherMarket() public {
        MockStablecoin usd2 = new MockStablecoin();
        MarketId other = _createMarket(_marketParams(address(token), address(usd2)));
        vm.assertTrue(MarketId.unwrap(other) != MarketId.unwrap(id), "distinct ids");
        vm.assertEq(pool.marketParams(other).loanToken, address(usd2), "loan token");
    }

    function test_createMarket_revertsWhenNotOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, admin));
        vm.prank(admin);
        pool.createMarket(p2);
    }

    function test_createMarket_revertsWhenMarketAlreadyExists() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketAlreadyExists.selector, id));
        vm.prank(owner);
        pool.createMarket(params);
    }

    function test_createMarket_revertsWhenCollateralIsZeroAddress() public {
        p2.collateralToken = address(0);
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(owner);
        pool.createMarket(p2);
    }

    function test_createMarket_revertsWhenLoanTokenIsZeroAddress() public {
        p2.loanToken = address(0);
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(owner);
        pool.createMarket(p2);
    }

    function test_createMarket_revertsWhenOracleIsZeroAddress() public {
        p2.oracle = address(0);
        vm.expectRevert(ILendingPool.ZeroAddress.selector);
        vm.prank(owner);
        pool.createMarket(p2);
    }

    function test_createMarket_revertsWhenCollateralEqualsLoanToken() public {
        p2.loanToken = address(token2);
        _expectInvalid(p2, "collateral equals loan token");
    }

    function test_createMarket_revertsWhenLltvZero() public {
        p2.lltv = 0;
        _expectInvalid(p2, "lltv outside (0, 1)");
    }

    function test_createMarket_revertsWhenLltvOne() public {
        p2.lltv = WAD;
        _expectInvalid(p2, "lltv outside (0, 1)");
    }

    function test_createMarket_revertsWhenMaxLtvZero() public {
        p2.maxLtv = 0;
        _expectInvalid(p2, "maxLtv outside (0, lltv)");
    }

    function test_createMarket_revertsWhenMaxLtvEqualsLltv() public {
        p2.maxLtv = p2.lltv;
        _expectInvalid(p2, "maxLtv outside (0, lltv)");
    }

    function test_createMarket_revertsWhenIncentiveIsOne() public {
        p2.liquidationIncentive = WAD;
        _expectInvalid(p2, "incentive outside (1, maxLiquidationIncentive(lltv)]");
    }

    function test_createMarket_revertsWhenIncentiveAboveMax() public {
        p2.liquidationIncentive = pool.maxLiquidationIncentive(p2.lltv) + 1;
        _expectInvalid(p2, "incentive outside (1, maxLiquidationIncentive(lltv)]");
    }

    function test_createMarket_revertsWhenKinkZero() public {
        p2.kinkUtilization = 0;
        _expectInvalid(p2, "kink outside (0, 1)");
    }

    function test_createMarket_revertsWhenKinkOne() public {
        p2.kinkUtilization = WAD;
        _expectInvalid(p2, "kink outside (0, 1)");
    }

    function test_createMarket_revertsWhenBaseRateAboveMax() public {
        p2.baseRatePerYear = 10e18 + 1;
        _expectInvalid(p2, "rate above 1000% per year");
    }

    function test_createMarket_revertsWhenSlope1AboveMax() public {
        p2.slope1PerYear = 10e18 + 1;
        _expectInvalid(p2, "rate above 1000% per year");
    }

    function test_createMarket_revertsWhenSlope2AboveMax() public {
        p2.slope2PerYear = 10e18 + 1;
        _expectInvalid(p2, "rate above 1000% per year");
    }

    function test_createMarket_revertsWhenOracleHasNoFeed() public {
        PropertyToken unpriced =
            new PropertyToken("X", "X", "X", "US-MI", registry, IERC20(address(usd)), admin);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.UnknownFeed.selector, address(unpriced)));
        vm.prank(owner);
        pool.createMarket(_marketParams(address(unpriced), address(usd)));
    }

    function test_createMarket_revertsWhenOracleHasNoPrice() public {
        PropertyToken unpriced =
            new PropertyToken("X", "X", "X", "US-MI", registry, IERC20(address(usd)), admin);
        vm.prank(admin);
        oracle.configureFeed(address(unpriced), MAX_AGE, MAX_MOVE_BPS);
        vm.expectRevert(abi.encodeWithSelector(IAppraisalOracle.NoPrice.selector, address(unpriced)));
        vm.prank(owner);
        pool.createMarket(_marketParams(address(unpriced), address(usd)));
    }

    function test_maxLiquidationIncentive_followsMorphosBound() public view {
        // 1 / (1 - 0.3 * (1 - lltv)), rounded down, capped at 1.15.
        vm.assertEq(pool.maxLiquidationIncentive(0.75e18), WAD * WAD / 0.925e18, "lltv 75%");
        vm.assertEq(pool.maxLiquidationIncentive(0.98e18), WAD * WAD / 0.994e18, "lltv 98%");
        vm.assertEq(pool.maxLiquidationIncentive(0.5e18), 1.15e18, "capped at 1.15");
        vm.assertEq(pool.maxLiquidationIncentive(0), 1.15e18, "capped at 1.15");
    }
}
