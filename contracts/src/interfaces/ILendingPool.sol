// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AuctionParams} from "./IDutchAuction.sol";

/// @notice A market's id: keccak256(abi.encode(collateralToken, loanToken)). One market per pair.
type MarketId is bytes32;

/// @notice Everything fixed at a market's creation. All WAD values are 1e18-scaled.
struct MarketParams {
    address collateralToken; // an IPropertyToken (18 decimals)
    address loanToken; // the stablecoin lent and borrowed
    address oracle; // an IAppraisalOracle that prices collateralToken in loanToken
    uint256 lltv; // liquidation LTV (WAD): above it a position may be liquidated
    uint256 maxLtv; // max-borrow LTV (WAD), below lltv: borrowing and withdrawing collateral stop here
    uint256 liquidationIncentive; // WAD, > 1e18 and <= maxLiquidationIncentive(lltv)
    uint256 baseRatePerYear; // borrow rate at 0% utilization (WAD per year)
    uint256 slope1PerYear; // added linearly up to the kink (WAD per year)
    uint256 slope2PerYear; // added linearly from the kink to 100% (WAD per year)
    uint256 kinkUtilization; // the kink (WAD), strictly between 0 and 1e18
    uint256 supplyCap; // loan-token base units; 0 means no cap
    uint256 borrowCap; // loan-token base units; 0 means no cap
    uint256 minLeftoverDebt; // loan-token base units: a partial liquidation may not leave less behind
}

/// @notice A market's totals. Supply and borrow are both share-based; the borrow share price is the
/// market's common borrow index, so interest never changes the order of positions by risk.
struct Market {
    uint256 totalSupplyAssets;
    uint256 totalSupplyShares;
    uint256 totalBorrowAssets;
    uint256 totalBorrowShares;
    uint256 totalCollateral;
    uint256 lastUpdate; // unix seconds of the last interest accrual
}

/// @notice What is stored per (market, account).
struct Position {
    uint256 supplyShares;
    uint256 borrowShares;
    uint256 collateral; // collateral-token base units
    uint256 rentIndexPaid; // the pool's rent index of the collateral token when this position last settled rent
    uint256 rentAccrued; // rent-token base units settled but not yet claimed
}

/// @notice A position valued now: interest accrued to block.timestamp, latest appraisal (stale or not).
struct PositionView {
    uint256 supplyShares;
    uint256 supplyAssets; // rounded down
    uint256 borrowShares;
    uint256 debt; // rounded up
    uint256 collateral;
    uint256 collateralValue; // loan-token base units, rounded down
    uint256 ltv; // WAD, rounded up; type(uint256).max with debt and no collateral value
    uint256 healthFactor; // WAD, rounded down; type(uint256).max without debt
    uint256 liquidationPrice; // liquidatable exactly when the price is below this (PRICE_SCALE); 0 without debt
    uint256 maxBorrowable; // the largest borrow() passing the maxLtv check now (liquidity and caps aside)
    uint256 claimableRent; // rent-token base units
    uint256 price; // the appraisal used
    uint256 priceUpdatedAt;
    bool priceStale;
}

/// @notice How a market liquidates, fixed at its creation. `createMarket` markets have all zero: the fixed
/// incentive, no cure window.
struct LiquidationTerms {
    address auction; // 0: the fixed incentive (`liquidate`); else the IDutchAuction that sells collateral
    uint256 cureWindow; // seconds (at most 30 days) a flagged position is left to its borrower; 0: none
    uint256 hardFloorHealth; // WAD in [0.5, 1) with a window (0 without): below it the window does not apply
}

/// @notice A position's cure flag. The flag holds while the position stays unhealthy under the appraisal it
/// was last confirmed under (`appraisalSeq`) or the next one if that one is no higher (`price`).
struct CureFlag {
    uint64 flaggedAt; // unix seconds; 0: not flagged. The window ends at flaggedAt + cureWindow.
    uint64 appraisalSeq; // the oracle's appraisalCount the flag was last confirmed under
    bool inAuction; // the position is locked in its market's auction
    uint256 price; // the appraisal the flag was last confirmed under
}

