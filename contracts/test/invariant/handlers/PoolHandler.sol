// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {Market, PositionView} from "../../../src/interfaces/ILendingPool.sol";
import {Deployment} from "./Deployment.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {PoolCalls} from "./PoolCalls.sol";
import {PositionFinder} from "./PositionFinder.sol";
import {EnvironmentHandler} from "./EnvironmentHandler.sol";

/// @title PoolHandler
/// @notice The pool's users: lenders supply and withdraw, borrowers lock collateral, borrow, repay and
/// collect rent, liquidators liquidate. Inputs are bounded to what the position allows (maxBorrowable,
/// free collateral, debt), so most calls do something; the rest fail for the reasons the environment
/// creates (stale prices, pauses, freezes, unverified receivers) or at a limit on purpose (liquidity,
/// caps, maxLtv), counted by error selector. The calls themselves, with their ghosts and checks, are in
/// PoolCalls; the ghosts and checks in PoolGhosts.
contract PoolHandler is PoolCalls, PositionFinder {
    /// @dev Keeps the restrictions in force (see HandlerBase.watchCompliance).
    EnvironmentHandler internal immutable environment;
    /// @dev Every prober used so far, the current one last; see `supplyThenWithdraw`.
    address[] internal _probers;

    constructor(Deployment deployment, EnvironmentHandler environment_)
        HandlerBase(deployment)
        PositionFinder(deployment)
    {
        environment = environment_;
        _probers.push(deployment.prober());
        string[22] memory names = [
            "supply",
            "supply.onBehalf",
            "withdraw",
            "withdraw.max",
            "supplyThenWithdraw",
            "supplyCollateral",
            "supplyCollateral.onBehalf",
            "withdrawCollateral",
            "withdrawCollateral.noDebt",
            "borrow",
            "borrow.otherReceiver",
            "repay",
            "repay.max",
            "repay.onBehalf",
            "claimRent",
            "claimRent.paid",
            "repayWithRent",
            "liquidate",
            "liquidate.max",
            "liquidate.partial",
            "liquidate.badDebt",
            "accrueInterest"
        ];
        for (uint256 i; i < names.length; ++i) {
            _registerAction(names[i]);
        }
    }

    function probers() external view returns (address[] memory) {
        return _probers;
    }

    function _restrictions() internal view override returns (address, address, uint256) {
        return environment.restrictions();
    }

    // ================================================================== lenders

    function supply(uint256 actorSeed, uint256 marketSeed, uint256 assets, uint256 onBehalfSeed)
        external
        watchCompliance(false)
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        address actor = _pick(lenders, actorSeed);
        address onBehalf = onBehalfSeed % 4 == 3 ? _pick(accounts, onBehalfSeed / 4) : actor;
        assets = _bound(assets, 1, _supplyRoom(m));
        string memory label = onBehalf == actor ? "supply" : "supply.onBehalf";
        if (_supply(label, m, actor, assets, onBehalf)) _succeed(label);
    }

    function withdraw(uint256 actorSeed, uint256 marketSeed, uint256 assets, uint256 receiverSeed)
        external
        watchCompliance(false)
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        (address actor, bool found) = _findSupplier(m, actorSeed);
        if (!found) return;
        (bool all, uint256 amount) = _withdrawAmount(m, actor, assets);
        address receiver = receiverSeed % 5 == 4 ? _pick(holders, receiverSeed / 5) : actor;
        _withdraw(all ? "withdraw.max" : "withdraw", m, actor, amount, receiver);
    }

    /// @notice Invariant 6 in its exact form: a fresh prober supplies `assets` and at once withdraws all
    /// it owns, in the same block. It must get back at most what it put in.
    function supplyThenWithdraw(uint256 marketSeed, uint256 assets)
        external
        watchCompliance(false)
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        address prober = _probers[_probers.length - 1];
        assets = _bound(assets, 1, _supplyRoom(m));
        if (!_supply("supplyThenWithdraw", m, prober, assets, prober)) return;
        Market memory before = pool.market(ids[m]);
        vm.prank(prober);
        try pool.withdraw(ids[m], type(uint256).max, prober) returns (uint256 got, uint256 shares) {
            _checkShareValue(
                "withdraw", m, got, shares, before.totalSupplyAssets, before.totalSupplyShares, true
            );
            withdrawn[m] += got;
            actorWithdrawn[prober][m] += got;
            _succeed("supplyThenWithdraw");
            _checkProbe(m, assets, got);
        } catch (bytes memory reason) {
            // Dust too small to withdraw stays behind; a new prober keeps the next probe exact.
            _failed(reason);
            _newProber();
        }
    }

    // ================================================================== borrowers

    function supplyCollateral(uint256 actorSeed, uint256 marketSeed, uint256 assets, uint256 onBehalfSeed)
        external
        watchComplianceAndPositions
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        (address actor, bool found) = _findPropertyHolder(m, actorSeed);
        if (!found) return;
        assets = _bound(assets, 1, properties[m].balanceOf(actor));
        address onBehalf = onBehalfSeed % 5 == 4 ? _pick(accounts, onBehalfSeed / 5) : actor;
        _supplyCollateral(m, actor, assets, onBehalf);
    }

    function withdrawCollateral(uint256 actorSeed, uint256 marketSeed, uint256 assets, uint256 receiverSeed)
        external
        watchComplianceAndPositions
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        (address actor, bool found) = _findCollateralOwner(m, actorSeed);
        if (!found) return;
        PositionView memory p = pool.position(ids[m], actor);
        uint256 free = p.debt == 0 ? p.collateral : _freeCollateral(m, p);
        // Within what is free; one time in eight up to all of it, when the pool must refuse whatever would
        // leave the debt above maxLtv. With nothing free, only that refusal is left to test: one time in four.
        if (free == 0 && !_oneIn(assets, 4)) return;
        assets = _bound(assets, 1, free == 0 || _oneIn(assets, 8) ? p.collateral : free);
        _withdrawCollateral(
            m, actor, assets, receiverSeed % 6 == 5 ? _pick(holders, receiverSeed / 6) : actor, p
        );
    }

    function borrow(uint256 actorSeed, uint256 marketSeed, uint256 assets, uint256 receiverSeed)
        external
        watchComplianceAndPositions
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        (address actor, bool found) = _findCollateralOwner(m, actorSeed);
        if (!found) return;
        uint256 maxBorrowable = pool.position(ids[m], actor).maxBorrowable;
        (bool go, uint256 amount) = _borrowAmount(m, assets, maxBorrowable);
        if (!go) return;
        address receiver = receiverSeed % 5 == 4 ? _pick(accounts, receiverSeed / 5) : actor;
        _borrow(m, actor, amount, receiver, maxBorrowable);
    }

    function repay(uint256 actorSeed, uint256 marketSeed, uint256 assets, uint256 onBehalfSeed)
        external
        watchCompliance(false)
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        (address onBehalf, bool found) = _findDebtor(m, onBehalfSeed);
        if (!found) return;
        address payer = actorSeed % 3 == 2 ? _pick(accounts, actorSeed / 3) : onBehalf;
        uint256 debt = pool.position(ids[m], onBehalf).debt;
        loanToken.mint(payer, debt);
        _repay(m, payer, assets % 4 == 0 ? type(uint256).max : _bound(assets, 1, debt), onBehalf);
    }

    function claimRent(uint256 actorSeed, uint256 marketSeed, uint256 receiverSeed)
        external
        watchCompliance(false)
        trackRentPulls
    {
        uint256 m = _market(marketSeed);
        (address actor, bool found) = _findRentEarner(m, actorSeed);
        if (!found) return;
        _claimRent(m, actor, receiverSeed % 5 == 4 ? _pick(holders, receiverSeed / 5) : actor);
    }

    /// @dev Mostly on market 0, whose rent is in the loan token; market 1 must refuse (RentNotInLoanToken).
    function repayWithRent(uint256 actorSeed, uint256 marketSeed)
        external
        watchCompliance(false)
        trackRentPulls
    {
        uint256 m = marketSeed % 5 == 4 ? 1 : 0;
        (address actor, bool found) = _findDebtorWithRent(m, actorSeed);
        if (!found) {
            // Nobody has rent to apply: one time in four try anyway, which must fail with ZeroAmount.
            if (!_oneIn(actorSeed, 4)) return;
            (actor, found) = _findDebtor(m, actorSeed);
            if (!found) return;
        }
        _repayWithRent(m, actor);
    }

    // ================================================================== liquidators

    /// @notice Liquidates part of an unhealthy position: a random amount up to its debt, which the pool
    /// clamps to the close factor.
    function liquidate(
        uint256 liquidatorSeed,
        uint256 marketSeed,
        uint256 borrowerSeed,
        uint256 assets,
        uint256 receiverSeed
    ) external watchComplianceAndPositions trackRentPulls {
        _liquidateAny(liquidatorSeed, marketSeed, borrowerSeed, assets, receiverSeed, false);
    }

    /// @notice Liquidates the most the close factor allows (`type(uint256).max`).
    function liquidateMax(
        uint256 liquidatorSeed,
        uint256 marketSeed,
        uint256 borrowerSeed,
        uint256 receiverSeed
    ) external watchComplianceAndPositions trackRentPulls {
        _liquidateAny(liquidatorSeed, marketSeed, borrowerSeed, 0, receiverSeed, true);
    }

    /// @dev Looks for an unhealthy position in the chosen market, then in the other one.
    function _liquidateAny(
        uint256 liquidatorSeed,
        uint256 marketSeed,
        uint256 borrowerSeed,
        uint256 assets,
        uint256 receiverSeed,
        bool most
    ) internal {
        uint256 m = _market(marketSeed);
        (address borrower, bool found) = _findUnhealthy(m, borrowerSeed);
        if (!found) {
            m = 1 - m;
            (borrower, found) = _findUnhealthy(m, borrowerSeed);
            if (!found) return;
        }
        address liquidator = _pick(liquidators, liquidatorSeed);
        address receiver = receiverSeed % 6 == 5 ? _pick(holders, receiverSeed / 6) : liquidator;
        _liquidateAction(m, liquidator, borrower, most ? type(uint256).max : assets, receiver);
    }

    // ================================================================== anyone

    /// @notice Invariant 9 along the way: after accrueInterest the stored market (what market() returns
    /// in the same block) equals what the market() view promised just before, and so do debts.
    function accrueInterest(uint256 marketSeed) external watchCompliance(false) trackRentPulls {
        uint256 m = _market(marketSeed);
        Market memory promised = pool.market(ids[m]);
        uint256[] memory debts = new uint256[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            if (pool.positionShares(ids[m], accounts[i]).borrowShares != 0) {
                debts[i] = pool.position(ids[m], accounts[i]).debt;
            }
        }
        _attempt("accrueInterest");
        try pool.accrueInterest(ids[m]) {
            _succeed("accrueInterest");
        } catch (bytes memory reason) {
            _failed(reason);
            return;
        }
        bool debtsSame = true;
        for (uint256 i; i < accounts.length; ++i) {
            if (debts[i] != 0) debtsSame = debtsSame && debts[i] == pool.position(ids[m], accounts[i]).debt;
        }
        _checkAccrual(m, promised, pool.market(ids[m]), debtsSame);
    }

    // ================================================================== internals

    function _newProber() internal {
        address prober = vm.addr(uint256(keccak256(abi.encode("prober", _probers.length))));
        _probers.push(prober);
        vm.prank(prober);
        loanToken.approve(address(pool), type(uint256).max);
    }
}
