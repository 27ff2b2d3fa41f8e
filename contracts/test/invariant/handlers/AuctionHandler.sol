// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IdentityRegistry} from "../../../src/IdentityRegistry.sol";
import {PropertyToken} from "../../../src/PropertyToken.sol";
import {AppraisalOracle} from "../../../src/AppraisalOracle.sol";
import {LendingPool} from "../../../src/LendingPool.sol";
import {DutchAuction} from "../../../src/DutchAuction.sol";
import {MockStablecoin} from "../../../src/mocks/MockStablecoin.sol";
import {
    MarketId,
    MarketParams,
    LiquidationTerms,
    CureFlag,
    PositionView,
    Market
} from "../../../src/interfaces/ILendingPool.sol";
import {AuctionParams, Auction} from "../../../src/interfaces/IDutchAuction.sol";

/// @title AuctionHandler
/// @notice One auction market with a cure window, its own small world: borrowers open and repay loans, the
/// appraisal jumps, time passes, anyone flags and clears, keepers start and restart auctions, verified (and
/// unverified) takers take at random amounts and limits. Every action runs in try/catch and checks the rules
/// of the call it made around it, counting violations the invariants read; it also watches every borrower's
/// health at every step, to know when a position was last seen healthy.
contract AuctionHandler {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant PRICE_SCALE = 1e36;
    uint256 public constant CURE_WINDOW = 1 days;
    uint256 public constant HARD_FLOOR = 0.9e18;
    uint256 public constant DURATION = 6 hours;
    uint256 internal constant BORROWERS = 3;

    IdentityRegistry public immutable registry;
    MockStablecoin public immutable usd;
    AppraisalOracle public immutable oracle;
    LendingPool public immutable pool;
    DutchAuction public immutable auction;
    PropertyToken public immutable token;
    MarketId public immutable id;
    address public immutable lender;
    address public immutable keeper;
    address public immutable outsider;
    address[BORROWERS] internal _borrowers;
    address[2] internal _takers;

    // ---- ghosts
    mapping(address => uint256) public lastHealthyAt;
    mapping(uint256 => uint256) public lotAtStart;
    mapping(uint256 => uint256) public sold;
    uint256 public soldMoreThanLot;
    uint256 public paidAbovePrice;
    uint256 public paidBelowPrice;
    uint256 public debtMismatch;
    uint256 public leftoverMismatch;
    uint256 public cureViolation;
    uint256 public starts;
    uint256 public takes;
    uint256 public ends;
    string public firstViolation;

    constructor() {
        lender = _addr("lender");
        keeper = _addr("keeper");
        outsider = _addr("outsider");
        registry = new IdentityRegistry(address(this));
        usd = new MockStablecoin();
        oracle = new AppraisalOracle(address(this));
        pool = new LendingPool(address(this));
        auction = new DutchAuction(pool);
        token = new PropertyToken(
            "FHINV", "FHINV", "FHINV", "US-MI", registry, IERC20(address(usd)), address(this)
        );
        oracle.configureFeed(address(token), 30 days, 1000);
        oracle.forceAppraisal(address(token), _price(100), "initial");
        id = pool.createMarketWithTerms(
            MarketParams({
                collateralToken: address(token),
                loanToken: address(usd),
                oracle: address(oracle),
                lltv: 0.75e18,
                maxLtv: 0.65e18,
                liquidationIncentive: pool.maxLiquidationIncentive(0.75e18),
                baseRatePerYear: 0.02e18,
                slope1PerYear: 0.06e18,
                slope2PerYear: 0.8e18,
                kinkUtilization: 0.8e18,
                supplyCap: 0,
                borrowCap: 0,
                minLeftoverDebt: 10e6
            }),
            LiquidationTerms(address(auction), CURE_WINDOW, HARD_FLOOR),
            AuctionParams({
                startPremium: 1.1e18,
                floorRatio: 0.4e18,
                duration: DURATION,
                penalty: 0.05e18,
                keeperFlatFee: 2e6,
                keeperFeeRate: 0.001e18,
                keeperFeeCap: 50e6,
                maxPaidRestarts: 1
            })
        );
        registry.verify(address(pool));
        registry.verify(lender);
        registry.verify(keeper);
        for (uint256 i; i < BORROWERS; ++i) {
            _borrowers[i] = _addr(string.concat("borrower", vm.toString(i)));
            registry.verify(_borrowers[i]);
            token.mint(_borrowers[i], 1000e18);
            vm.prank(_borrowers[i]);
            token.approve(address(pool), type(uint256).max);
            _approveUsd(_borrowers[i]);
        }
        for (uint256 i; i < 2; ++i) {
            _takers[i] = _addr(string.concat("taker", vm.toString(i)));
            registry.verify(_takers[i]);
            usd.mint(_takers[i], 10_000_000e6);
            _approveUsd(_takers[i]);
        }
        usd.mint(outsider, 10_000_000e6);
        _approveUsd(outsider);
        usd.mint(lender, 500_000e6);
        _approveUsd(lender);
        vm.prank(lender);
        pool.supply(id, 500_000e6, lender);
    }

    function borrowers() external view returns (address[BORROWERS] memory) {
        return _borrowers;
    }

    // ------------------------------------------------------------------ actions

    function openLoan(uint256 bSeed, uint256 collateralSeed, uint256 ltvSeed) external {
        address b = _borrowers[bSeed % BORROWERS];
        _observe();
        uint256 collateral = _bound(collateralSeed, 1e18, 200e18);
        if (token.balanceOf(b) >= collateral) {
            vm.prank(b);
            try pool.supplyCollateral(id, collateral, b) {} catch {}
        }
        if (oracle.isStale(address(token))) _refresh();
        uint256 room = pool.position(id, b).maxBorrowable * _bound(ltvSeed, 50, 100) / 100;
        if (room > 1e6) {
            vm.prank(b);
            try pool.borrow(id, room, b) {} catch {}
        }
        _observe();
    }

    function repay(uint256 bSeed, uint256 amountSeed) external {
        address b = _borrowers[bSeed % BORROWERS];
        _observe();
        uint256 debt = pool.position(id, b).debt;
        if (debt == 0) return;
        uint256 amount = _bound(amountSeed, 1, debt);
        usd.mint(b, amount);
        vm.prank(b);
        try pool.repay(id, amount, b) {} catch {}
        _observe();
    }

    function movePrice(uint256 usdSeed) external {
        _observe();
        oracle.forceAppraisal(address(token), _price(_bound(usdSeed, 45, 110)), "move");
        _observe();
    }

    function warp(uint256 secondsSeed) external {
        _observe();
        vm.warp(block.timestamp + _bound(secondsSeed, 1, 12 hours));
        if (oracle.isStale(address(token))) _refresh();
        _observe();
    }

    function flag(uint256 bSeed) external {
        _observe();
        try pool.flag(id, _borrowers[bSeed % BORROWERS]) {} catch {}
        _observe();
    }

    function clearFlag(uint256 bSeed) external {
        _observe();
        try pool.clearFlag(id, _borrowers[bSeed % BORROWERS]) {} catch {}
        _observe();
    }

    function start(uint256 bSeed) external {
        address b = _borrowers[bSeed % BORROWERS];
        _observe();
        PositionView memory v = pool.position(id, b);
        CureFlag memory f = pool.cureFlag(id, b);
        vm.prank(keeper);
        try auction.start(id, b, keeper) returns (uint256 auctionId) {
            ++starts;
            lotAtStart[auctionId] = v.collateral;
            // Under the floor, at once; otherwise a flag set after the position was last seen healthy, whose
            // window is over.
            if (v.healthFactor >= HARD_FLOOR) {
                if (f.flaggedAt == 0) {
                    _violate(cureViolation++, "started without a flag");
                } else if (block.timestamp < f.flaggedAt + CURE_WINDOW) {
                    _violate(cureViolation++, "inside the window");
                } else if (f.flaggedAt < lastHealthyAt[b]) {
                    _violate(cureViolation++, "flag older than a healthy moment");
                }
            }
            if (v.healthFactor >= WAD) _violate(cureViolation++, "started a healthy position");
        } catch {}
        _observe();
    }

    struct TakeCheck {
        uint256 auctionId;
        address b;
        uint256 lot;
        uint256 debt;
        uint256 price;
        uint256 maxPrice;
        uint256 amount;
        uint256 supplyBefore;
        uint256 borrowBefore;
    }

    function take(uint256 bSeed, uint256 amountSeed, uint256 limitSeed, uint256 takerSeed) external {
        TakeCheck memory c;
        c.b = _borrowers[bSeed % BORROWERS];
        c.auctionId = auction.activeAuction(id, c.b);
        if (c.auctionId == 0) return;
        _observe();
        Auction memory au = auction.auction(c.auctionId);
        if (block.timestamp > au.startedAt + DURATION) return;
        c.price = auction.priceAt(c.auctionId, block.timestamp);
        c.lot = pool.positionShares(id, c.b).collateral;
        c.debt = pool.position(id, c.b).debt;
        // Limits around the price, amounts around the lot (some above it, some "all").
        c.maxPrice = c.price * _bound(limitSeed, 95, 105) / 100;
        uint256 pick = amountSeed % 10;
        c.amount = pick == 0 ? type(uint256).max : _bound(amountSeed, 1, c.lot + c.lot / 20);
        address t = takerSeed % 7 == 0 ? outsider : _takers[takerSeed % 2];
        Market memory m = pool.market(id);
        (c.supplyBefore, c.borrowBefore) = (m.totalSupplyAssets, m.totalBorrowAssets);
        vm.prank(t);
        try auction.take(c.auctionId, c.amount, c.maxPrice, t) returns (uint256 bought, uint256 paid) {
            ++takes;
            _checkTake(c, bought, paid, t);
        } catch {}
        _observe();
    }

    function restart(uint256 bSeed) external {
        uint256 auctionId = auction.activeAuction(id, _borrowers[bSeed % BORROWERS]);
        if (auctionId == 0) return;
        _observe();
        if (oracle.isStale(address(token))) _refresh();
        vm.prank(keeper);
        try auction.restart(auctionId, keeper) {} catch {}
        _observe();
    }

    // ------------------------------------------------------------------ checks

    function _checkTake(TakeCheck memory c, uint256 bought, uint256 paid, address t) internal {
        if (t == outsider) _violate(soldMoreThanLot++, "an unverified taker bought");
        if (bought > c.lot || (c.amount != type(uint256).max && c.amount > c.lot)) {
            _violate(soldMoreThanLot++, "sold more than the lot");
        }
        uint256 atPrice = _mulDivUp(bought, c.price, PRICE_SCALE);
        if (c.price > c.maxPrice || paid > atPrice) _violate(paidAbovePrice++, "paid above the price");
        if (paid < c.debt && paid != atPrice) _violate(paidBelowPrice++, "paid below the price");
        if (paid == c.debt && paid * PRICE_SCALE + c.price <= bought * c.price) {
            _violate(paidBelowPrice++, "last slice more than a unit cheap");
        }
        sold[c.auctionId] += bought;

        uint256 lotLeft = pool.positionShares(id, c.b).collateral;
        uint256 debtLeft = pool.position(id, c.b).debt;
        bool active = auction.auction(c.auctionId).active;
        // What was owed is now paid, still owed, or (only when the lot ran out) written off, and the market's
        // totals moved by exactly that: lenders lose the write-off and nothing else.
        Market memory m = pool.market(id);
        uint256 badDebt = c.supplyBefore - m.totalSupplyAssets;
        if (badDebt != 0 && lotLeft != 0) _violate(debtMismatch++, "wrote off with collateral left");
        if (m.totalBorrowAssets + paid + badDebt != c.borrowBefore) {
            _violate(debtMismatch++, "totals moved wrong");
        }
        if (debtLeft + paid + badDebt < c.debt || debtLeft + paid + badDebt > c.debt + 2) {
            _violate(debtMismatch++, "debt moved by more than paid and written off");
        }
        if (lotLeft != c.lot - bought) _violate(soldMoreThanLot++, "lot moved by more than bought");
        if (!active) {
            ++ends;
            if (lotAtStart[c.auctionId] != sold[c.auctionId] + lotLeft) {
                _violate(leftoverMismatch++, "lot lost");
            }
            if (pool.cureFlag(id, c.b).inAuction) _violate(leftoverMismatch++, "still locked");
            if (debtLeft != 0 && lotLeft != 0) {
                _violate(leftoverMismatch++, "ended with debt and collateral");
            }
        }
    }

    /// @dev Records when each position is seen healthy on the current appraisal.
    function _observe() internal {
        for (uint256 i; i < BORROWERS; ++i) {
            address b = _borrowers[i];
            if (pool.position(id, b).healthFactor >= WAD) lastHealthyAt[b] = block.timestamp;
        }
    }

    function _refresh() internal {
        (uint256 price,) = oracle.latestPrice(address(token));
        oracle.forceAppraisal(address(token), price, "refresh");
    }

    function _violate(uint256, string memory what) internal {
        if (bytes(firstViolation).length == 0) firstViolation = what;
    }

    function _approveUsd(address a) internal {
        vm.prank(a);
        usd.approve(address(pool), type(uint256).max);
    }

    function _price(uint256 usdPerToken) internal pure returns (uint256) {
        return usdPerToken * 1e6 * PRICE_SCALE / 1e18;
    }

    function _mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return (x * y + d - 1) / d;
    }

    function _bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + x % (hi - lo + 1);
    }

    function _addr(string memory name) internal returns (address a) {
        a = address(uint160(uint256(keccak256(bytes(name)))));
        vm.label(a, name);
    }
}