/// @title ILendingPool
/// @notice Isolated lending markets, one per (property token, stablecoin) pair.
/// @dev Amounts are integers in base units. Rounding always favours the protocol: what users receive
/// (supply shares, withdrawn assets, seized collateral) rounds down; what users owe (borrow shares, debt,
/// shares burned on withdrawal) rounds up. See contracts/README.md for every formula.
interface ILendingPool {
    // ------------------------------------------------------------------ events (enough to rebuild state)

    /// @notice A new market with all its parameters.
    event MarketCreated(MarketId indexed id, MarketParams params);
    /// @notice Interest accrued over the seconds since the last accrual. `borrowRate` is per second (WAD);
    /// the totals are the market's after adding `interest` to both sides.
    event AccrueInterest(
        MarketId indexed id,
        uint256 borrowRate,
        uint256 interest,
        uint256 totalSupplyAssets,
        uint256 totalBorrowAssets
    );
    event Supply(
        MarketId indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares
    );
    event Withdraw(
        MarketId indexed id,
        address caller,
        address indexed onBehalf,
        address indexed receiver,
        uint256 assets,
        uint256 shares
    );
    event SupplyCollateral(
        MarketId indexed id, address indexed caller, address indexed onBehalf, uint256 assets
    );
    event WithdrawCollateral(
        MarketId indexed id,
        address caller,
        address indexed onBehalf,
        address indexed receiver,
        uint256 assets
    );
    event Borrow(
        MarketId indexed id,
        address caller,
        address indexed onBehalf,
        address indexed receiver,
        uint256 assets,
        uint256 shares
    );
    /// @notice Debt repaid; `totalBorrowAssets` drops by `assets` (floored at zero), shares by `shares`.
    event Repay(
        MarketId indexed id, address indexed caller, address indexed onBehalf, uint256 assets, uint256 shares
    );
    /// @notice A liquidation. `repaidAssets`/`repaidShares` leave the borrower's debt; `seizedCollateral`
    /// goes to `receiver`; when the borrower's collateral ran out, `badDebtAssets`/`badDebtShares` were
    /// written off: removed from the borrower and from both market totals, a loss shared by lenders at once.
    event Liquidate(
        MarketId indexed id,
        address indexed liquidator,
        address indexed borrower,
        address receiver,
        uint256 repaidAssets,
        uint256 repaidShares,
        uint256 seizedCollateral,
        uint256 badDebtAssets,
        uint256 badDebtShares
    );
    /// @notice The pool claimed `amount` of rent from property token `token` for the collateral it holds and
    /// raised the token's rent index to `rentIndex` (RENT_SCALE): amount * RENT_SCALE / totalCollateral,
    /// rounded down. Happens before every collateral change, so each position earns on its own balance.
    event RentPulled(address indexed token, uint256 amount, uint256 rentIndex);
    /// @notice A position's settled rent was paid out: to `receiver`, or into the position's own debt when
    /// `receiver` is the pool itself (see `repayWithRent`, and `liquidate` before writing off bad debt). `claimRent` emits it even when `amount` is 0:
    /// the claim settled the position (its `rentIndexPaid` is now the token's `rentIndex`), and an indexer
    /// must settle it too.
    event RentClaimed(MarketId indexed id, address indexed owner, address indexed receiver, uint256 amount);

