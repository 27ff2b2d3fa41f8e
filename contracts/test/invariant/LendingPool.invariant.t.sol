// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "../../std/Test.sol";
import {vm} from "../../std/Vm.sol";
import {LendingPool} from "../../src/LendingPool.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {MarketId, Market, Position} from "../../src/interfaces/ILendingPool.sol";
import {Deployment} from "./handlers/Deployment.sol";
import {HandlerBase} from "./handlers/HandlerBase.sol";
import {PoolHandler} from "./handlers/PoolHandler.sol";
import {EnvironmentHandler} from "./handlers/EnvironmentHandler.sol";

/// @title LendingPoolInvariantTest
/// @notice The pool's promises under random sequences of lender, borrower and liquidator actions mixed
/// with appraisals, time, rent, freezes, verifications and pauses (see the two handlers).
/// Every sum below is over all accounts that can hold a position: the deployment's actors and the probers.
contract LendingPoolInvariantTest is Test {
    uint256 internal constant MARKETS = 2;
    uint256 internal constant RENT_SCALE = 1e36;

    Deployment internal d;
    LendingPool internal pool;
    PoolHandler internal users;
    EnvironmentHandler internal env;

    /// @dev DSTest's log events, which forge prints with -vv.
    event log_string(string);

    function setUp() public {
        d = new Deployment();
        pool = d.pool();
        env = new EnvironmentHandler(d);
        users = new PoolHandler(d, env);
        _seedMarkets();
        users.resetCounters();
        env.resetCounters();

        targetContract(address(users));
        targetContract(address(env));
        bytes4[] memory poolActions = new bytes4[](12);
        poolActions[0] = PoolHandler.supply.selector;
        poolActions[1] = PoolHandler.withdraw.selector;
        poolActions[2] = PoolHandler.supplyThenWithdraw.selector;
        poolActions[3] = PoolHandler.supplyCollateral.selector;
        poolActions[4] = PoolHandler.withdrawCollateral.selector;
        poolActions[5] = PoolHandler.borrow.selector;
        poolActions[6] = PoolHandler.repay.selector;
        poolActions[7] = PoolHandler.claimRent.selector;
        poolActions[8] = PoolHandler.repayWithRent.selector;
        poolActions[9] = PoolHandler.liquidate.selector;
        poolActions[10] = PoolHandler.liquidateMax.selector;
        poolActions[11] = PoolHandler.accrueInterest.selector;
        targetSelector(FuzzSelector({addr: address(users), selectors: poolActions}));
        bytes4[] memory environment = new bytes4[](10);
        environment[0] = EnvironmentHandler.movePrice.selector;
        environment[1] = EnvironmentHandler.forcePrice.selector;
        environment[2] = EnvironmentHandler.warp.selector;
        environment[3] = EnvironmentHandler.refreshPrices.selector;
        environment[4] = EnvironmentHandler.depositRent.selector;
        environment[5] = EnvironmentHandler.toggleFrozen.selector;
        environment[6] = EnvironmentHandler.toggleVerified.selector;
        environment[7] = EnvironmentHandler.togglePause.selector;
        environment[8] = EnvironmentHandler.transferProperty.selector;
        environment[9] = EnvironmentHandler.issueProperty.selector;
        targetSelector(FuzzSelector({addr: address(env), selectors: environment}));
    }

    /// @dev Both markets start with liquidity and one open loan each, so the first calls of a run matter.
    function _seedMarkets() internal {
        // Liquidity borrowers can exhaust: a borrower's collateral backs up to ~34,000 (market 0) and
        // ~84,000 (market 1).
        users.supply(0, 0, 100_000e6, 0); // lender0 into market 0
        users.supply(1, 1, 100_000e6, 0); // lender1 into market 1
        // Loans at 60% LTV against maxLtv 65% / lltv 75% (market 0) and 70% / 80% (market 1): one bad
        // appraisal away from liquidation.
        users.supplyCollateral(2, 0, 400e18, 0); // borrower0: 20,960 USD of collateral in market 0
        users.borrow(2, 0, 12_500e6, 0);
        users.supplyCollateral(3, 1, 300e18, 0); // borrower1: 36,000 USD of collateral in market 1
        users.borrow(3, 1, 21_500e6, 0);
        // A second collateral holder in each market without a loan, so rent is shared from the start.
        users.supplyCollateral(4, 0, 300e18, 0);
        users.supplyCollateral(4, 1, 300e18, 0);
    }

    // ================================================================== invariants

    /// @notice 1. The pool holds at least the idle liquidity of every market (supply minus borrow, accrued
    /// to now) plus the rent it pulled in the loan token and has not paid out or applied to debt.
    /// Written without subtraction: balance + Σ borrow + rent paid out >= Σ supply + rent pulled.
    /// And every call moved tokens by exactly the amounts it returned, from and to the parties it named
    /// (the handler checks each success).
    function invariant_solvency() public view {
        vm.assertEq(users.flowViolations(), 0, users.firstFlowViolation());
        uint256 totalSupply;
        uint256 totalBorrow;
        for (uint256 m; m < MARKETS; ++m) {
            Market memory mk = pool.market(d.marketId(m));
            totalSupply += mk.totalSupplyAssets;
            totalBorrow += mk.totalBorrowAssets;
        }
        uint256 rentIn;
        uint256 rentOut;
        for (uint256 m; m < MARKETS; ++m) {
            if (address(d.property(m).rentToken()) != address(d.loanToken())) continue;
            rentIn += users.rentPulled(m);
            rentOut += users.rentClaimed(m) + users.rentApplied(m);
        }
        vm.assertGe(
            d.loanToken().balanceOf(address(pool)) + totalBorrow + rentOut,
            totalSupply + rentIn,
            "loan token balance below idle liquidity plus rent held"
        );
    }

    /// @notice 2. Shares and collateral add up: positions sum to the market totals, markets to the pool's
    /// per-token total, and that total is held by the pool.
    function invariant_shareSums() public view {
        address[] memory owners = _positionOwners();
        for (uint256 m; m < MARKETS; ++m) {
            MarketId id = d.marketId(m);
            uint256 supplyShares;
            uint256 borrowShares;
            uint256 collateral;
            for (uint256 i; i < owners.length; ++i) {
                Position memory p = pool.positionShares(id, owners[i]);
                supplyShares += p.supplyShares;
                borrowShares += p.borrowShares;
                collateral += p.collateral;
            }
            Market memory mk = pool.market(id);
            vm.assertEq(supplyShares, mk.totalSupplyShares, "sum of supply shares");
            vm.assertEq(borrowShares, mk.totalBorrowShares, "sum of borrow shares");
            vm.assertEq(collateral, mk.totalCollateral, "sum of collateral");
            // One market per property token here, so the market's collateral is the token's total.
            address token = address(d.property(m));
            vm.assertEq(mk.totalCollateral, pool.totalCollateralOf(token), "market collateral vs token total");
            vm.assertLe(
                pool.totalCollateralOf(token), d.property(m).balanceOf(address(pool)), "collateral held"
            );
        }
    }

    /// @notice 3. A market never lends more than it holds for lenders.
    function invariant_borrowedWithinSupplied() public view {
        for (uint256 m; m < MARKETS; ++m) {
            Market memory mk = pool.market(d.marketId(m));
            vm.assertLe(mk.totalBorrowAssets, mk.totalSupplyAssets, "borrowed above supplied");
        }
    }

    /// @notice 4. Debt always has collateral behind it: when a liquidation takes the last collateral, the
    /// remaining debt is written off as bad debt at once. And the backing was sound when it was taken on:
    /// borrows, withdrawals of collateral behind debt and liquidations succeed only on a fresh price, and
    /// a borrower's own action never leaves its debt above maxLtv, and borrow() agrees with
    /// position().maxBorrowable (the handler checks each call).
    function invariant_debtHasCollateral() public view {
        vm.assertEq(users.backingViolations(), 0, users.firstBackingViolation());
        address[] memory owners = _positionOwners();
        for (uint256 m; m < MARKETS; ++m) {
            for (uint256 i; i < owners.length; ++i) {
                Position memory p = pool.positionShares(d.marketId(m), owners[i]);
                if (p.borrowShares != 0) vm.assertGt(p.collateral, 0, "debt without collateral");
            }
        }
    }

    /// @notice 5. A partial liquidation never leaves the position less healthy (health factor read before
    /// and after in the same block at the same price, by the handler).
    function invariant_liquidationNeverLowersHealth() public view {
        vm.assertEq(users.healthViolations(), 0, users.firstHealthViolation());
    }

    /// @notice 6. Nobody gains by rounding. Exact form: supplying and withdrawing everything in the same
    /// block never returns more than was supplied (the handler's probe). Per call: every supply, withdraw,
    /// borrow, repay and liquidation converted assets and shares in the protocol's favour at the share
    /// price of that block, and no liquidation seized more than repaid times incentive (PoolGhosts).
    function invariant_supplyThenWithdrawNeverGains() public view {
        vm.assertEq(users.probeGains(), 0, users.firstProbeGain());
        vm.assertEq(users.roundingViolations(), 0, users.firstRoundingViolation());
    }

    /// @notice 7. Property tokens only reach eligible holders: no holder that was unverified or frozen
    /// before an action gained tokens in it, and nothing moved while a token was paused (handlers' watch);
    /// the never-verified outsider holds nothing. The watch reads only the holders the environment's
    /// bookkeeping names as restricted, so that bookkeeping is held to the registry and the tokens here.
    function invariant_propertyOnlyReachesEligibleHolders() public view {
        vm.assertEq(users.complianceViolations(), 0, users.firstComplianceViolation());
        vm.assertEq(env.complianceViolations(), 0, env.firstComplianceViolation());
        address outsider = d.outsider();
        (address unverified, address frozen, uint256 frozenIn) = env.restrictions();
        address[] memory holders = d.holders();
        for (uint256 i; i < holders.length; ++i) {
            bool expectVerified = holders[i] != outsider && holders[i] != unverified;
            vm.assertEq(
                d.registry().isVerified(holders[i]), expectVerified, "restriction bookkeeping: verified"
            );
            for (uint256 m; m < MARKETS; ++m) {
                bool expectFrozen = holders[i] == frozen && m == frozenIn;
                vm.assertEq(
                    d.property(m).isFrozen(holders[i]), expectFrozen, "restriction bookkeeping: frozen"
                );
            }
        }
        for (uint256 m; m < MARKETS; ++m) {
            vm.assertEq(d.property(m).paused(), env.pausedIn() == m, "restriction bookkeeping: paused");
            vm.assertEq(d.property(m).balanceOf(outsider), 0, "outsider holds property");
        }
    }

    /// @notice 8. Rent: what positions were paid or had applied never exceeds what the pool pulled, which
    /// never exceeds what was deposited; what positions are still owed fits in the rest; the pool holds
    /// the rent token to pay it (for the loan token, together with lenders' liquidity: see 1); and each
    /// position earns on its own collateral: paid plus claimable equals its part of every deposit, by its
    /// collateral at that moment, to within a base unit per rounding step. (The handler holds the
    /// claimableRent view to what claimRent and repayWithRent then pay.)
    function invariant_rentIsConserved() public view {
        vm.assertEq(users.rentPullAnomalies(), 0, "pool's claimable rent grew during a pool action");
        vm.assertEq(users.rentViewMismatches(), 0, users.firstRentViewMismatch());
        address[] memory owners = _positionOwners();
        for (uint256 m; m < MARKETS; ++m) {
            PropertyToken token = d.property(m);
            uint256 pulled = users.rentPulled(m);
            uint256 paidOut = users.rentClaimed(m) + users.rentApplied(m);
            vm.assertLe(pulled, env.rentDeposited(m), "pulled more rent than was deposited");
            vm.assertLe(paidOut, pulled, "paid out more rent than pulled");

            (uint256 owed, uint256 claimable) = _rentOwed(m, owners, !env.rentModelInexact(m));
            vm.assertLe(owed + paidOut, pulled, "positions owed more rent than the pool holds");
            vm.assertLe(
                claimable + paidOut,
                pulled + token.claimableRent(address(pool)),
                "claimableRent views promise more than the pool can get"
            );
            if (address(token.rentToken()) != address(d.loanToken())) {
                vm.assertGe(
                    token.rentToken().balanceOf(address(pool)) + paidOut, pulled, "rent token balance short"
                );
            }
        }
    }

    /// @notice 9. The market() view is the state accrueInterest would store: accrue, read again in the
    /// same block, compare (and the handler checks the same on every accrueInterest it makes).
    function invariant_marketViewIsAccruedState() public {
        vm.assertEq(users.viewMismatches(), 0, users.firstViewMismatch());
        uint256 snapshot = vm.snapshotState();
        for (uint256 m; m < MARKETS; ++m) {
            MarketId id = d.marketId(m);
            Market memory promised = pool.market(id);
            pool.accrueInterest(id);
            Market memory stored = pool.market(id);
            vm.assertEq(stored.totalSupplyAssets, promised.totalSupplyAssets, "totalSupplyAssets");
            vm.assertEq(stored.totalSupplyShares, promised.totalSupplyShares, "totalSupplyShares");
            vm.assertEq(stored.totalBorrowAssets, promised.totalBorrowAssets, "totalBorrowAssets");
            vm.assertEq(stored.totalBorrowShares, promised.totalBorrowShares, "totalBorrowShares");
            vm.assertEq(stored.totalCollateral, promised.totalCollateral, "totalCollateral");
            vm.assertEq(stored.lastUpdate, block.timestamp, "lastUpdate");
            vm.assertEq(promised.lastUpdate, block.timestamp, "view lastUpdate");
        }
        vm.revertToState(snapshot);
    }

    /// @dev Prints each action's successes/attempts for the last run (forge test -vv).
    function afterInvariant() public {
        _logCounters("PoolHandler", users);
        _logCounters("EnvironmentHandler", env);
    }

    // ================================================================== the campaign reaches everything

    /// @notice A short fixed sequence through the handlers in which every action kind succeeds at least
    /// once, so a campaign of these handlers is not a campaign of reverts.
    function test_handlerReachesEveryAction() public {
        // Lenders. Accounts: 0-1 lenders, 2-4 borrowers, 5-6 liquidators; holders add 7 prober, 8 pool.
        users.supply(0, 0, 1000e6, 0);
        users.supply(0, 0, 1000e6, 7); // on behalf of lender1
        users.withdraw(0, 0, 100e6 + 1, 0);
        users.withdraw(1, 0, 4, 0); // all of lender1's
        users.supplyThenWithdraw(0, 1000e6);

        // Borrowers.
        users.supplyCollateral(2, 0, 100e18, 0);
        users.supplyCollateral(2, 0, 100e18, 19); // borrower0 on behalf of borrower1
        users.borrow(2, 0, 1000e6, 0);
        users.borrow(2, 0, 1000e6, 9); // to lender1
        users.withdrawCollateral(3, 0, 10e18, 0); // borrower1, no debt in market 0
        users.withdrawCollateral(2, 0, 1e18, 0); // borrower0, with debt

        // Rent and interest.
        env.depositRent(0, 10_000e6);
        env.depositRent(1, 10_000e6);
        env.warp(1 hours, 1);
        users.accrueInterest(0);
        users.claimRent(2, 1, 0); // borrower1's rent in market 1
        users.repayWithRent(2, 0); // borrower0's rent against its debt in market 0

        // Repayments.
        users.repay(0, 0, 1e6 + 1, 2);
        users.repay(2, 0, 1e6 + 1, 2); // lender0 pays for borrower0
        users.repay(0, 1, 4, 3); // all of borrower1's debt in market 1

        // A loan at the limit, a drop, and liquidations: half, the most allowed, then bad debt.
        users.supplyCollateral(4, 0, 700e18, 0); // all borrower2 has left
        users.borrow(4, 0, pool.position(d.marketId(0), d.accounts()[4]).maxBorrowable, 0);
        env.forcePrice(0, 85 * 8 + 1); // to 85%
        users.liquidate(0, 0, 4, 1000e6, 0);
        users.liquidateMax(1, 0, 4, 0);
        env.forcePrice(0, 20 * 8); // to 20%
        users.liquidateMax(0, 0, 4, 0);

        // The environment.
        env.movePrice(1, 0);
        env.forcePrice(0, 110 * 8 + 7); // to 110%
        // Rare outcomes come from hashed seeds: try seeds until each has happened once.
        for (uint256 seed; env.successes("warp.pastMaxAge") == 0; ++seed) {
            env.warp(40 days, seed);
        }
        env.refreshPrices();
        for (uint256 seed; env.successes("freeze") == 0; ++seed) {
            env.toggleFrozen(seed, 0);
        }
        env.toggleFrozen(0, 0); // lifts it
        for (uint256 seed; env.successes("unverify") == 0; ++seed) {
            env.toggleVerified(seed);
        }
        env.toggleVerified(0); // restores it
        for (uint256 seed; env.successes("pause") == 0; ++seed) {
            env.togglePause(seed);
        }
        env.togglePause(0); // unpauses
        env.transferProperty(2, 3, 1, 1e18);
        env.transferProperty(2, 8, 1, 1e18); // to the pool
        env.issueProperty(2, 0, 1e18);

        _assertEveryActionSucceeded(users);
        _assertEveryActionSucceeded(env);
        invariant_solvency();
        invariant_shareSums();
        invariant_borrowedWithinSupplied();
        invariant_debtHasCollateral();
        invariant_liquidationNeverLowersHealth();
        invariant_supplyThenWithdrawNeverGains();
        invariant_propertyOnlyReachesEligibleHolders();
        invariant_rentIsConserved();
        invariant_marketViewIsAccruedState();
    }

    // ================================================================== helpers

    function _positionOwners() internal view returns (address[] memory owners) {
        address[] memory accounts = d.accounts();
        address[] memory probers = users.probers();
        owners = new address[](accounts.length + probers.length);
        for (uint256 i; i < accounts.length; ++i) {
            owners[i] = accounts[i];
        }
        for (uint256 i; i < probers.length; ++i) {
            owners[accounts.length + i] = probers[i];
        }
    }

    /// @dev Rent the pool owes positions from rent it has already pulled (settled plus unsettled at the
    /// stored index), and what they can claim now (adding their part of the rent the token still owes the
    /// pool: the claimableRent formula, whose view the handler holds to what claims pay). Rounded down as
    /// the pool rounds. With `checkFairness`, also asserts that each position has earned (paid plus
    /// claimable) its part of every deposit, as the environment handler modelled it.
    function _rentOwed(uint256 m, address[] memory owners, bool checkFairness)
        internal
        view
        returns (uint256 owed, uint256 claimable)
    {
        MarketId id = d.marketId(m);
        PropertyToken token = d.property(m);
        uint256 index = pool.rentIndex(address(token));
        uint256 locked = pool.totalCollateralOf(address(token));
        uint256 indexNow =
            locked == 0 ? index : index + token.claimableRent(address(pool)) * RENT_SCALE / locked;
        uint256[] memory claimables = new uint256[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            Position memory p = pool.positionShares(id, owners[i]);
            owed += p.rentAccrued + p.collateral * (index - p.rentIndexPaid) / RENT_SCALE;
            claimables[i] = p.rentAccrued + p.collateral * (indexNow - p.rentIndexPaid) / RENT_SCALE;
            claimable += claimables[i];
        }
        if (checkFairness) _assertFairRent(m, owners, claimables);
    }

    function _assertFairRent(uint256 m, address[] memory owners, uint256[] memory claimables) internal view {
        uint256[] memory paid = users.rentsPaidTo(m, owners);
        uint256[] memory expected = env.expectedRents(m, owners);
        // Rounding loses at most a base unit per deposit (token and model) and per settlement.
        uint256 tolerance = 2 * (env.rentDeposits(m) + users.poolActions()) + 2;
        for (uint256 i; i < owners.length; ++i) {
            vm.assertApproxEqAbs(
                paid[i] + claimables[i], expected[i], tolerance, "rent not earned on own collateral"
            );
        }
    }

    function _assertEveryActionSucceeded(HandlerBase handler) internal view {
        string[] memory names = handler.actionNames();
        for (uint256 i; i < names.length; ++i) {
            vm.assertGt(handler.successes(names[i]), 0, string.concat("never succeeded: ", names[i]));
        }
    }

    function _logCounters(string memory label, HandlerBase handler) internal {
        string[] memory names = handler.actionNames();
        for (uint256 i; i < names.length; ++i) {
            emit log_string(string.concat(
                    label,
                    ".",
                    names[i],
                    ": ",
                    vm.toString(handler.successes(names[i])),
                    "/",
                    vm.toString(handler.attempts(names[i]))
                ));
        }
    }
}
