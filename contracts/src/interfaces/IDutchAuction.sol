// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MarketId} from "./ILendingPool.sol";

/// @notice How an auction market sells seized collateral, fixed at the market's creation. WAD = 1e18.
struct AuctionParams {
    uint256 startPremium; // WAD in [1, 1.5]: an auction starts at appraisal x startPremium
    uint256 floorRatio; // WAD in [0.2, 1] and below startPremium: it falls linearly to appraisal x floorRatio
    uint256 duration; // seconds in [1 hour, 30 days] from the start (or restart) to the floor
    uint256 penalty; // WAD in [0, 0.15]: debt x penalty is added to the debt at the start, for lenders
    uint256 keeperFlatFee; // loan-token base units, at most keeperFeeCap
    uint256 keeperFeeRate; // WAD in [0, 0.02], of the debt
    uint256 keeperFeeCap; // loan-token base units: no (re)start pays a keeper more
    uint256 maxPaidRestarts; // at most 10: restarts after this many pay the keeper nothing
}

/// @notice One auction. An auction id is never reused; a position has at most one active auction.
struct Auction {
    MarketId marketId;
    address borrower;
    uint64 startedAt; // unix seconds of the start or the latest restart
    uint32 restarts; // how many times it was restarted
    bool active; // false once the debt is paid or the collateral is gone
    uint256 startPrice; // PRICE_SCALE (1e36): loan-token base units per collateral base unit
    uint256 floorPrice; // PRICE_SCALE, reached at startedAt + duration
}

/// @title IDutchAuction
/// @notice Sells the collateral of unhealthy positions of the pool's auction markets at a falling price.
/// The collateral and the debt stay on the borrower's position in the pool while it is in auction (the pool
/// locks it); every take repays the debt in the pool and moves collateral from the position to the taker,
/// logged by the pool's `Liquidate`. See contracts/README.md for every formula and rounding.
interface IDutchAuction {
    // ------------------------------------------------------------------ events

    /// @notice A market chose auction liquidation with these parameters (at its creation, once).
    event AuctionMarketConfigured(MarketId indexed marketId, AuctionParams params);
    /// @notice An auction of `borrower`'s whole collateral `lot` for its whole debt `tab` (after the penalty and
    /// the keeper reward were added to it). The price falls linearly from `startPrice` at `startedAt` to
    /// `floorPrice` at `endsAt`; `keeper` was paid `keeperReward` (borrowed on the borrower's position).
    event AuctionStarted(
        uint256 indexed auctionId,
        MarketId indexed marketId,
        address indexed borrower,
        address keeper,
        uint256 lot,
        uint256 tab,
        uint256 startPrice,
        uint256 floorPrice,
        uint256 startedAt,
        uint256 endsAt,
        uint256 keeperReward
    );
    /// @notice `taker` paid `paid` for `collateral` at `price`, sent to `receiver`; `lotLeft` and `debtLeft` are
    /// what the position holds after the take.
    event AuctionTaken(
        uint256 indexed auctionId,
        MarketId indexed marketId,
        address indexed borrower,
        address taker,
        address receiver,
        uint256 collateral,
        uint256 paid,
        uint256 price,
        uint256 lotLeft,
        uint256 debtLeft
    );
    /// @notice A stale auction (past its `endsAt`) started again from the current appraisal.
    event AuctionRestarted(
        uint256 indexed auctionId,
        MarketId indexed marketId,
        address indexed borrower,
        address keeper,
        uint256 lot,
        uint256 tab,
        uint256 startPrice,
        uint256 floorPrice,
        uint256 startedAt,
        uint256 endsAt,
        uint256 keeperReward,
        uint256 restarts
    );
    /// @notice The auction is over: the debt is paid (`lotLeft` stays the borrower's collateral, unlocked) or
    /// the collateral is gone (`badDebt` was written off as the pool does for a liquidation).
    event AuctionEnded(
        uint256 indexed auctionId,
        MarketId indexed marketId,
        address indexed borrower,
        uint256 lotLeft,
        uint256 badDebt
    );

    // ------------------------------------------------------------------ errors

    /// @notice Only the pool configures markets.
    error NotPool(address caller);
    /// @notice An auction parameter outside its bounds at market creation.
    error InvalidAuctionParam(string name, uint256 value, uint256 min, uint256 max);
    /// @notice The market sells no collateral by auction.
    error NotAuctionMarket(MarketId marketId);
    /// @notice No such auction, or it has ended.
    error AuctionNotActive(uint256 auctionId);
    /// @notice The auction passed its floor time: it must be restarted before anyone takes.
    error AuctionNeedsRestart(uint256 auctionId, uint256 endsAt);
    /// @notice A restart before the auction reached its floor time.
    error AuctionNotStale(uint256 auctionId, uint256 endsAt);
    /// @notice The current price is above the taker's limit.
    error PriceAboveLimit(uint256 price, uint256 maxPrice);
    /// @notice More collateral asked for than the auction has left (type(uint256).max takes all that is left).
    error TakeExceedsLot(uint256 requested, uint256 lot);
    /// @notice The taker (the payer) or the receiver may not hold the property token (unverified or frozen).
    error TakerNotAllowed(address account);
    error ZeroTake();
    error ZeroAddress();

    // ------------------------------------------------------------------ market set-up (the pool)

    /// @notice Stores `params` for `marketId`; called by the pool from `createMarketWithTerms`, once.
    function configureMarket(MarketId marketId, AuctionParams calldata params) external;

    // ------------------------------------------------------------------ keepers and takers

    /// @notice Starts an auction of a liquidatable position (past its cure window, or under its hard floor).
    /// Pays `keeper` the keeper reward. Needs a fresh price and the token not paused.
    function start(MarketId marketId, address borrower, address keeper) external returns (uint256 auctionId);
    /// @notice Buys up to `collateral` (type(uint256).max: all that is left) at the current price, if it is at
    /// most `maxPrice`; pays from the caller (approve the pool) and sends the collateral to `receiver`.
    function take(uint256 auctionId, uint256 collateral, uint256 maxPrice, address receiver)
        external
        returns (uint256 bought, uint256 paid);
    /// @notice Restarts an auction past its floor time at the current appraisal; pays `keeper` while the
    /// auction has had no more than `maxPaidRestarts` restarts.
    function restart(uint256 auctionId, address keeper) external returns (uint256 keeperReward);

    // ------------------------------------------------------------------ views

    function pool() external view returns (address);
    function auctionParams(MarketId marketId) external view returns (AuctionParams memory);
    function auction(uint256 auctionId) external view returns (Auction memory);
    /// @notice The active auction of a position, 0 if none.
    function activeAuction(MarketId marketId, address borrower) external view returns (uint256);
    /// @notice How many auctions were started; ids run from 1 to this.
    function auctionCount() external view returns (uint256);
    /// @notice The auction's price at `timestamp` (from its start to its floor time; reverts outside).
    function priceAt(uint256 auctionId, uint256 timestamp) external view returns (uint256);
    /// @notice The keeper reward of a (re)start on a position owing `debt`: min(flat + debt x rate, cap).
    function keeperReward(MarketId marketId, uint256 debt) external view returns (uint256);
    /// @notice What a take of `requested` collateral pays and gets at `price` from a position with `lot` and
    /// `debt` (the pool's rule; see contracts/README.md).
    function sizeTake(uint256 lot, uint256 debt, uint256 requested, uint256 price)
        external
        pure
        returns (uint256 bought, uint256 paid);
}
