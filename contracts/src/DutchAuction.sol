// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IDutchAuction, AuctionParams, Auction} from "./interfaces/IDutchAuction.sol";
import {ILendingPool, MarketId, MarketParams} from "./interfaces/ILendingPool.sol";
import {IAppraisalOracle} from "./interfaces/IAppraisalOracle.sol";
import {IPropertyToken} from "./interfaces/IPropertyToken.sol";
import {MathLib, WAD} from "./libraries/MathLib.sol";
import {AuctionLib} from "./libraries/AuctionLib.sol";

/// @title DutchAuction
/// @notice See {IDutchAuction}. One contract per pool; the pool's owner picks it per market at creation.
/// It holds no tokens: the collateral stays in the pool until a take sends it to the taker, and the payment
/// goes from the taker straight into the pool. It keeps the auctions' prices and clocks; the pool keeps the
/// books (and locks the position while it is in auction).
contract DutchAuction is IDutchAuction {
    using MathLib for uint256;

    uint256 public constant MIN_START_PREMIUM = 1e18;
    uint256 public constant MAX_START_PREMIUM = 1.5e18;
    uint256 public constant MIN_FLOOR_RATIO = 0.2e18;
    uint256 public constant MIN_DURATION = 1 hours;
    uint256 public constant MAX_DURATION = 30 days;
    uint256 public constant MAX_PENALTY = 0.15e18;
    uint256 public constant MAX_KEEPER_FEE_RATE = 0.02e18;
    uint256 public constant MAX_PAID_RESTARTS = 10;

    ILendingPool private immutable _pool;

    mapping(MarketId => AuctionParams) private _params;
    mapping(MarketId => bool) private _configured;
    mapping(uint256 => Auction) private _auctions;
    mapping(MarketId => mapping(address => uint256)) private _active;
    /// @inheritdoc IDutchAuction
    uint256 public auctionCount;

    constructor(ILendingPool pool_) {
        _pool = pool_;
    }

    // ------------------------------------------------------------------ market set-up

    /// @inheritdoc IDutchAuction
    function configureMarket(MarketId marketId, AuctionParams calldata a) external {
        if (msg.sender != address(_pool)) revert NotPool(msg.sender);
        _check("startPremium", a.startPremium, MIN_START_PREMIUM, MAX_START_PREMIUM);
        // The floor must sit below the start, or the price would not fall.
        _check("floorRatio", a.floorRatio, MIN_FLOOR_RATIO, (a.startPremium - 1).min(WAD));
        _check("duration", a.duration, MIN_DURATION, MAX_DURATION);
        _check("penalty", a.penalty, 0, MAX_PENALTY);
        _check("keeperFeeRate", a.keeperFeeRate, 0, MAX_KEEPER_FEE_RATE);
        _check("keeperFlatFee", a.keeperFlatFee, 0, a.keeperFeeCap);
        _check("maxPaidRestarts", a.maxPaidRestarts, 0, MAX_PAID_RESTARTS);
        _params[marketId] = a;
        _configured[marketId] = true;
        emit AuctionMarketConfigured(marketId, a);
    }

    // ------------------------------------------------------------------ keepers and takers

    /// @inheritdoc IDutchAuction
    function start(MarketId marketId, address borrower, address keeper) external returns (uint256 auctionId) {
        if (!_configured[marketId]) revert NotAuctionMarket(marketId);
        if (keeper == address(0)) revert ZeroAddress();
        AuctionParams memory a = _params[marketId];
        // The pool checks health, price, pause and the cure window, locks the position and adds the penalty.
        (uint256 debt, uint256 lot, uint256 appraisal) = _pool.openAuction(marketId, borrower, a.penalty);

        auctionId = ++auctionCount;
        Auction storage au = _auctions[auctionId];
        au.marketId = marketId;
        au.borrower = borrower;
        au.active = true;
        _active[marketId][borrower] = auctionId;
        _reprice(au, a, appraisal);

        uint256 reward;
        (reward, debt) = _payKeeper(marketId, borrower, keeper, a, debt);
        emit AuctionStarted(
            auctionId,
            marketId,
            borrower,
            keeper,
            lot,
            debt,
            au.startPrice,
            au.floorPrice,
            block.timestamp,
            block.timestamp + a.duration,
            reward
        );
    }

    /// @inheritdoc IDutchAuction
    function take(uint256 auctionId, uint256 collateral, uint256 maxPrice, address receiver)
        external
        returns (uint256 bought, uint256 paid)
    {
        Auction storage au = _requireActive(auctionId);
        MarketId marketId = au.marketId;
        address borrower = au.borrower;
        uint256 price = _currentPrice(au, _params[marketId].duration, auctionId);
        if (price > maxPrice) revert PriceAboveLimit(price, maxPrice);
        if (collateral == 0) revert ZeroTake();
        _requireAllowed(marketId, msg.sender, receiver);
        if (collateral != type(uint256).max) {
            uint256 lot = _pool.positionShares(marketId, borrower).collateral;
            if (collateral > lot) revert TakeExceedsLot(collateral, lot);
        }

        uint256 badDebt;
        bool ended;
        (bought, paid, badDebt, ended) =
            _pool.auctionTake(marketId, borrower, collateral, price, msg.sender, receiver);
        uint256 lotLeft = _pool.positionShares(marketId, borrower).collateral;
        uint256 debtLeft = _pool.position(marketId, borrower).debt;
        emit AuctionTaken(
            auctionId, marketId, borrower, msg.sender, receiver, bought, paid, price, lotLeft, debtLeft
        );
        if (ended) {
            au.active = false;
            delete _active[marketId][borrower];
            emit AuctionEnded(auctionId, marketId, borrower, lotLeft, badDebt);
        }
    }

    /// @inheritdoc IDutchAuction
    function restart(uint256 auctionId, address keeper) external returns (uint256 reward) {
        Auction storage au = _requireActive(auctionId);
        if (keeper == address(0)) revert ZeroAddress();
        AuctionParams memory a = _params[au.marketId];
        uint256 endsAt = au.startedAt + a.duration;
        if (block.timestamp <= endsAt) revert AuctionNotStale(auctionId, endsAt);
        _reprice(au, a, _freshAppraisal(au.marketId));
        uint256 restarts = ++au.restarts;
        uint256 debt = _pool.position(au.marketId, au.borrower).debt;
        // Keepers are paid for the first maxPaidRestarts restarts; later ones are free, so a lot nobody wants
        // can still be offered again without draining lenders.
        if (restarts <= a.maxPaidRestarts) {
            (reward, debt) = _payKeeper(au.marketId, au.borrower, keeper, a, debt);
        }
        _emitRestarted(
            Round(
                auctionId,
                au.marketId,
                au.borrower,
                keeper,
                0,
                debt,
                au.startPrice,
                au.floorPrice,
                a.duration,
                reward
            ),
            restarts
        );
    }

    /// @dev The values of a (re)start's event, in memory: the event has more than the stack holds.
    struct Round {
        uint256 auctionId;
        MarketId marketId;
        address borrower;
        address keeper;
        uint256 lot;
        uint256 tab;
        uint256 startPrice;
        uint256 floorPrice;
        uint256 duration;
        uint256 keeperReward;
    }

    function _emitRestarted(Round memory r, uint256 restarts) private {
        r.lot = _pool.positionShares(r.marketId, r.borrower).collateral;
        emit AuctionRestarted(
            r.auctionId,
            r.marketId,
            r.borrower,
            r.keeper,
            r.lot,
            r.tab,
            r.startPrice,
            r.floorPrice,
            block.timestamp,
            block.timestamp + r.duration,
            r.keeperReward,
            restarts
        );
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IDutchAuction
    function pool() external view returns (address) {
        return address(_pool);
    }

    /// @inheritdoc IDutchAuction
    function auctionParams(MarketId marketId) external view returns (AuctionParams memory) {
        if (!_configured[marketId]) revert NotAuctionMarket(marketId);
        return _params[marketId];
    }

    /// @inheritdoc IDutchAuction
    function auction(uint256 auctionId) external view returns (Auction memory) {
        return _auctions[auctionId];
    }

    /// @inheritdoc IDutchAuction
    function activeAuction(MarketId marketId, address borrower) external view returns (uint256) {
        return _active[marketId][borrower];
    }

    /// @inheritdoc IDutchAuction
    function priceAt(uint256 auctionId, uint256 timestamp) external view returns (uint256) {
        Auction storage au = _auctions[auctionId];
        if (au.startedAt == 0) revert AuctionNotActive(auctionId);
        uint256 duration = _params[au.marketId].duration;
        uint256 endsAt = au.startedAt + duration;
        if (timestamp < au.startedAt || timestamp > endsAt) revert AuctionNeedsRestart(auctionId, endsAt);
        return AuctionLib.priceAt(au.startPrice, au.floorPrice, au.startedAt, duration, timestamp);
    }

    /// @inheritdoc IDutchAuction
    function keeperReward(MarketId marketId, uint256 debt) public view returns (uint256) {
        AuctionParams storage a = _params[marketId];
        return (a.keeperFlatFee + debt.wMulDown(a.keeperFeeRate)).min(a.keeperFeeCap);
    }

    /// @inheritdoc IDutchAuction
    function sizeTake(uint256 lot, uint256 debt, uint256 requested, uint256 price)
        external
        pure
        returns (uint256 bought, uint256 paid)
    {
        return AuctionLib.sizeTake(lot, debt, requested, price);
    }

    // ------------------------------------------------------------------ internals

    /// @dev The market's appraisal, refused when stale (as the pool refuses it).
    function _freshAppraisal(MarketId marketId) private view returns (uint256 appraisal) {
        MarketParams memory p = _pool.marketParams(marketId);
        IAppraisalOracle oracle = IAppraisalOracle(p.oracle);
        uint256 updatedAt;
        (appraisal, updatedAt) = oracle.latestPrice(p.collateralToken);
        if (oracle.isStale(p.collateralToken)) revert ILendingPool.StalePrice(p.collateralToken, updatedAt);
    }

    function _check(string memory name, uint256 value, uint256 lo, uint256 hi) private pure {
        if (value < lo || value > hi) revert InvalidAuctionParam(name, value, lo, hi);
    }

    function _requireActive(uint256 auctionId) private view returns (Auction storage au) {
        au = _auctions[auctionId];
        if (!au.active) revert AuctionNotActive(auctionId);
    }

    /// @dev Takers pay and receive property: both must be holders the property token accepts. Checked here so
    /// a taker gets a reason before paying for anything (the token would refuse the receiver anyway).
    function _requireAllowed(MarketId marketId, address taker, address receiver) private view {
        IPropertyToken token = IPropertyToken(_pool.marketParams(marketId).collateralToken);
        // A paused token receives nowhere: say so rather than blame the taker.
        if (token.paused()) revert ILendingPool.CollateralPaused(address(token));
        if (!token.canReceive(taker)) revert TakerNotAllowed(taker);
        if (!token.canReceive(receiver)) revert TakerNotAllowed(receiver);
    }

    /// @dev The price now, which must be within the auction's duration.
    function _currentPrice(Auction storage au, uint256 duration, uint256 auctionId)
        private
        view
        returns (uint256)
    {
        uint256 endsAt = au.startedAt + duration;
        if (block.timestamp > endsAt) revert AuctionNeedsRestart(auctionId, endsAt);
        return AuctionLib.priceAt(au.startPrice, au.floorPrice, au.startedAt, duration, block.timestamp);
    }

    /// @dev Start and floor from the appraisal, both rounded up (takers never pay less than the rule says).
    function _reprice(Auction storage au, AuctionParams memory a, uint256 appraisal) private {
        // forge-lint: disable-next-line(unsafe-typecast) timestamps fit in 64 bits
        au.startedAt = uint64(block.timestamp);
        au.startPrice = appraisal.mulDivUp(a.startPremium, WAD);
        au.floorPrice = appraisal.mulDivUp(a.floorRatio, WAD);
    }

    function _payKeeper(
        MarketId marketId,
        address borrower,
        address keeper,
        AuctionParams memory a,
        uint256 debt
    ) private returns (uint256 paid, uint256 debtAfter) {
        uint256 reward = (a.keeperFlatFee + debt.wMulDown(a.keeperFeeRate)).min(a.keeperFeeCap);
        if (reward == 0) return (0, debt);
        return _pool.payKeeper(marketId, borrower, keeper, reward);
    }
}
