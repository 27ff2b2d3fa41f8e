// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {
    ILendingPool,
    MarketId,
    MarketParams,
    Market,
    Position,
    PositionView,
    LiquidationTerms,
    CureFlag
} from "./interfaces/ILendingPool.sol";
import {IDutchAuction, AuctionParams} from "./interfaces/IDutchAuction.sol";
import {AuctionLib} from "./libraries/AuctionLib.sol";
import {IAppraisalOracle} from "./interfaces/IAppraisalOracle.sol";
import {IPropertyToken} from "./interfaces/IPropertyToken.sol";
import {MathLib, WAD} from "./libraries/MathLib.sol";
import {SharesLib} from "./libraries/SharesLib.sol";
import {RateLib} from "./libraries/RateLib.sol";
import {RiskLib, PRICE_SCALE as RISK_PRICE_SCALE} from "./libraries/RiskLib.sol";

/// @title LendingPool
/// @notice See {ILendingPool}. Isolated markets: a property token is collateral only in its own markets,
/// so one property's bad appraisal cannot reach lenders of another.
contract LendingPool is ILendingPool, Ownable2Step, ReentrancyGuard {
    using MathLib for uint256;
    using SharesLib for uint256;
    using SafeERC20 for IERC20;

    /// @inheritdoc ILendingPool
    uint256 public constant WAD = 1e18;
    /// @inheritdoc ILendingPool
    uint256 public constant PRICE_SCALE = RISK_PRICE_SCALE;
    /// @inheritdoc ILendingPool
    uint256 public constant CLOSE_FACTOR_HF_THRESHOLD = 0.95e18;
    /// @inheritdoc ILendingPool
    uint256 public constant DEFAULT_CLOSE_FACTOR = 0.5e18;
    /// @notice Scale of the pool's rent index, the same as the property token's.
    uint256 public constant RENT_SCALE = 1e36;
    /// @notice The longest cure window a market may set: 30 days.
    uint256 public constant MAX_CURE_WINDOW = 30 days;
    /// @notice The lowest hard floor a market with a cure window may set (WAD): below 0.5 no window applies.
    uint256 public constant MIN_HARD_FLOOR_HEALTH = 0.5e18;

    /// @dev LiquidationTerms packed into one slot (the bounds fit: 30 days < 2^32, 1e18 < 2^64).
    struct Terms {
        address auction;
        uint32 cureWindow;
        uint64 hardFloorHealth;
    }

    mapping(MarketId => MarketParams) private _params;
    mapping(MarketId => Market) private _markets;
    mapping(MarketId => mapping(address => Position)) private _positions;
    MarketId[] private _marketIds;

    /// @inheritdoc ILendingPool
    mapping(address => uint256) public rentIndex;
    /// @inheritdoc ILendingPool
    mapping(address => uint256) public totalCollateralOf;

    mapping(MarketId => Terms) private _terms;
    mapping(MarketId => mapping(address => CureFlag)) private _flags;

    constructor(address owner) Ownable(owner) {}

    // ================================================================== admin

    /// @inheritdoc ILendingPool
    function createMarket(MarketParams calldata p) external onlyOwner returns (MarketId id) {
        id = _create(p);
    }

    /// @inheritdoc ILendingPool
    function createMarketWithTerms(
        MarketParams calldata p,
        LiquidationTerms calldata t,
        AuctionParams calldata a
    ) external onlyOwner returns (MarketId id) {
        if (t.cureWindow > MAX_CURE_WINDOW) {
            revert InvalidCureTerms("cureWindow", t.cureWindow, 0, MAX_CURE_WINDOW);
        }
        // Without a window the floor means nothing, so it must be 0: one market, one reading of its terms.
        (uint256 lo, uint256 hi) = t.cureWindow == 0 ? (0, 0) : (MIN_HARD_FLOOR_HEALTH, WAD - 1);
        if (t.hardFloorHealth < lo || t.hardFloorHealth > hi) {
            revert InvalidCureTerms("hardFloorHealth", t.hardFloorHealth, lo, hi);
        }
        id = _create(p);
        // forge-lint: disable-next-line(unsafe-typecast) both bounded above
        _terms[id] = Terms(t.auction, uint32(t.cureWindow), uint64(t.hardFloorHealth));
        emit LiquidationTermsSet(id, t.auction, t.cureWindow, t.hardFloorHealth);
        // The auction contract validates and stores its own parameters; it accepts them from this pool only.
        if (t.auction != address(0)) IDutchAuction(t.auction).configureMarket(id, a);
    }

    function _create(MarketParams calldata p) private returns (MarketId id) {
        _validate(p);
        id = marketId(p.collateralToken, p.loanToken);
        if (_markets[id].lastUpdate != 0) revert MarketAlreadyExists(id);
        // The oracle must already price the collateral: a market nobody can value is a market nobody can
        // liquidate. latestPrice reverts with the oracle's UnknownFeed/NoPrice otherwise.
        IAppraisalOracle(p.oracle).latestPrice(p.collateralToken);
        _params[id] = p;
        _markets[id].lastUpdate = block.timestamp;
        _marketIds.push(id);
        emit MarketCreated(id, p);
    }

    function _validate(MarketParams calldata p) private pure {
        if (p.collateralToken == address(0) || p.loanToken == address(0) || p.oracle == address(0)) {
            revert ZeroAddress();
        }
        if (p.collateralToken == p.loanToken) revert InvalidMarketParams("collateral equals loan token");
        if (p.lltv == 0 || p.lltv >= WAD) revert InvalidMarketParams("lltv outside (0, 1)");
        if (p.maxLtv == 0 || p.maxLtv >= p.lltv) revert InvalidMarketParams("maxLtv outside (0, lltv)");
        if (p.liquidationIncentive <= WAD || p.liquidationIncentive > RiskLib.maxLiquidationIncentive(p.lltv))
        {
            revert InvalidMarketParams("incentive outside (1, maxLiquidationIncentive(lltv)]");
        }
        if (p.kinkUtilization == 0 || p.kinkUtilization >= WAD) {
            revert InvalidMarketParams("kink outside (0, 1)");
        }
        if (
            p.baseRatePerYear > RateLib.MAX_RATE_PER_YEAR || p.slope1PerYear > RateLib.MAX_RATE_PER_YEAR
                || p.slope2PerYear > RateLib.MAX_RATE_PER_YEAR
        ) revert InvalidMarketParams("rate above 1000% per year");
    }

    // ================================================================== lenders

    /// @inheritdoc ILendingPool
    function supply(MarketId id, uint256 assets, address onBehalf)
        external
        nonReentrant
        returns (uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        if (onBehalf == address(0)) revert ZeroAddress();
        (MarketParams memory p, Market storage m) = _accrue(id);

        shares = assets.toSharesDown(m.totalSupplyAssets, m.totalSupplyShares);
        if (shares == 0) revert ZeroShares();
        uint256 newTotal = m.totalSupplyAssets + assets;
        if (p.supplyCap != 0 && newTotal > p.supplyCap) revert SupplyCapExceeded(newTotal, p.supplyCap);

        _positions[id][onBehalf].supplyShares += shares;
        m.totalSupplyShares += shares;
        m.totalSupplyAssets = newTotal;

        emit Supply(id, msg.sender, onBehalf, assets, shares);
        IERC20(p.loanToken).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc ILendingPool
    function withdraw(MarketId id, uint256 assets, address receiver)
        external
        nonReentrant
        returns (uint256 withdrawnAssets, uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        (MarketParams memory p, Market storage m) = _accrue(id);
        Position storage pos = _positions[id][msg.sender];

        if (assets == type(uint256).max) {
            shares = pos.supplyShares;
            // What the lender receives rounds down.
            withdrawnAssets = shares.toAssetsDown(m.totalSupplyAssets, m.totalSupplyShares);
            if (withdrawnAssets == 0) revert ZeroAmount();
        } else {
            // The shares burned for a given amount round up.
            shares = assets.toSharesUp(m.totalSupplyAssets, m.totalSupplyShares);
            withdrawnAssets = assets;
        }
        if (shares > pos.supplyShares) revert InsufficientSupplyShares(shares, pos.supplyShares);
        uint256 available = m.totalSupplyAssets.zeroFloorSub(m.totalBorrowAssets);
        if (withdrawnAssets > available) revert InsufficientLiquidity(available, withdrawnAssets);

        pos.supplyShares -= shares;
        m.totalSupplyShares -= shares;
        m.totalSupplyAssets -= withdrawnAssets;

        emit Withdraw(id, msg.sender, msg.sender, receiver, withdrawnAssets, shares);
        IERC20(p.loanToken).safeTransfer(receiver, withdrawnAssets);
    }

    // ================================================================== borrowers

    /// @inheritdoc ILendingPool
    function supplyCollateral(MarketId id, uint256 assets, address onBehalf) external nonReentrant {
        if (assets == 0) revert ZeroAmount();
        if (onBehalf == address(0)) revert ZeroAddress();
        (MarketParams memory p, Market storage m) = _load(id);
        // The token checks only the caller: a verified holder could otherwise give a position to anyone.
        _requireOwnerAllowed(p, onBehalf);
        _requireNotInAuction(id, onBehalf);
        Position storage pos = _positions[id][onBehalf];

        _pullRent(p.collateralToken);
        _settleRent(p.collateralToken, pos);
        pos.collateral += assets;
        m.totalCollateral += assets;
        totalCollateralOf[p.collateralToken] += assets;
        _clearIfHealthy(id, p, m, onBehalf);

        emit SupplyCollateral(id, msg.sender, onBehalf, assets);
        // The property token enforces compliance: the caller and this pool must be verified and unfrozen.
        IERC20(p.collateralToken).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc ILendingPool
    function withdrawCollateral(MarketId id, uint256 assets, address receiver) external nonReentrant {
        if (assets == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        (MarketParams memory p, Market storage m) = _accrue(id);
        // The token checks only the pool and the receiver: a frozen owner would send its collateral to an
        // accomplice.
        _requireOwnerAllowed(p, msg.sender);
        _requireNotInAuction(id, msg.sender);
        Position storage pos = _positions[id][msg.sender];
        if (assets > pos.collateral) revert InsufficientCollateral(assets, pos.collateral);

        _pullRent(p.collateralToken);
        _settleRent(p.collateralToken, pos);
        pos.collateral -= assets;
        m.totalCollateral -= assets;
        totalCollateralOf[p.collateralToken] -= assets;
        // Without debt there is nothing to protect, so no price is needed: a borrower who has repaid can
        // always take the property back, even if the appraiser has gone quiet.
        if (pos.borrowShares != 0) _requireWithinMaxLtv(p, m, pos, _freshPrice(p));
        _clearIfHealthy(id, p, m, msg.sender);

        emit WithdrawCollateral(id, msg.sender, msg.sender, receiver, assets);
        IERC20(p.collateralToken).safeTransfer(receiver, assets);
    }

    /// @inheritdoc ILendingPool
    function borrow(MarketId id, uint256 assets, address receiver)
        external
        nonReentrant
        returns (uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        (MarketParams memory p, Market storage m) = _accrue(id);
        // No new debt against collateral that could not be seized while the token is paused.
        if (IPropertyToken(p.collateralToken).paused()) revert CollateralPaused(p.collateralToken);
        _requireOwnerAllowed(p, msg.sender);
        _requireNotInAuction(id, msg.sender);
        uint256 price = _freshPrice(p);
        Position storage pos = _positions[id][msg.sender];

        uint256 available = m.totalSupplyAssets.zeroFloorSub(m.totalBorrowAssets);
        if (assets > available) revert InsufficientLiquidity(available, assets);
        // The borrower's new debt rounds up.
        shares = assets.toSharesUp(m.totalBorrowAssets, m.totalBorrowShares);
        pos.borrowShares += shares;
        m.totalBorrowShares += shares;
        m.totalBorrowAssets += assets;
        if (p.borrowCap != 0 && m.totalBorrowAssets > p.borrowCap) {
            revert BorrowCapExceeded(m.totalBorrowAssets, p.borrowCap);
        }
        _requireWithinMaxLtv(p, m, pos, price);
        _clearIfHealthy(id, p, m, msg.sender);

        emit Borrow(id, msg.sender, msg.sender, receiver, assets, shares);
        IERC20(p.loanToken).safeTransfer(receiver, assets);
    }

    /// @inheritdoc ILendingPool
    function repay(MarketId id, uint256 assets, address onBehalf)
        external
        nonReentrant
        returns (uint256 repaidAssets, uint256 shares)
    {
        if (assets == 0) revert ZeroAmount();
        if (onBehalf == address(0)) revert ZeroAddress();
        (MarketParams memory p, Market storage m) = _accrue(id);
        _requireNotInAuction(id, onBehalf);
        Position storage pos = _positions[id][onBehalf];

        (repaidAssets, shares) = _repayAmounts(m, pos, assets);
        _applyRepay(m, pos, repaidAssets, shares);
        _clearIfHealthy(id, p, m, onBehalf);

        emit Repay(id, msg.sender, onBehalf, repaidAssets, shares);
        IERC20(p.loanToken).safeTransferFrom(msg.sender, address(this), repaidAssets);
    }

    /// @inheritdoc ILendingPool
    function claimRent(MarketId id, address receiver) external nonReentrant returns (uint256 amount) {
        if (receiver == address(0)) revert ZeroAddress();
        (MarketParams memory p,) = _load(id);
        Position storage pos = _positions[id][msg.sender];

        _pullRent(p.collateralToken);
        _settleRent(p.collateralToken, pos);
        amount = pos.rentAccrued;
        pos.rentAccrued = 0;

        // Emitted even when nothing is paid: settling moved rentIndexPaid, and an indexer rebuilding the
        // position from logs must settle it at the same index, or its later rent differs by the rounding.
        emit RentClaimed(id, msg.sender, receiver, amount);
        // A zero claim moves no tokens: some stablecoins revert on zero transfers or on a blocked receiver,
        // and settling must not fail for a transfer that would pay nothing.
        if (amount != 0) IPropertyToken(p.collateralToken).rentToken().safeTransfer(receiver, amount);
    }

    /// @inheritdoc ILendingPool
    function repayWithRent(MarketId id) external nonReentrant returns (uint256 repaidAssets, uint256 shares) {
        (MarketParams memory p, Market storage m) = _accrue(id);
        address rentToken = address(IPropertyToken(p.collateralToken).rentToken());
        if (rentToken != p.loanToken) revert RentNotInLoanToken(rentToken, p.loanToken);
        _requireNotInAuction(id, msg.sender);
        Position storage pos = _positions[id][msg.sender];

        _pullRent(p.collateralToken);
        _settleRent(p.collateralToken, pos);
        uint256 debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 amount = pos.rentAccrued.min(debt);
        if (amount == 0) revert ZeroAmount();

        // The rent is already in the pool (pulled above), so repaying moves no tokens.
        (repaidAssets, shares) = _repayAmounts(m, pos, amount);
        pos.rentAccrued -= repaidAssets;
        _applyRepay(m, pos, repaidAssets, shares);
        _clearIfHealthy(id, p, m, msg.sender);

        emit RentClaimed(id, msg.sender, address(this), repaidAssets);
        emit Repay(id, msg.sender, msg.sender, repaidAssets, shares);
    }

    // ================================================================== liquidators

    /// @dev Working values of one liquidation, in a struct to keep the stack shallow.
    struct Liquidation {
        uint256 price;
        uint256 debt;
        uint256 healthFactor;
        uint256 repaidAssets;
        uint256 repaidShares;
        uint256 seized;
        uint256 badDebtAssets;
        uint256 badDebtShares;
        bool ended; // an auction take only: the debt or the collateral is gone
    }

    /// @inheritdoc ILendingPool
    function liquidate(MarketId id, address borrower, uint256 repayAssets, address receiver)
        external
        nonReentrant
        returns (uint256, uint256, uint256)
    {
        if (repayAssets == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        (MarketParams memory p, Market storage m) = _accrue(id);
        if (_terms[id].auction != address(0)) revert FixedLiquidationDisabled(id);
        IPropertyToken collateral = IPropertyToken(p.collateralToken);
        // Checked here rather than left to the token so a bot gets a reason before it pays for anything.
        if (collateral.paused()) revert CollateralPaused(p.collateralToken);
        if (!collateral.canReceive(receiver)) revert ReceiverNotAllowed(receiver);

        Position storage pos = _positions[id][borrower];
        Liquidation memory l;
        l.price = _freshPrice(p);
        l.debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        l.healthFactor =
            RiskLib.healthFactor(RiskLib.collateralValue(pos.collateral, l.price), p.lltv, l.debt);
        if (l.healthFactor >= WAD) revert PositionHealthy(l.healthFactor);
        _passCure(id, borrower, p, l.healthFactor, l.price);

        _sizeLiquidation(p, pos, l, repayAssets, m);

        pos.borrowShares -= l.repaidShares;
        m.totalBorrowShares -= l.repaidShares;
        m.totalBorrowAssets = m.totalBorrowAssets.zeroFloorSub(l.repaidAssets);

        _pullRent(p.collateralToken);
        _settleRent(p.collateralToken, pos);
        pos.collateral -= l.seized;
        m.totalCollateral -= l.seized;
        totalCollateralOf[p.collateralToken] -= l.seized;

        if (pos.borrowShares != 0) {
            if (pos.collateral == 0) {
                _applyRentToDebt(id, p, m, pos, borrower);
                if (pos.borrowShares != 0) _realizeBadDebt(m, pos, l);
            } else {
                _requireSoundRemainder(p, m, pos, l);
            }
        }
        _clearIfHealthy(id, p, m, borrower);

        emit Liquidate(
            id,
            msg.sender,
            borrower,
            receiver,
            l.repaidAssets,
            l.repaidShares,
            l.seized,
            l.badDebtAssets,
            l.badDebtShares
        );
        IERC20(p.loanToken).safeTransferFrom(msg.sender, address(this), l.repaidAssets);
        IERC20(p.collateralToken).safeTransfer(receiver, l.seized);
        return (l.repaidAssets, l.seized, l.badDebtAssets);
    }

    /// @dev Decides how much debt is repaid and how much collateral is seized.
    /// Close factor: 50% of the debt (rounded up) while the health factor is above 0.95, all of it at or
    /// below 0.95 — and all of it when half would leave less than `minLeftoverDebt` (as Aave 3.3 does for
    /// small positions), or when the collateral is worth less than debt x incentive (then no partial
    /// liquidation can help), so every liquidatable position can be liquidated.
    /// seized = repaid * incentive / price, rounded down (the liquidator's reward never rounds up).
    /// When that exceeds the collateral, all collateral is seized and the repayment shrinks to its value
    /// divided by the incentive, rounded up (the liquidator pays at least the fair amount).
    function _sizeLiquidation(
        MarketParams memory p,
        Position storage pos,
        Liquidation memory l,
        uint256 repayAssets,
        Market storage m
    ) private view {
        uint256 value = RiskLib.collateralValue(pos.collateral, l.price);
        // A position whose collateral is worth less than debt x incentive only gets less healthy with
        // every partial liquidation, so it must be closeable whole whatever its health factor.
        bool fullClose = l.healthFactor <= CLOSE_FACTOR_HF_THRESHOLD || l.debt < 2 * p.minLeftoverDebt
            || value < l.debt.mulDivUp(p.liquidationIncentive, WAD);
        uint256 maxRepay = fullClose ? l.debt : l.debt.mulDivUp(DEFAULT_CLOSE_FACTOR, WAD);
        l.repaidAssets = repayAssets.min(maxRepay);

        l.seized = l.repaidAssets.wMulDown(p.liquidationIncentive).mulDivDown(PRICE_SCALE, l.price);
        if (l.seized > pos.collateral) {
            l.seized = pos.collateral;
            uint256 fairRepay = l.seized.mulDivUp(l.price, PRICE_SCALE).wDivUp(p.liquidationIncentive);
            l.repaidAssets = l.repaidAssets.min(fairRepay);
        }

        if (l.repaidAssets >= l.debt) {
            // Closing the whole debt burns every share, so no share dust survives the rounding.
            l.repaidAssets = l.debt;
            l.repaidShares = pos.borrowShares;
        } else {
            // Shares burned for the repayment round down: the borrower is credited no more than was paid.
            l.repaidShares = l.repaidAssets.toSharesDown(m.totalBorrowAssets, m.totalBorrowShares);
            if (l.repaidShares == 0) revert ZeroShares();
        }
    }

    /// @dev Before writing debt off against lenders, the borrower's own rent held by the pool pays it (when
    /// rent is in the loan token): min(rentAccrued, debt), burning toSharesDown of it, or every share when it
    /// covers the debt. A rent too small to buy one share is left as it is.
    function _applyRentToDebt(
        MarketId id,
        MarketParams memory p,
        Market storage m,
        Position storage pos,
        address borrower
    ) private {
        if (pos.rentAccrued == 0) return;
        if (address(IPropertyToken(p.collateralToken).rentToken()) != p.loanToken) return;
        uint256 debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 assets = pos.rentAccrued.min(debt);
        uint256 shares =
            assets == debt ? pos.borrowShares : assets.toSharesDown(m.totalBorrowAssets, m.totalBorrowShares);
        if (shares == 0) return;
        pos.rentAccrued -= assets;
        _applyRepay(m, pos, assets, shares);
        emit RentClaimed(id, borrower, address(this), assets);
        emit Repay(id, address(this), borrower, assets, shares);
    }

    /// @dev No collateral is left to back the remaining debt: write it off against lenders at once
    /// (Morpho Blue's rule), so the loss is visible and shared rather than lingering as phantom assets.
    function _realizeBadDebt(Market storage m, Position storage pos, Liquidation memory l) private {
        l.badDebtShares = pos.borrowShares;
        l.badDebtAssets =
            l.badDebtShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares).min(m.totalBorrowAssets);
        pos.borrowShares = 0;
        m.totalBorrowShares -= l.badDebtShares;
        m.totalBorrowAssets -= l.badDebtAssets;
        m.totalSupplyAssets = m.totalSupplyAssets.zeroFloorSub(l.badDebtAssets);
    }

    /// @dev A partial liquidation must leave a position worth keeping: debt and collateral value both at
    /// least `minLeftoverDebt` (no dust nobody will bother to liquidate), and a health factor no lower
    /// than before (otherwise repeated liquidations would drain a position underwater instead of closing it).
    function _requireSoundRemainder(
        MarketParams memory p,
        Market storage m,
        Position storage pos,
        Liquidation memory l
    ) private view {
        uint256 remainingDebt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 remainingValue = RiskLib.collateralValue(pos.collateral, l.price);
        if (remainingDebt < p.minLeftoverDebt || remainingValue < p.minLeftoverDebt) {
            revert MustNotLeaveDust(remainingDebt, remainingValue);
        }
        uint256 healthAfter = RiskLib.healthFactor(remainingValue, p.lltv, remainingDebt);
        if (healthAfter < l.healthFactor) revert HealthWouldWorsen(l.healthFactor, healthAfter);
    }

    /// @inheritdoc ILendingPool
    function accrueInterest(MarketId id) external nonReentrant {
        _accrue(id);
    }

    // ================================================================== cure window

    /// @inheritdoc ILendingPool
    function flag(MarketId id, address borrower) external nonReentrant {
        (MarketParams memory p, Market storage m) = _accrue(id);
        if (_terms[id].cureWindow == 0) revert NoCureWindow(id);
        CureFlag storage f = _flags[id][borrower];
        if (f.inAuction) revert PositionInAuction(id, borrower);
        uint256 price = _freshPrice(p);
        uint256 hf = _health(p, m, _positions[id][borrower], price);
        if (hf >= WAD) revert PositionHealthy(hf);
        uint256 seq = _appraisalSeq(p);
        // A flag that no longer holds (set under an older appraisal) starts a new window: the position may
        // have been healthy in between, and its borrower gets the whole window again.
        // forge-lint: disable-next-line(unsafe-typecast) timestamps fit in 64 bits
        if (f.flaggedAt == 0 || !_flagHolds(f, seq, price)) f.flaggedAt = uint64(block.timestamp);
        _confirmFlag(id, borrower, f, seq, price);
    }

    /// @inheritdoc ILendingPool
    function clearFlag(MarketId id, address borrower) external nonReentrant {
        (MarketParams memory p, Market storage m) = _accrue(id);
        CureFlag storage f = _flags[id][borrower];
        if (f.inAuction) revert PositionInAuction(id, borrower);
        if (f.flaggedAt == 0) revert NotFlagged(id, borrower);
        uint256 hf = _health(p, m, _positions[id][borrower], _freshPrice(p));
        if (hf < WAD) revert PositionUnhealthy(hf);
        _clearFlag(id, borrower, f);
    }

    // ================================================================== auction hooks

    /// @inheritdoc ILendingPool
    function openAuction(MarketId id, address borrower, uint256 penalty)
        external
        nonReentrant
        returns (uint256 debt, uint256 lot, uint256 price)
    {
        (MarketParams memory p, Market storage m) = _accrue(id);
        _requireAuction(id);
        if (IPropertyToken(p.collateralToken).paused()) revert CollateralPaused(p.collateralToken);
        _requireNotInAuction(id, borrower);
        Position storage pos = _positions[id][borrower];
        price = _freshPrice(p);
        uint256 hf = _health(p, m, pos, price);
        if (hf >= WAD) revert PositionHealthy(hf);
        _passCure(id, borrower, p, hf, price);
        _flags[id][borrower].inAuction = true;

        // The penalty is owed by the borrower and earned by lenders at once, as interest is: both totals grow
        // by it, and the borrower's new shares round up. A shortfall later writes it off with the rest.
        debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 assets = debt.mulDivUp(penalty, WAD);
        if (assets != 0) {
            uint256 shares = assets.toSharesUp(m.totalBorrowAssets, m.totalBorrowShares);
            pos.borrowShares += shares;
            m.totalBorrowShares += shares;
            m.totalBorrowAssets += assets;
            m.totalSupplyAssets += assets;
            emit AuctionPenalty(id, borrower, assets, shares);
            debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        }
        lot = pos.collateral;
    }

    /// @inheritdoc ILendingPool
    function payKeeper(MarketId id, address borrower, address keeper, uint256 assets)
        external
        nonReentrant
        returns (uint256 paid, uint256 debt)
    {
        (MarketParams memory p, Market storage m) = _accrue(id);
        _requireAuction(id);
        Position storage pos = _positions[id][borrower];
        // Lenders front the reward from idle liquidity, as a borrow on the position in auction: the proceeds
        // repay it, or a shortfall writes it off. With less idle liquidity the keeper gets what there is.
        paid = assets.min(m.totalSupplyAssets.zeroFloorSub(m.totalBorrowAssets));
        if (paid != 0) {
            uint256 shares = paid.toSharesUp(m.totalBorrowAssets, m.totalBorrowShares);
            pos.borrowShares += shares;
            m.totalBorrowShares += shares;
            m.totalBorrowAssets += paid;
            emit Borrow(id, msg.sender, borrower, keeper, paid, shares);
            IERC20(p.loanToken).safeTransfer(keeper, paid);
        }
        debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
    }

    /// @inheritdoc ILendingPool
    function auctionTake(
        MarketId id,
        address borrower,
        uint256 requested,
        uint256 price,
        address payer,
        address receiver
    ) external nonReentrant returns (uint256, uint256, uint256, bool) {
        (MarketParams memory p, Liquidation memory l) = _take(id, borrower, requested, price);
        _settleTake(id, p, borrower, payer, receiver, l);
        return (l.seized, l.repaidAssets, l.badDebtAssets, l.ended);
    }

    function _take(MarketId id, address borrower, uint256 requested, uint256 price)
        private
        returns (MarketParams memory p, Liquidation memory l)
    {
        Market storage m;
        (p, m) = _accrue(id);
        _requireAuction(id);
        if (IPropertyToken(p.collateralToken).paused()) revert CollateralPaused(p.collateralToken);
        l = _repayInAuction(m, _positions[id][borrower], requested, price);
        l.ended = _seizeInAuction(id, p, m, borrower, l);
    }

    /// @dev A take is logged as a liquidation by `payer` (the taker), so a take changes the books exactly as
    /// the `Liquidate` event already says; then the payment comes in and the collateral goes out.
    function _settleTake(
        MarketId id,
        MarketParams memory p,
        address borrower,
        address payer,
        address receiver,
        Liquidation memory l
    ) private {
        emit Liquidate(
            id,
            payer,
            borrower,
            receiver,
            l.repaidAssets,
            l.repaidShares,
            l.seized,
            l.badDebtAssets,
            l.badDebtShares
        );
        IERC20(p.loanToken).safeTransferFrom(payer, address(this), l.repaidAssets);
        IERC20(p.collateralToken).safeTransfer(receiver, l.seized);
    }

    // ================================================================== views

    /// @inheritdoc ILendingPool
    function marketId(address collateralToken, address loanToken) public pure returns (MarketId) {
        return MarketId.wrap(keccak256(abi.encode(collateralToken, loanToken)));
    }

    /// @inheritdoc ILendingPool
    function marketParams(MarketId id) external view returns (MarketParams memory p) {
        (p,) = _load(id);
    }

    /// @inheritdoc ILendingPool
    function market(MarketId id) public view returns (Market memory m) {
        (MarketParams memory p, Market storage stored) = _load(id);
        (m,,) = _accrued(p, stored);
    }

    /// @inheritdoc ILendingPool
    function positionShares(MarketId id, address account) external view returns (Position memory) {
        _load(id);
        return _positions[id][account];
    }

    /// @inheritdoc ILendingPool
    function position(MarketId id, address account) external view returns (PositionView memory v) {
        (MarketParams memory p, Market storage stored) = _load(id);
        (Market memory m,,) = _accrued(p, stored);
        Position storage pos = _positions[id][account];
        IAppraisalOracle oracle = IAppraisalOracle(p.oracle);

        v.supplyShares = pos.supplyShares;
        v.supplyAssets = pos.supplyShares.toAssetsDown(m.totalSupplyAssets, m.totalSupplyShares);
        v.borrowShares = pos.borrowShares;
        v.debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        v.collateral = pos.collateral;
        (v.price, v.priceUpdatedAt) = oracle.latestPrice(p.collateralToken);
        v.priceStale = oracle.isStale(p.collateralToken);
        v.collateralValue = RiskLib.collateralValue(v.collateral, v.price);
        v.ltv = RiskLib.ltv(v.debt, v.collateralValue);
        v.healthFactor = RiskLib.healthFactor(v.collateralValue, p.lltv, v.debt);
        v.liquidationPrice = RiskLib.liquidationPrice(v.debt, v.collateral, p.lltv);
        v.maxBorrowable = _maxBorrowable(p, m, pos, v.collateralValue, v.debt);
        v.claimableRent = _claimableRent(p.collateralToken, pos);
    }

    /// @inheritdoc ILendingPool
    function isLiquidatable(MarketId id, address borrower) external view returns (bool) {
        (MarketParams memory p, Market storage stored) = _load(id);
        IPropertyToken collateral = IPropertyToken(p.collateralToken);
        IAppraisalOracle oracle = IAppraisalOracle(p.oracle);
        if (collateral.paused() || oracle.isStale(p.collateralToken)) return false;
        (Market memory m,,) = _accrued(p, stored);
        Position storage pos = _positions[id][borrower];
        (uint256 price,) = oracle.latestPrice(p.collateralToken);
        uint256 debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 value = RiskLib.collateralValue(pos.collateral, price);
        if (debt <= RiskLib.maxDebt(value, p.lltv) || _flags[id][borrower].inAuction) return false;
        uint256 deadline = _cureDeadline(id, borrower, p, RiskLib.healthFactor(value, p.lltv, debt), price);
        return deadline != type(uint256).max && block.timestamp >= deadline;
    }

    /// @inheritdoc ILendingPool
    function borrowRate(MarketId id) external view returns (uint256) {
        (MarketParams memory p, Market storage stored) = _load(id);
        (Market memory m,,) = _accrued(p, stored);
        return RateLib.borrowRatePerSecond(p, m.totalBorrowAssets, m.totalSupplyAssets);
    }

    /// @inheritdoc ILendingPool
    function maxLiquidationIncentive(uint256 lltv) external pure returns (uint256) {
        return RiskLib.maxLiquidationIncentive(lltv);
    }

    /// @inheritdoc ILendingPool
    function marketIds() external view returns (MarketId[] memory) {
        return _marketIds;
    }

    /// @dev The debt side of a take (AuctionLib.sizeTake): paying the whole debt burns every share, any less
    /// burns the shares it covers, rounded down, and must cover at least one (as `repay`).
    function _repayInAuction(Market storage m, Position storage pos, uint256 requested, uint256 price)
        private
        returns (Liquidation memory l)
    {
        l.price = price;
        l.debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        (l.seized, l.repaidAssets) = AuctionLib.sizeTake(pos.collateral, l.debt, requested, price);
        if (l.seized == 0) revert ZeroAmount();
        if (l.repaidAssets == l.debt) {
            l.repaidShares = pos.borrowShares;
        } else {
            l.repaidShares = l.repaidAssets.toSharesDown(m.totalBorrowAssets, m.totalBorrowShares);
            if (l.repaidShares == 0) revert ZeroShares();
        }
        _applyRepay(m, pos, l.repaidAssets, l.repaidShares);
    }

    /// @dev The collateral side of a take: the slice leaves the position (rent settled first); when the last
    /// of it goes with debt left, the borrower's rent and then a write-off settle the debt, as in `liquidate`.
    /// The auction ends when the debt or the collateral is gone: the position is unlocked and unflagged.
    function _seizeInAuction(
        MarketId id,
        MarketParams memory p,
        Market storage m,
        address borrower,
        Liquidation memory l
    ) private returns (bool ended) {
        Position storage pos = _positions[id][borrower];
        _pullRent(p.collateralToken);
        _settleRent(p.collateralToken, pos);
        pos.collateral -= l.seized;
        m.totalCollateral -= l.seized;
        totalCollateralOf[p.collateralToken] -= l.seized;
        if (pos.borrowShares != 0 && pos.collateral == 0) {
            _applyRentToDebt(id, p, m, pos, borrower);
            if (pos.borrowShares != 0) _realizeBadDebt(m, pos, l);
        }
        ended = pos.borrowShares == 0 || pos.collateral == 0;
        if (ended) {
            CureFlag storage f = _flags[id][borrower];
            f.inAuction = false;
            if (f.flaggedAt != 0) _clearFlag(id, borrower, f);
        }
    }

    /// @inheritdoc ILendingPool
    function liquidationTerms(MarketId id) external view returns (LiquidationTerms memory) {
        _load(id);
        Terms memory t = _terms[id];
        return LiquidationTerms(t.auction, t.cureWindow, t.hardFloorHealth);
    }

    /// @inheritdoc ILendingPool
    function cureFlag(MarketId id, address borrower) external view returns (CureFlag memory) {
        return _flags[id][borrower];
    }

    // ================================================================== internals

    function _load(MarketId id) private view returns (MarketParams memory p, Market storage m) {
        m = _markets[id];
        if (m.lastUpdate == 0) revert MarketNotFound(id);
        p = _params[id];
    }

    /// @dev Interest since the last accrual, compounded by three Taylor terms of rate * seconds, on the
    /// rate of the utilization before the accrual; `interest` rounds down and is added to both sides,
    /// so what borrowers owe and what lenders own grow by exactly the same amount.
    function _accrued(MarketParams memory p, Market storage stored)
        private
        view
        returns (Market memory m, uint256 rate, uint256 interest)
    {
        m = stored;
        uint256 elapsed = block.timestamp - m.lastUpdate;
        if (elapsed == 0) return (m, 0, 0);
        rate = RateLib.borrowRatePerSecond(p, m.totalBorrowAssets, m.totalSupplyAssets);
        interest = m.totalBorrowAssets.wMulDown(MathLib.wTaylorCompounded(rate, elapsed));
        m.totalBorrowAssets += interest;
        m.totalSupplyAssets += interest;
        m.lastUpdate = block.timestamp;
    }

    function _accrue(MarketId id) private returns (MarketParams memory p, Market storage m) {
        (p, m) = _load(id);
        if (m.lastUpdate == block.timestamp) return (p, m);
        (Market memory next, uint256 rate, uint256 interest) = _accrued(p, m);
        m.totalBorrowAssets = next.totalBorrowAssets;
        m.totalSupplyAssets = next.totalSupplyAssets;
        m.lastUpdate = next.lastUpdate;
        emit AccrueInterest(id, rate, interest, next.totalSupplyAssets, next.totalBorrowAssets);
    }

    /// @dev The position's owner must be one the property token would let hold it: verified, not frozen.
    function _requireOwnerAllowed(MarketParams memory p, address owner_) private view {
        IPropertyToken token = IPropertyToken(p.collateralToken);
        if (token.isFrozen(owner_) || !token.identityRegistry().isVerified(owner_)) {
            revert OwnerNotAllowed(owner_);
        }
    }

    /// @dev The latest appraisal, refused when older than the feed's max age.
    function _freshPrice(MarketParams memory p) private view returns (uint256 price) {
        IAppraisalOracle oracle = IAppraisalOracle(p.oracle);
        uint256 updatedAt;
        (price, updatedAt) = oracle.latestPrice(p.collateralToken);
        if (oracle.isStale(p.collateralToken)) revert StalePrice(p.collateralToken, updatedAt);
    }

    function _requireWithinMaxLtv(
        MarketParams memory p,
        Market storage m,
        Position storage pos,
        uint256 price
    ) private view {
        uint256 debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 allowed = RiskLib.maxDebt(RiskLib.collateralValue(pos.collateral, price), p.maxLtv);
        if (debt > allowed) revert MaxLtvExceeded(debt, allowed);
    }

    /// @dev The largest amount `borrow` accepts now under maxLtv (ignoring liquidity and caps). The headroom
    /// maxDebt(maxLtv) - debt is the answer unless rounding the new shares up adds one base unit of debt;
    /// then it is one less (the overshoot is at most one base unit while a borrow share is worth less
    /// than one base unit, which virtual shares guarantee for any realistic interest).
    function _maxBorrowable(
        MarketParams memory p,
        Market memory m,
        Position storage pos,
        uint256 value,
        uint256 debt
    ) private view returns (uint256) {
        uint256 allowed = RiskLib.maxDebt(value, p.maxLtv);
        if (allowed <= debt) return 0;
        uint256 headroom = allowed - debt;
        uint256 shares = headroom.toSharesUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 debtAfter = (pos.borrowShares + shares)
        .toAssetsUp(m.totalBorrowAssets + headroom, m.totalBorrowShares + shares);
        return debtAfter <= allowed ? headroom : headroom - 1;
    }

    /// @dev Repaying exactly the debt (or type(uint256).max) burns every share; any other amount burns
    /// the shares it covers, rounded down, and must cover at least one.
    function _repayAmounts(Market storage m, Position storage pos, uint256 assets)
        private
        view
        returns (uint256 repaidAssets, uint256 shares)
    {
        uint256 debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        if (debt == 0 || (assets > debt && assets != type(uint256).max)) {
            revert RepayExceedsDebt(assets, debt);
        }
        if (assets >= debt) return (debt, pos.borrowShares);
        shares = assets.toSharesDown(m.totalBorrowAssets, m.totalBorrowShares);
        if (shares == 0) revert ZeroShares();
        return (assets, shares);
    }

    function _applyRepay(Market storage m, Position storage pos, uint256 assets, uint256 shares) private {
        pos.borrowShares -= shares;
        m.totalBorrowShares -= shares;
        // Floored at zero: the sum of rounded-up debts can exceed the rounded total by a few base units.
        m.totalBorrowAssets = m.totalBorrowAssets.zeroFloorSub(assets);
    }

    // ------------------------------------------------------------------ cure window and auction lock

    function _requireAuction(MarketId id) private view returns (Terms memory t) {
        t = _terms[id];
        if (t.auction == address(0) || msg.sender != t.auction) revert NotAuction(msg.sender);
    }

    function _requireNotInAuction(MarketId id, address borrower) private view {
        if (_flags[id][borrower].inAuction) revert PositionInAuction(id, borrower);
    }

    /// @dev Health factor on `price`, with interest accrued to now (the stored totals may lag a second).
    function _health(MarketParams memory p, Market storage stored, Position storage pos, uint256 price)
        private
        view
        returns (uint256)
    {
        (Market memory m,,) = _accrued(p, stored);
        uint256 debt = pos.borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        return RiskLib.healthFactor(RiskLib.collateralValue(pos.collateral, price), p.lltv, debt);
    }

    function _appraisalSeq(MarketParams memory p) private view returns (uint256) {
        return IAppraisalOracle(p.oracle).appraisalCount(p.collateralToken);
    }

    /// @dev A flag holds under the appraisal it was last confirmed under, or the next one when that is no
    /// higher. Under one appraisal health only falls (interest) until an action raises it, and every action
    /// that leaves the position healthy clears the flag; a new appraisal no higher cannot make it healthy.
    /// Anything else (a higher appraisal, or two appraisals since) may have made it healthy in between.
    function _flagHolds(CureFlag storage f, uint256 seq, uint256 price) private view returns (bool) {
        return f.appraisalSeq == seq || (f.appraisalSeq + 1 == seq && price <= f.price);
    }

    /// @dev When the window rule lets a liquidation or auction in: 0 without a window or under the hard floor,
    /// the end of the window with a flag that holds, type(uint256).max without one.
    function _cureDeadline(MarketId id, address borrower, MarketParams memory p, uint256 hf, uint256 price)
        private
        view
        returns (uint256)
    {
        Terms memory t = _terms[id];
        if (t.cureWindow == 0 || hf < t.hardFloorHealth) return 0;
        CureFlag storage f = _flags[id][borrower];
        if (f.flaggedAt == 0 || !_flagHolds(f, _appraisalSeq(p), price)) return type(uint256).max;
        return f.flaggedAt + t.cureWindow;
    }

    /// @dev Reverts unless the window rule lets a liquidation or auction in; records a flag carried over to
    /// a new appraisal, so it keeps holding under the next one.
    function _passCure(MarketId id, address borrower, MarketParams memory p, uint256 hf, uint256 price)
        private
    {
        uint256 deadline = _cureDeadline(id, borrower, p, hf, price);
        if (deadline == 0) return;
        if (deadline == type(uint256).max) revert NotFlagged(id, borrower);
        if (block.timestamp < deadline) revert CureWindowOpen(id, borrower, deadline);
        CureFlag storage f = _flags[id][borrower];
        uint256 seq = _appraisalSeq(p);
        if (f.appraisalSeq != seq) _confirmFlag(id, borrower, f, seq, price);
    }

    function _confirmFlag(MarketId id, address borrower, CureFlag storage f, uint256 seq, uint256 price)
        private
    {
        // forge-lint: disable-next-line(unsafe-typecast) an appraisal count fits in 64 bits
        f.appraisalSeq = uint64(seq);
        f.price = price;
        emit CureFlagged(id, borrower, f.flaggedAt, seq, price);
    }

    function _clearFlag(MarketId id, address borrower, CureFlag storage f) private {
        f.flaggedAt = 0;
        f.appraisalSeq = 0;
        f.price = 0;
        emit CureFlagCleared(id, borrower);
    }

    /// @dev After an action that may have raised the position's health: a flagged position healthy on the latest
    /// appraisal (stale or not: the flag is judged on appraisals) loses its flag, so a later dip starts a new
    /// window. Costs one storage read on a position that has no flag.
    function _clearIfHealthy(MarketId id, MarketParams memory p, Market storage m, address borrower) private {
        CureFlag storage f = _flags[id][borrower];
        if (f.flaggedAt == 0) return;
        (uint256 price,) = IAppraisalOracle(p.oracle).latestPrice(p.collateralToken);
        if (_health(p, m, _positions[id][borrower], price) >= WAD) _clearFlag(id, borrower, f);
    }

    // ------------------------------------------------------------------ rent on locked collateral

    /// @dev Claims the rent the property token owes this pool and spreads it over the collateral locked
    /// for borrowers: index += amount * RENT_SCALE / totalCollateral, rounded down. Called before every
    /// collateral change, so between two pulls each position's collateral is constant and the sum of what
    /// positions are credited never exceeds what the pool received.
    function _pullRent(address token) private {
        uint256 total = totalCollateralOf[token];
        if (total == 0) return;
        uint256 amount = IPropertyToken(token).claimRent();
        if (amount == 0) return;
        uint256 index = rentIndex[token] + amount.mulDivDown(RENT_SCALE, total);
        rentIndex[token] = index;
        emit RentPulled(token, amount, index);
    }

    /// @dev rentAccrued += collateral * (index - indexPaid) / RENT_SCALE, rounded down.
    function _settleRent(address token, Position storage pos) private {
        uint256 index = rentIndex[token];
        pos.rentAccrued += pos.collateral.mulDivDown(index - pos.rentIndexPaid, RENT_SCALE);
        pos.rentIndexPaid = index;
    }

    /// @dev What claimRent would pay now: the settled rent plus this position's part of the next pull.
    function _claimableRent(address token, Position storage pos) private view returns (uint256) {
        uint256 index = rentIndex[token];
        uint256 total = totalCollateralOf[token];
        if (total != 0) {
            index += IPropertyToken(token).claimableRent(address(this)).mulDivDown(RENT_SCALE, total);
        }
        return pos.rentAccrued + pos.collateral.mulDivDown(index - pos.rentIndexPaid, RENT_SCALE);
    }
}
