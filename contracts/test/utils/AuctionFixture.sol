// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PoolFixture} from "./PoolFixture.sol";
import {DutchAuction} from "../../src/DutchAuction.sol";
import {MarketId, MarketParams, LiquidationTerms} from "../../src/interfaces/ILendingPool.sol";
import {AuctionParams} from "../../src/interfaces/IDutchAuction.sol";

/// @title AuctionFixture
/// @notice PoolFixture with a DutchAuction beside the pool, and the fixture's market (`id`, `token`) replaced by
/// an auction market on a new property token: cure window 1 day, hard floor 0.9, auctions from 120% of the
/// appraisal down to 50% over 10 hours, penalty 5%, keeper paid 5 USD + 0.1% of the debt, at most 100 USD,
/// for at most 2 restarts. The fixed-incentive market of PoolFixture stays as `fixedId`.
abstract contract AuctionFixture is PoolFixture {
    uint256 internal constant CURE_WINDOW = 1 days;
    uint256 internal constant HARD_FLOOR = 0.9e18;
    uint256 internal constant PREMIUM = 1.2e18;
    uint256 internal constant FLOOR_RATIO = 0.5e18;
    uint256 internal constant DURATION = 10 hours;
    uint256 internal constant PENALTY = 0.05e18;
    uint256 internal constant FLAT_FEE = 5e6;
    uint256 internal constant FEE_RATE = 0.001e18;
    uint256 internal constant FEE_CAP = 100e6;
    uint256 internal constant PAID_RESTARTS = 2;

    DutchAuction internal auction;
    MarketId internal fixedId;
    address internal keeper;
    address internal taker;

    function setUp() public virtual override {
        super.setUp();
        fixedId = id;
        keeper = makeAddr("keeper");
        taker = liquidator;
        auction = new DutchAuction(pool);
        vm.label(address(auction), "auction");
        token = _listProperty("FHAUCT", IERC20(address(usd)));
        params = _marketParams(address(token), address(usd));
        vm.prank(owner);
        id = pool.createMarketWithTerms(params, _terms(), _auctionParams());
        address[] memory actors = new address[](7);
        (actors[0], actors[1], actors[2], actors[3], actors[4], actors[5], actors[6]) =
        (lender, lender2, borrower, borrower2, liquidator, outsider, admin);
        for (uint256 i; i < actors.length; ++i) {
            _approveAll(actors[i], token);
        }
    }

    function _terms() internal view returns (LiquidationTerms memory) {
        return
            LiquidationTerms({
                auction: address(auction), cureWindow: CURE_WINDOW, hardFloorHealth: HARD_FLOOR
            });
    }

    function _auctionParams() internal pure returns (AuctionParams memory) {
        return AuctionParams({
            startPremium: PREMIUM,
            floorRatio: FLOOR_RATIO,
            duration: DURATION,
            penalty: PENALTY,
            keeperFlatFee: FLAT_FEE,
            keeperFeeRate: FEE_RATE,
            keeperFeeCap: FEE_CAP,
            maxPaidRestarts: PAID_RESTARTS
        });
    }

    /// @dev borrower: 100 tokens at $100, 6,000 USD of debt (60%), in a market with 1,000,000 USD supplied.
    function _openLoan() internal {
        _openPosition(borrower, 1_000_000e6, 100e18, 6000e6);
    }

    /// @dev At $78 the loan's health is 5,850 / 6,000 = 0.975: unhealthy, above the hard floor.
    function _dip() internal {
        _setPrice(78e6);
    }

    /// @dev At $70 its health is 5,250 / 6,000 = 0.875: under the hard floor.
    function _crash() internal {
        _setPrice(70e6);
    }

    function _flagAndWait() internal {
        pool.flag(id, borrower);
        vm.warp(block.timestamp + CURE_WINDOW);
    }

    function _start() internal returns (uint256 auctionId) {
        vm.prank(keeper);
        auctionId = auction.start(id, borrower, keeper);
    }

    /// @dev The documented curve: top - (top - floor) x elapsed / duration, the decrease rounded down.
    function _priceAt(uint256 top, uint256 floor, uint256 elapsed) internal pure returns (uint256) {
        return top - (top - floor) * elapsed / DURATION;
    }
}