    /// @notice The market's liquidation terms, emitted right after its `MarketCreated` by
    /// `createMarketWithTerms` (never by `createMarket`: those markets have all-zero terms).
    event LiquidationTermsSet(
        MarketId indexed id, address auction, uint256 cureWindow, uint256 hardFloorHealth
    );
    /// @notice `borrower`'s position was flagged unhealthy (or its flag confirmed under a new appraisal):
    /// only its borrower can act before `flaggedAt + cureWindow`, unless its health falls under the hard floor.
    event CureFlagged(
        MarketId indexed id, address indexed borrower, uint256 flaggedAt, uint256 appraisalSeq, uint256 price
    );
    /// @notice The flag is gone: the position was healthy after an action or `clearFlag`, or its auction ended.
    event CureFlagCleared(MarketId indexed id, address indexed borrower);
    /// @notice An auction started on the position: it is locked, and `assets` of penalty were added to its debt
    /// (`shares` borrow shares) and to both market totals (lenders earn it, as interest).
    event AuctionPenalty(MarketId indexed id, address indexed borrower, uint256 assets, uint256 shares);

    // ------------------------------------------------------------------ errors

    error MarketNotFound(MarketId id);
    error MarketAlreadyExists(MarketId id);
    error InvalidMarketParams(string reason);
    error ZeroAmount();
    error ZeroAddress();
    /// @notice The amount is too small to be worth one share (it would be donated for nothing).
    error ZeroShares();
    error SupplyCapExceeded(uint256 totalSupplyAssets, uint256 supplyCap);
    error BorrowCapExceeded(uint256 totalBorrowAssets, uint256 borrowCap);
    /// @notice Not enough idle liquidity: `available` loan-token base units, `requested` asked for.
    error InsufficientLiquidity(uint256 available, uint256 requested);
    error InsufficientSupplyShares(uint256 shares, uint256 owned);
    error InsufficientCollateral(uint256 requested, uint256 owned);
    error RepayExceedsDebt(uint256 assets, uint256 debt);
    /// @notice After the action the debt would exceed what `maxLtv` allows against the collateral.
    error MaxLtvExceeded(uint256 debt, uint256 maxDebt);
    /// @notice The appraisal is older than its feed's max age; borrowing, withdrawing collateral against
    /// debt, and liquidating all stop until it is refreshed.
    error StalePrice(address token, uint256 updatedAt);
    error PositionHealthy(uint256 healthFactor);
    /// @notice The property token is paused: `borrow` and `liquidate` wait until it is unpaused (no new debt
    /// against collateral that could not be seized; no seizure of collateral that cannot move).
    error CollateralPaused(address token);
    /// @notice The position's owner must be verified in the property token's identity registry and not
    /// frozen by its agent to borrow, to withdraw collateral, or to receive collateral (`supplyCollateral`
    /// on its behalf): a freeze holds the property, the pool never lets it out through a position.
    error OwnerNotAllowed(address owner);
    /// @notice The receiver of seized collateral must be verified and not frozen in the property token.
    error ReceiverNotAllowed(address receiver);
    /// @notice A partial liquidation would leave debt or collateral value below `minLeftoverDebt`.
    error MustNotLeaveDust(uint256 remainingDebt, uint256 remainingCollateralValue);
    /// @notice A partial liquidation would lower the health factor (collateral worth less than debt times
    /// the incentive); only a liquidation that seizes all collateral is allowed then.
    error HealthWouldWorsen(uint256 healthFactorBefore, uint256 healthFactorAfter);
    /// @notice `repayWithRent` needs the property's rent to be paid in this market's loan token.
    error RentNotInLoanToken(address rentToken, address loanToken);
    /// @notice A liquidation term outside its bounds at market creation.
    error InvalidCureTerms(string name, uint256 value, uint256 min, uint256 max);
    /// @notice The market liquidates by auction only: `liquidate` is closed.
    error FixedLiquidationDisabled(MarketId id);
    /// @notice The position is locked in an auction: only takes change its debt and collateral.
    error PositionInAuction(MarketId id, address borrower);
    /// @notice The position's cure window is still open (until `deadline`) and its health is above the floor.
    error CureWindowOpen(MarketId id, address borrower, uint256 deadline);
    /// @notice The market has a cure window and the position has no valid flag: flag it first.
    error NotFlagged(MarketId id, address borrower);
    /// @notice The market has no cure window.
    error NoCureWindow(MarketId id);
    /// @notice The position is unhealthy; its flag stays.
    error PositionUnhealthy(uint256 healthFactor);
    /// @notice Only the market's auction contract calls the auction hooks.
    error NotAuction(address caller);

