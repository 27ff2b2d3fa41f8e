// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "../../std/Test.sol";
import {vm} from "../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IdentityRegistry} from "../../src/IdentityRegistry.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {AppraisalOracle} from "../../src/AppraisalOracle.sol";
import {LendingPool} from "../../src/LendingPool.sol";
import {MockStablecoin} from "../../src/mocks/MockStablecoin.sol";
import {MarketId, MarketParams, Market} from "../../src/interfaces/ILendingPool.sol";

/// @title PoolFixture
/// @notice Shared setup for the LendingPool unit tests: a registry, a 6-decimal stablecoin, one property
/// token priced at $100 by the oracle, and one market (LLTV 75%, max LTV 65%, kinked rate 2% / 6% / 80%
/// with the kink at 80%). The pool, the lenders, the borrowers, the liquidator and the issuer are verified;
/// `outsider` is not. Nothing is supplied: each test builds the state it needs with the helpers.
/// The reference math at the bottom re-derives the documented formulas with plain arithmetic, so the tests
/// check the pool against the spec rather than against its own libraries.
abstract contract PoolFixture is Test {
    uint256 internal constant WAD = 1e18;
    /// @dev Oracle price scale: loan-token base units per collateral base unit, times 1e36.
    uint256 internal constant PRICE_SCALE = 1e36;
    uint256 internal constant RENT_SCALE = 1e36;
    uint256 internal constant VIRTUAL_SHARES = 1e6;
    uint256 internal constant VIRTUAL_ASSETS = 1;
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    uint256 internal constant LLTV = 0.75e18;
    uint256 internal constant MAX_LTV = 0.65e18;
    uint256 internal constant BASE_RATE = 0.02e18;
    uint256 internal constant SLOPE1 = 0.06e18;
    uint256 internal constant SLOPE2 = 0.8e18;
    uint256 internal constant KINK = 0.8e18;
    uint256 internal constant MIN_LEFTOVER_DEBT = 10e6;

    uint256 internal constant MAX_AGE = 30 days;
    uint256 internal constant MAX_MOVE_BPS = 1000;
    /// @dev $100 per whole property token, in 6-decimal USD.
    uint256 internal constant INITIAL_USD = 100e6;

    address internal owner;
    address internal admin; // registry admin and agent, token issuer and agent, oracle admin
    address internal lender;
    address internal lender2;
    address internal borrower;
    address internal borrower2;
    address internal liquidator;
    address internal outsider; // never verified

    IdentityRegistry internal registry;
    MockStablecoin internal usd;
    PropertyToken internal token;
    AppraisalOracle internal oracle;
    LendingPool internal pool;
    MarketParams internal params;
    MarketId internal id;
    /// @dev The incentive of the fixture's market: the most `lltv` allows.
    uint256 internal incentive;

    function setUp() public virtual {
        owner = makeAddr("owner");
        admin = makeAddr("admin");
        lender = makeAddr("lender");
        lender2 = makeAddr("lender2");
        borrower = makeAddr("borrower");
        borrower2 = makeAddr("borrower2");
        liquidator = makeAddr("liquidator");
        outsider = makeAddr("outsider");

        registry = new IdentityRegistry(admin);
        usd = new MockStablecoin();
        oracle = new AppraisalOracle(admin);
        pool = new LendingPool(owner);
        vm.label(address(registry), "registry");
        vm.label(address(usd), "usd");
        vm.label(address(oracle), "oracle");
        vm.label(address(pool), "pool");

        address[] memory verified = new address[](7);
        (verified[0], verified[1], verified[2], verified[3], verified[4], verified[5], verified[6]) =
        (address(pool), admin, lender, lender2, borrower, borrower2, liquidator);
        vm.prank(admin);
        registry.verifyBatch(verified);

        token = _listProperty("FHTEST0001", IERC20(address(usd)));
        incentive = pool.maxLiquidationIncentive(LLTV);
        params = _marketParams(address(token), address(usd));
        id = _createMarket(params);

        address[] memory actors = new address[](7);
        (actors[0], actors[1], actors[2], actors[3], actors[4], actors[5], actors[6]) =
        (lender, lender2, borrower, borrower2, liquidator, outsider, admin);
        for (uint256 i; i < actors.length; ++i) {
            _approveAll(actors[i], token);
        }
    }

    // ------------------------------------------------------------------ deployment helpers

    /// @dev A new property token renting in `rentToken`, with a feed (30 days max age, 10% max move)
    /// appraised at $100 per token.
    function _listProperty(string memory symbol, IERC20 rentToken) internal returns (PropertyToken t) {
        t = new PropertyToken(symbol, symbol, symbol, "US-MI", registry, rentToken, admin);
        vm.label(address(t), symbol);
        vm.startPrank(admin);
        oracle.configureFeed(address(t), MAX_AGE, MAX_MOVE_BPS);
        oracle.forceAppraisal(address(t), _price(INITIAL_USD), "initial appraisal");
        vm.stopPrank();
    }

    /// @dev The fixture's market parameters for any pair.
    function _marketParams(address collateral, address loan) internal view returns (MarketParams memory) {
        return MarketParams({
            collateralToken: collateral,
            loanToken: loan,
            oracle: address(oracle),
            lltv: LLTV,
            maxLtv: MAX_LTV,
            liquidationIncentive: incentive,
            baseRatePerYear: BASE_RATE,
            slope1PerYear: SLOPE1,
            slope2PerYear: SLOPE2,
            kinkUtilization: KINK,
            supplyCap: 0,
            borrowCap: 0,
            minLeftoverDebt: MIN_LEFTOVER_DEBT
        });
    }

    function _createMarket(MarketParams memory p) internal returns (MarketId marketId_) {
        vm.prank(owner);
        marketId_ = pool.createMarket(p);
    }

    function _approveAll(address account, PropertyToken t) internal {
        vm.startPrank(account);
        usd.approve(address(pool), type(uint256).max);
        t.approve(address(pool), type(uint256).max);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ price helpers

    /// @dev USD per whole token (6 decimals) to PRICE_SCALE units: usd6 * 1e36 / 1e18.
    function _price(uint256 usd6) internal pure returns (uint256) {
        return usd6 * PRICE_SCALE / 1e18;
    }

    /// @dev Appraises the fixture's token at `usd6` per whole token now (the loud path: any move, fresh).
    function _setPrice(uint256 usd6) internal {
        _setRawPrice(_price(usd6));
    }

    function _setRawPrice(uint256 price) internal {
        vm.prank(admin);
        oracle.forceAppraisal(address(token), price, "test appraisal");
    }

    /// @dev Moves time past the feed's max age, so the latest appraisal is stale.
    function _makePriceStale() internal {
        vm.warp(block.timestamp + MAX_AGE + 1);
    }

    // ------------------------------------------------------------------ action helpers

    /// @dev Mints `assets` of stablecoin to `account` (already approved to the pool in setUp).
    function _fund(address account, uint256 assets) internal {
        usd.mint(account, assets);
    }

    function _supply(address account, uint256 assets) internal returns (uint256 shares) {
        _fund(account, assets);
        vm.prank(account);
        shares = pool.supply(id, assets, account);
    }

    /// @dev Mints `amount` of the fixture's property token to `account` (issuer path).
    function _mintProperty(address account, uint256 amount) internal {
        vm.prank(admin);
        token.mint(account, amount);
    }

    function _lock(address account, uint256 amount) internal {
        _mintProperty(account, amount);
        vm.prank(account);
        pool.supplyCollateral(id, amount, account);
    }

    function _borrow(address account, uint256 assets) internal returns (uint256 shares) {
        vm.prank(account);
        shares = pool.borrow(id, assets, account);
    }

    /// @dev Funds `payer` and repays `assets` of `onBehalf`'s debt.
    function _repay(address payer, address onBehalf, uint256 assets)
        internal
        returns (uint256 repaid, uint256 shares)
    {
        _fund(payer, assets == type(uint256).max ? pool.position(id, onBehalf).debt : assets);
        vm.prank(payer);
        (repaid, shares) = pool.repay(id, assets, onBehalf);
    }

    /// @dev A lender supplies `liquidity`; `account` locks `collateral` tokens and borrows `debt`.
    function _openPosition(address account, uint256 liquidity, uint256 collateral, uint256 debt) internal {
        if (liquidity != 0) _supply(lender, liquidity);
        _lock(account, collateral);
        if (debt != 0) _borrow(account, debt);
    }

    /// @dev The issuer deposits `amount` of rent into `t`, spread over all of its holders.
    function _depositRent(PropertyToken t, uint256 amount) internal {
        MockStablecoin rent = MockStablecoin(address(t.rentToken()));
        rent.mint(admin, amount);
        vm.startPrank(admin);
        rent.approve(address(t), amount);
        t.depositRent(amount);
        vm.stopPrank();
    }

    function _freeze(address account) internal {
        vm.prank(admin);
        token.setFrozen(account, true);
    }

    function _pause() internal {
        vm.prank(admin);
        token.pause();
    }

    /// @dev A second market at the highest rates allowed, fully utilized by `borrower` for seven years with a
    /// single accrual: Taylor compounding grows both totals about 1.5 million times, past the 1e6 virtual
    /// shares per asset, so one base unit is worth less than one share on either side.
    function _hyperinflatedMarket() internal returns (MarketId hot, PropertyToken t) {
        t = _listProperty("FHHOT", IERC20(address(usd)));
        _approveAll(borrower, t);
        MarketParams memory p = _marketParams(address(t), address(usd));
        (p.baseRatePerYear, p.slope1PerYear, p.slope2PerYear) = (10e18, 10e18, 10e18);
        hot = _createMarket(p);
        _fund(lender, 100e6);
        vm.prank(lender);
        pool.supply(hot, 100e6, lender);
        vm.prank(admin);
        t.mint(borrower, 10e18);
        vm.startPrank(borrower);
        pool.supplyCollateral(hot, 10e18, borrower);
        pool.borrow(hot, 100e6, borrower);
        vm.stopPrank();
        vm.warp(block.timestamp + 7 * 365 days);
        pool.accrueInterest(hot);
    }

    // ------------------------------------------------------------------ reference math (the documented formulas)

    function _mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return (x * y + d - 1) / d;
    }

    function _toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return assets * (totalShares + VIRTUAL_SHARES) / (totalAssets + VIRTUAL_ASSETS);
    }

    function _toSharesUp(uint256 assets, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return _mulDivUp(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    function _toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return shares * (totalAssets + VIRTUAL_ASSETS) / (totalShares + VIRTUAL_SHARES);
    }

    function _toAssetsUp(uint256 shares, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256)
    {
        return _mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }

    /// @dev Loan-token value of `collateral` at `price`, rounded down.
    function _value(uint256 collateral, uint256 price) internal pure returns (uint256) {
        return collateral * price / PRICE_SCALE;
    }

    /// @dev The kinked curve of the fixture's market, per year (WAD), before the division by the year.
    function _ratePerYear(uint256 totalBorrow, uint256 totalSupply) internal pure returns (uint256) {
        uint256 u = totalSupply == 0 ? 0 : totalBorrow * WAD / totalSupply;
        if (u > WAD) u = WAD;
        if (u <= KINK) return BASE_RATE + SLOPE1 * u / KINK;
        return BASE_RATE + SLOPE1 + SLOPE2 * (u - KINK) / (WAD - KINK);
    }

    function _ratePerSecond(uint256 totalBorrow, uint256 totalSupply) internal pure returns (uint256) {
        return _ratePerYear(totalBorrow, totalSupply) / SECONDS_PER_YEAR;
    }

    /// @dev totalBorrow * (x + x^2/2 + x^3/6) with x = rate * elapsed, each term rounded down.
    function _interest(uint256 totalBorrow, uint256 ratePerSecond, uint256 elapsed)
        internal
        pure
        returns (uint256)
    {
        uint256 x = ratePerSecond * elapsed;
        uint256 x2 = x * x / (2 * WAD);
        uint256 x3 = x2 * x / (3 * WAD);
        return totalBorrow * (x + x2 + x3) / WAD;
    }

    /// @dev The debt of `account` now, from the stored shares and the accrued totals.
    function _debtOf(address account) internal view returns (uint256) {
        Market memory m = pool.market(id);
        return
            _toAssetsUp(
                pool.positionShares(id, account).borrowShares, m.totalBorrowAssets, m.totalBorrowShares
            );
    }
}
