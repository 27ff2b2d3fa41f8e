// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AuctionFixture} from "../utils/AuctionFixture.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {ILendingPool, MarketId, MarketParams, LiquidationTerms} from "../../src/interfaces/ILendingPool.sol";
import {IDutchAuction, AuctionParams} from "../../src/interfaces/IDutchAuction.sol";

/// @notice createMarketWithTerms: the events, the id, the terms fixed forever, and one revert per bound.
contract DutchAuctionCreateTest is AuctionFixture {
    PropertyToken internal token2;
    MarketParams internal p2;

    function setUp() public override {
        super.setUp();
        token2 = _listProperty("FHTEST0002", IERC20(address(usd)));
        p2 = _marketParams(address(token2), address(usd));
    }

    function _create(LiquidationTerms memory t, AuctionParams memory a) internal returns (MarketId) {
        vm.prank(owner);
        return pool.createMarketWithTerms(p2, t, a);
    }

    function test_createWithTerms_emitsAndStoresEverything() public {
        MarketId expected = pool.marketId(address(token2), address(usd));
        vm.expectEmit(address(pool));
        emit ILendingPool.MarketCreated(expected, p2);
        vm.expectEmit(address(pool));
        emit ILendingPool.LiquidationTermsSet(expected, address(auction), CURE_WINDOW, HARD_FLOOR);
        vm.expectEmit(address(auction));
        emit IDutchAuction.AuctionMarketConfigured(expected, _auctionParams());
        MarketId created = _create(_terms(), _auctionParams());

        vm.assertEq(MarketId.unwrap(created), MarketId.unwrap(expected), "same id as createMarket");
        LiquidationTerms memory t = pool.liquidationTerms(created);
        vm.assertEq(t.auction, address(auction), "auction");
        vm.assertEq(t.cureWindow, CURE_WINDOW, "window");
        vm.assertEq(t.hardFloorHealth, HARD_FLOOR, "floor");
        AuctionParams memory a = auction.auctionParams(created);
        vm.assertEq(a.startPremium, PREMIUM, "premium");
        vm.assertEq(a.maxPaidRestarts, PAID_RESTARTS, "restarts");
    }

    function test_createMarket_hasZeroTerms() public {
        LiquidationTerms memory t = pool.liquidationTerms(fixedId);
        vm.assertEq(t.auction, address(0), "fixed incentive");
        vm.assertEq(t.cureWindow, 0, "no window");
        vm.assertEq(t.hardFloorHealth, 0, "no floor");
    }

    function test_createWithTerms_fixedIncentiveWithWindow() public {
        LiquidationTerms memory t = LiquidationTerms(address(0), 2 days, 0.8e18);
        MarketId created = _create(t, _auctionParams());
        vm.assertEq(pool.liquidationTerms(created).cureWindow, 2 days, "window");
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.NotAuctionMarket.selector, created));
        auction.auctionParams(created);
    }

    function test_createWithTerms_onlyOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, outsider));
        vm.prank(outsider);
        pool.createMarketWithTerms(p2, _terms(), _auctionParams());
    }

    function test_createWithTerms_sameIdTwiceReverts() public {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.MarketAlreadyExists.selector, id));
        vm.prank(owner);
        pool.createMarketWithTerms(params, _terms(), _auctionParams());
    }

    function test_configureMarket_onlyPool() public {
        vm.expectRevert(abi.encodeWithSelector(IDutchAuction.NotPool.selector, owner));
        vm.prank(owner);
        auction.configureMarket(id, _auctionParams());
    }

    function _expectCure(LiquidationTerms memory t, string memory name, uint256 value, uint256 lo, uint256 hi)
        internal
    {
        vm.expectRevert(abi.encodeWithSelector(ILendingPool.InvalidCureTerms.selector, name, value, lo, hi));
        _create(t, _auctionParams());
    }

    function test_cureTerms_bounds() public {
        _expectCure(
            LiquidationTerms(address(auction), 30 days + 1, 0.9e18), "cureWindow", 30 days + 1, 0, 30 days
        );
        _expectCure(LiquidationTerms(address(auction), 0, 0.9e18), "hardFloorHealth", 0.9e18, 0, 0);
        _expectCure(
            LiquidationTerms(address(auction), 1 days, 0.5e18 - 1),
            "hardFloorHealth",
            0.5e18 - 1,
            0.5e18,
            1e18 - 1
        );
        _expectCure(
            LiquidationTerms(address(auction), 1 days, 1e18), "hardFloorHealth", 1e18, 0.5e18, 1e18 - 1
        );
        // The bounds themselves are accepted.
        _create(LiquidationTerms(address(auction), 30 days, 0.5e18), _auctionParams());
    }

    function _expectParam(AuctionParams memory a, string memory name, uint256 value, uint256 lo, uint256 hi)
        internal
    {
        vm.expectRevert(
            abi.encodeWithSelector(IDutchAuction.InvalidAuctionParam.selector, name, value, lo, hi)
        );
        _create(_terms(), a);
    }

    function test_auctionParams_bounds() public {
        AuctionParams memory a = _auctionParams();
        a.startPremium = 1e18 - 1;
        _expectParam(a, "startPremium", 1e18 - 1, 1e18, 1.5e18);
        a.startPremium = 1.5e18 + 1;
        _expectParam(a, "startPremium", 1.5e18 + 1, 1e18, 1.5e18);

        a = _auctionParams();
        a.floorRatio = 0.2e18 - 1;
        _expectParam(a, "floorRatio", 0.2e18 - 1, 0.2e18, 1e18);
        a.startPremium = 1e18;
        a.floorRatio = 1e18;
        _expectParam(a, "floorRatio", 1e18, 0.2e18, 1e18 - 1); // the floor must sit below the start

        a = _auctionParams();
        a.duration = 1 hours - 1;
        _expectParam(a, "duration", 1 hours - 1, 1 hours, 30 days);
        a.duration = 30 days + 1;
        _expectParam(a, "duration", 30 days + 1, 1 hours, 30 days);

        a = _auctionParams();
        a.penalty = 0.15e18 + 1;
        _expectParam(a, "penalty", 0.15e18 + 1, 0, 0.15e18);

        a = _auctionParams();
        a.keeperFeeRate = 0.02e18 + 1;
        _expectParam(a, "keeperFeeRate", 0.02e18 + 1, 0, 0.02e18);

        a = _auctionParams();
        a.keeperFlatFee = FEE_CAP + 1;
        _expectParam(a, "keeperFlatFee", FEE_CAP + 1, 0, FEE_CAP);

        a = _auctionParams();
        a.maxPaidRestarts = 11;
        _expectParam(a, "maxPaidRestarts", 11, 0, 10);
    }

    /// forge-config: default.fuzz.runs = 64
    /// forge-config: ci.fuzz.runs = 256
    function testFuzz_auctionParams_acceptedExactlyWithinBounds(
        uint256 premium,
        uint256 floorRatio,
        uint256 duration
    ) public {
        AuctionParams memory a = _auctionParams();
        a.startPremium = bound(premium, 0.9e18, 1.6e18);
        a.floorRatio = bound(floorRatio, 0.1e18, 1.6e18);
        a.duration = bound(duration, 0, 31 days);
        bool valid = a.startPremium >= 1e18 && a.startPremium <= 1.5e18 && a.floorRatio >= 0.2e18
            && a.floorRatio < a.startPremium && a.floorRatio <= 1e18 && a.duration >= 1 hours
            && a.duration <= 30 days;
        vm.prank(owner);
        try pool.createMarketWithTerms(p2, _terms(), a) {
            vm.assertTrue(valid, "accepted out of bounds");
        } catch (bytes memory reason) {
            vm.assertFalse(valid, "refused within bounds");
            // forge-lint: disable-next-line(unsafe-typecast) the first four bytes are the selector
            vm.assertEq(bytes4(reason), IDutchAuction.InvalidAuctionParam.selector, "the specific error");
        }
    }
}