    // ------------------------------------------------------------------ constants

    function WAD() external view returns (uint256);
    function PRICE_SCALE() external view returns (uint256);
    /// @notice Health factor at or below which a liquidation may close the whole debt: 0.95 (WAD).
    function CLOSE_FACTOR_HF_THRESHOLD() external view returns (uint256);
    /// @notice Share of the debt a liquidation may close above that threshold: 0.5 (WAD).
    function DEFAULT_CLOSE_FACTOR() external view returns (uint256);

    // ------------------------------------------------------------------ admin

    /// @notice Creates a market. Owner only. The oracle must already price the collateral.
    function createMarket(MarketParams calldata params) external returns (MarketId id);

    /// @notice Creates a market with its liquidation terms (and, when `terms.auction` is set, its auction
    /// parameters, passed to that auction contract), all fixed forever. Owner only. `auctionParams` is ignored
    /// when `terms.auction` is 0. The market id is the same as `createMarket`'s.
    function createMarketWithTerms(
        MarketParams calldata params,
        LiquidationTerms calldata terms,
        AuctionParams calldata auctionParams
    ) external returns (MarketId id);

    // ------------------------------------------------------------------ cure window

    /// @notice Flags an unhealthy position of a market with a cure window, starting its window, or confirms
    /// an existing flag under the current appraisal (see `CureFlag`); anyone may call it. Needs a fresh price.
    function flag(MarketId id, address borrower) external;
    /// @notice Clears the flag of a position healthy now; anyone may call it. Needs a fresh price.
    function clearFlag(MarketId id, address borrower) external;

    // ------------------------------------------------------------------ auction hooks (the market's auction)

    /// @notice Locks an unhealthy position for auction (cure rule and price checks as `liquidate`), adds the
    /// penalty `debt x penalty` (rounded up) to its debt; returns the debt after it, the lot and the appraisal.
    function openAuction(MarketId id, address borrower, uint256 penalty)
        external
        returns (uint256 debt, uint256 lot, uint256 price);
    /// @notice Pays `keeper` up to `assets` of the market's idle liquidity, borrowed on the position in auction
    /// (`Borrow` with the auction as caller); returns what was paid and the debt after.
    function payKeeper(MarketId id, address borrower, address keeper, uint256 assets)
        external
        returns (uint256 paid, uint256 debt);
    /// @notice A take at `price`: repays from `payer`, moves collateral to `receiver` (`Liquidate`, with
    /// `payer` as liquidator), writes bad debt off when the collateral runs out, unlocks when it ends.
    function auctionTake(
        MarketId id,
        address borrower,
        uint256 requested,
        uint256 price,
        address payer,
        address receiver
    ) external returns (uint256 bought, uint256 paid, uint256 badDebt, bool ended);

    // ------------------------------------------------------------------ lenders

    /// @notice Supplies `assets` of loan token (pulled from the caller) for shares credited to `onBehalf`.
    function supply(MarketId id, uint256 assets, address onBehalf) external returns (uint256 shares);
    /// @notice Withdraws `assets` of the caller's supply to `receiver`; `type(uint256).max` withdraws all.
    function withdraw(MarketId id, uint256 assets, address receiver)
        external
        returns (uint256 withdrawnAssets, uint256 shares);

    // ------------------------------------------------------------------ borrowers

