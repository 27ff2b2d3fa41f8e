// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {Market, PositionView} from "../../../src/interfaces/ILendingPool.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @title PoolGhosts
/// @notice What the pool's users have done, as exact sums of what the pool returned, and the per-call
/// checks that need the state just before a call (share prices, health, the market view), recorded as
/// violation counts with the first counterexample in words for the invariants to report.
abstract contract PoolGhosts is HandlerBase {
    /// @dev SharesLib's virtual assets and shares (Morpho Blue's inflation defence).
    uint256 internal constant VIRTUAL_ASSETS = 1;
    uint256 internal constant VIRTUAL_SHARES = 1e6;

    // ---- per market index
    uint256[MARKETS] public supplied;
    uint256[MARKETS] public withdrawn;
    uint256[MARKETS] public borrowed;
    uint256[MARKETS] public repaid; // by repay; liquidations and rent are counted apart
    uint256[MARKETS] public liquidationRepaid;
    uint256[MARKETS] public seized;
    uint256[MARKETS] public badDebt; // realised, from liquidate's return value
    mapping(address => uint256[MARKETS]) public actorSupplied; // credited to the account as onBehalf
    mapping(address => uint256[MARKETS]) public actorWithdrawn;

    // ---- rent, per property (= market) index, in that property's rent token
    uint256[MARKETS] public rentPulled; // what the pool claimed from the property token
    uint256[MARKETS] public rentClaimed; // paid out by claimRent
    uint256[MARKETS] public rentApplied; // turned into repayment by repayWithRent, or by liquidate before bad debt
    uint256 internal lastRentApplied; // by the last successful liquidation
    uint256 internal lastRentBefore; // the borrower's claimable rent just before it
    mapping(address => uint256[MARKETS]) public rentPaidTo; // claimed + applied, by position owner
    uint256 public rentPullAnomalies; // the pool's claimable rent grew during a pool action
    /// @dev Pool actions so far: each may settle rent once more, losing at most a base unit to rounding.
    uint256 public poolActions;

    // ---- violations
    uint256 public healthViolations;
    string public firstHealthViolation;
    uint256 public probeGains;
    string public firstProbeGain;
    /// @dev A conversion that rounded in the user's favour: see `_checkShareValue` and `_checkSeizure`.
    uint256 public roundingViolations;
    string public firstRoundingViolation;
    uint256 public viewMismatches;
    string public firstViewMismatch;
    /// @dev A call whose token movements differ from the amounts it returned (see `_checkFlow`).
    uint256 public flowViolations;
    string public firstFlowViolation;
    /// @dev claimRent paid, or repayWithRent applied, other than position().claimableRent promised.
    uint256 public rentViewMismatches;
    string public firstRentViewMismatch;
    /// @dev A borrow, collateral withdrawal or liquidation on a stale price, a borrower's own action that
    /// left its debt above maxLtv, or a borrow that contradicted position().maxBorrowable.
    uint256 public backingViolations;
    string public firstBackingViolation;

    /// @notice `rentPaidTo` each of `owners` in market `m`, in one call.
    function rentsPaidTo(uint256 m, address[] memory owners) external view returns (uint256[] memory paid) {
        paid = new uint256[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            paid[i] = rentPaidTo[owners[i]][m];
        }
    }

    /// @dev Every rent payment the pool takes from a property token during a pool action is exactly the
    /// drop of what the token says it owes the pool (transfers settle rent but do not change that sum).
    modifier trackRentPulls() {
        uint256[MARKETS] memory owedBefore;
        for (uint256 m; m < MARKETS; ++m) {
            owedBefore[m] = properties[m].claimableRent(address(pool));
        }
        _;
        ++poolActions;
        for (uint256 m; m < MARKETS; ++m) {
            uint256 owedAfter = properties[m].claimableRent(address(pool));
            if (owedAfter > owedBefore[m]) ++rentPullAnomalies;
            else rentPulled[m] += owedBefore[m] - owedAfter;
        }
    }

    /// @dev Rounding favours the protocol, exactly: at the share price the pool used (the totals accrued
    /// to this block, plus the virtual 1 asset and 1e6 shares), the shares a user receives or burns are
    /// worth no more than the assets it paid or had repaid (`sharesAtLeastValue` false: supply, repay), and
    /// the shares it burns or owes are worth at least the assets it took out (true: withdraw, borrow).
    /// Compared as cross products, so no rounding enters the check itself.
    function _checkShareValue(
        string memory what,
        uint256 m,
        uint256 assets,
        uint256 shares,
        uint256 totalAssets,
        uint256 totalShares,
        bool sharesAtLeastValue
    ) internal {
        uint256 shareSide = shares * (totalAssets + VIRTUAL_ASSETS);
        uint256 assetSide = assets * (totalShares + VIRTUAL_SHARES);
        if (sharesAtLeastValue ? shareSide >= assetSide : shareSide <= assetSide) return;
        if (roundingViolations++ == 0) {
            firstRoundingViolation = string.concat(
                what,
                " in market ",
                vm.toString(m),
                " favoured the user: ",
                vm.toString(assets),
                " assets for ",
                vm.toString(shares),
                " shares at totals ",
                vm.toString(totalAssets),
                "/",
                vm.toString(totalShares)
            );
        }
    }

    /// @dev The liquidator's reward never rounds up: the collateral seized is worth at most the repayment
    /// times the incentive, at the price used (cross-multiplied, so exact).
    function _checkSeizure(uint256 m, uint256 repaidAssets, uint256 seizedCollateral, uint256 price)
        internal
    {
        if (seizedCollateral * price * WAD <= repaidAssets * params[m].liquidationIncentive * PRICE_SCALE) return;
        if (roundingViolations++ == 0) {
            firstRoundingViolation = string.concat(
                "liquidation in market ",
                vm.toString(m),
                " seized ",
                vm.toString(seizedCollateral),
                " for ",
                vm.toString(repaidAssets),
                " repaid at price ",
                vm.toString(price)
            );
        }
    }

    /// @dev Invariant 4's other half: a borrow, a withdrawal of collateral that backs debt, or a liquidation
    /// succeeded only on a fresh price (`staleBefore` read just before the call), and a borrower's own
    /// action (`checkLtv`) leaves its debt within maxLtv of its collateral's value at that price.
    function _checkBacking(string memory what, uint256 m, address account, bool staleBefore, bool checkLtv)
        internal
    {
        if (staleBefore) {
            _backingViolation(string.concat(what, " succeeded on a stale price"), m, account);
        } else if (checkLtv) {
            PositionView memory p = pool.position(ids[m], account);
            if (p.debt > p.collateralValue * params[m].maxLtv / WAD) {
                _backingViolation(string.concat(what, " left debt above maxLtv"), m, account);
            }
        }
    }

    function _backingViolation(string memory what, uint256 m, address account) internal {
        if (backingViolations++ == 0) {
            firstBackingViolation =
                string.concat(what, " in market ", vm.toString(m), " for ", vm.toString(account));
        }
    }

    /// @dev Invariant 1's per-call half: the pool pulled exactly `amount` from `who` (`credit` false) or
    /// paid exactly `amount` to `who` (true), `before` being `who`'s balance just before the call. The pool
    /// paying itself moves nothing, so it is not checked as a receiver.
    function _checkFlow(
        string memory what,
        IERC20 token,
        address who,
        uint256 before,
        uint256 amount,
        bool credit
    ) internal {
        if (who == address(pool)) return;
        uint256 balance = token.balanceOf(who);
        if ((credit ? balance == before + amount : balance + amount == before) || flowViolations++ != 0) {
            return;
        }
        firstFlowViolation = string.concat(
            what,
            ": returned ",
            vm.toString(amount),
            " but the balance of ",
            vm.toString(who),
            " went from ",
            vm.toString(before),
            " to ",
            vm.toString(balance)
        );
    }

    /// @dev Invariant 8's view check: position().claimableRent read just before, in the same block, is
    /// what claimRent pays (and, capped at the debt, what repayWithRent applies).
    function _checkRentView(string memory what, uint256 m, address account, uint256 promised, uint256 paid)
        internal
    {
        if (paid == promised || rentViewMismatches++ != 0) return;
        firstRentViewMismatch = string.concat(
            what,
            " in market ",
            vm.toString(m),
            " for ",
            vm.toString(account),
            ": view promised ",
            vm.toString(promised),
            ", paid ",
            vm.toString(paid)
        );
    }

    /// @dev Invariant 5: a partial liquidation (debt and collateral both left) must not lower the health
    /// factor. Same block and same price as the `healthBefore` reading, so interest and oracle play no part.
    /// Returns whether it was partial.
    function _checkRemainder(uint256 m, address borrower, uint256 healthBefore) internal returns (bool) {
        PositionView memory afterwards = pool.position(ids[m], borrower);
        if (afterwards.debt == 0 || afterwards.collateral == 0) return false;
        if (afterwards.healthFactor < healthBefore && healthViolations++ == 0) {
            firstHealthViolation = string.concat(
                "market ",
                vm.toString(m),
                " borrower ",
                vm.toString(borrower),
                ": health ",
                vm.toString(healthBefore),
                " -> ",
                vm.toString(afterwards.healthFactor)
            );
        }
        return true;
    }

    /// @dev Invariant 6, exact form: what the prober got back from supplying `assets` and withdrawing all.
    function _checkProbe(uint256 m, uint256 assets, uint256 got) internal {
        if (got > assets && probeGains++ == 0) {
            firstProbeGain = string.concat(
                "market ", vm.toString(m), ": supplied ", vm.toString(assets), ", withdrew ", vm.toString(got)
            );
        }
    }

    /// @dev Invariant 9: after accrueInterest the stored market (what market() returns in the same block)
    /// equals what the market() view promised just before the call.
    function _checkAccrual(uint256 m, Market memory promised, Market memory stored, bool debtsSame) internal {
        bool same = keccak256(abi.encode(promised)) == keccak256(abi.encode(stored))
            && stored.lastUpdate == block.timestamp && debtsSame;
        if (!same && viewMismatches++ == 0) {
            firstViewMismatch = string.concat(
                "market ",
                vm.toString(m),
                ": view supply/borrow ",
                vm.toString(promised.totalSupplyAssets),
                "/",
                vm.toString(promised.totalBorrowAssets),
                ", stored ",
                vm.toString(stored.totalSupplyAssets),
                "/",
                vm.toString(stored.totalBorrowAssets)
            );
        }
    }
}