    /// @notice Locks `assets` of property token (pulled from the caller) as `onBehalf`'s collateral.
    /// `onBehalf` must be verified and not frozen in the property token (`OwnerNotAllowed`).
    function supplyCollateral(MarketId id, uint256 assets, address onBehalf) external;
    /// @notice Unlocks the caller's collateral to `receiver`. The caller must be verified and not frozen
    /// (`OwnerNotAllowed`). With debt, needs a fresh price and LTV within `maxLtv` afterwards; without debt,
    /// needs no price at all.
    function withdrawCollateral(MarketId id, uint256 assets, address receiver) external;
    /// @notice Borrows `assets` against the caller's collateral, sent to `receiver`. The property token must
    /// not be paused (`CollateralPaused`), the caller must be verified and not frozen (`OwnerNotAllowed`),
    /// and the price fresh.
    function borrow(MarketId id, uint256 assets, address receiver) external returns (uint256 shares);
    /// @notice Repays `onBehalf`'s debt with the caller's loan token; `type(uint256).max` repays all of it.
    function repay(MarketId id, uint256 assets, address onBehalf)
        external
        returns (uint256 repaidAssets, uint256 shares);
    /// @notice Pays the caller's rent earned by its locked collateral to `receiver`. Settles the position
    /// first and always emits `RentClaimed`, also when it pays 0 (then no tokens move).
    function claimRent(MarketId id, address receiver) external returns (uint256 amount);
    /// @notice Uses the caller's rent earned by its locked collateral to repay its own debt (up to the debt);
    /// any rent beyond the debt stays claimable.
    function repayWithRent(MarketId id) external returns (uint256 repaidAssets, uint256 shares);

    // ------------------------------------------------------------------ liquidators

    /// @notice Repays up to `repayAssets` of an unhealthy borrower's debt (clamped to the close factor;
    /// `type(uint256).max` takes the most allowed) and sends the seized collateral to `receiver`.
    /// When the seizure takes the last collateral and debt remains, the borrower's rent held by the pool
    /// (when paid in the loan token) repays it first (`RentClaimed` to the pool and `Repay` by the pool,
    /// before `Liquidate`); only what is left is written off as bad debt. Works for frozen or unverified
    /// borrowers too: a freeze must never shield a position from liquidation.
    function liquidate(MarketId id, address borrower, uint256 repayAssets, address receiver)
        external
        returns (uint256 repaidAssets, uint256 seizedCollateral, uint256 badDebtAssets);

    /// @notice Accrues interest to now. Anyone may call it.
    function accrueInterest(MarketId id) external;

    // ------------------------------------------------------------------ views

    function marketId(address collateralToken, address loanToken) external pure returns (MarketId);
    function marketParams(MarketId id) external view returns (MarketParams memory);
    /// @notice The market's totals accrued to now.
    function market(MarketId id) external view returns (Market memory);
    /// @notice The stored position (shares and rent bookkeeping), as of its last change.
    function positionShares(MarketId id, address account) external view returns (Position memory);
    /// @notice The position valued now.
    function position(MarketId id, address account) external view returns (PositionView memory);
    /// @notice Whether `liquidate` (or, on an auction market, the auction's `start`) would accept this borrower
    /// now: market live, price fresh, token not paused, debt above what LLTV allows, not in auction, and on a
    /// market with a cure window a valid flag whose window is over, or health under the hard floor.
    function isLiquidatable(MarketId id, address borrower) external view returns (bool);
    /// @notice The borrow rate per second (WAD) for the market's utilization now.
    function borrowRate(MarketId id) external view returns (uint256);
    /// @notice Morpho's bound: min(1.15, 1 / (1 - 0.3 * (1 - lltv))), WAD.
    function maxLiquidationIncentive(uint256 lltv) external pure returns (uint256);
    /// @notice The market's liquidation terms (all zero for `createMarket` markets).
    function liquidationTerms(MarketId id) external view returns (LiquidationTerms memory);
    /// @notice The position's cure flag and auction lock.
    function cureFlag(MarketId id, address borrower) external view returns (CureFlag memory);
    /// @notice Every market id, in creation order.
    function marketIds() external view returns (MarketId[] memory);
    /// @notice The pool's rent index for a property token: rent-token base units per collateral base unit
    /// held for borrowers, times RENT_SCALE (1e36). Only ever grows.
    function rentIndex(address collateralToken) external view returns (uint256);
    /// @notice Collateral of `collateralToken` locked across all markets.
    function totalCollateralOf(address collateralToken) external view returns (uint256);
}
