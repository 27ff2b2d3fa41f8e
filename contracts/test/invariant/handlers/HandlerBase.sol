// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {IdentityRegistry} from "../../../src/IdentityRegistry.sol";
import {PropertyToken} from "../../../src/PropertyToken.sol";
import {AppraisalOracle} from "../../../src/AppraisalOracle.sol";
import {LendingPool} from "../../../src/LendingPool.sol";
import {MockStablecoin} from "../../../src/mocks/MockStablecoin.sol";
import {MarketId, MarketParams, Position} from "../../../src/interfaces/ILendingPool.sol";
import {Deployment} from "./Deployment.sol";

/// @title HandlerBase
/// @notice What every handler shares: the deployment, per-action counters, and the compliance watch.
/// An action never reverts: it calls the system inside try/catch and updates its ghosts only on success,
/// so every ghost is exact and a campaign with `fail_on_revert = false` still counts what really ran.
abstract contract HandlerBase {
    uint256 internal constant MARKETS = 2;
    uint256 internal constant WAD = 1e18;
    /// @dev Oracle prices: loan-token base units per collateral base unit, times 1e36.
    uint256 internal constant PRICE_SCALE = 1e36;

    Deployment public immutable d;
    LendingPool internal immutable pool;
    IdentityRegistry internal immutable registry;
    AppraisalOracle internal immutable oracle;
    MockStablecoin internal immutable loanToken;
    address internal immutable admin;
    /// @dev Never verified: the receiver that every compliant path must refuse.
    address public immutable outsider;
    PropertyToken[MARKETS] internal properties;
    MarketId[MARKETS] internal ids;
    MarketParams[MARKETS] internal params;
    address[] internal holders;

    // ---- counters: attempts are calls made into the system, successes those that did not revert
    string[] internal _actionNames;
    mapping(bytes32 => uint256) internal _attempts;
    mapping(bytes32 => uint256) internal _successes;
    mapping(bytes4 => uint256) public revertsBySelector;
    bytes4[] internal _revertSelectors;

    // ---- compliance watch (invariant 7)
    uint256 public complianceViolations;
    string public firstComplianceViolation;

    /// @dev A (holder, token) pair whose balance an action must not raise (or, while paused, change).
    struct Watched {
        address holder;
        uint256 m;
        uint256 balance;
        bool paused;
        uint256 collateral; // the holder's collateral in market m, before the action
        uint256 borrowShares; // and its borrow shares
    }

    constructor(Deployment deployment) {
        d = deployment;
        pool = deployment.pool();
        registry = deployment.registry();
        oracle = deployment.oracle();
        loanToken = deployment.loanToken();
        admin = deployment.admin();
        outsider = deployment.outsider();
        for (uint256 m; m < MARKETS; ++m) {
            properties[m] = deployment.property(m);
            ids[m] = deployment.marketId(m);
            params[m] = pool.marketParams(ids[m]);
        }
        holders = deployment.holders();
    }

    // ------------------------------------------------------------------ counters

    function actionNames() external view returns (string[] memory) {
        return _actionNames;
    }

    function attempts(string memory action) public view returns (uint256) {
        return _attempts[keccak256(bytes(action))];
    }

    function successes(string memory action) public view returns (uint256) {
        return _successes[keccak256(bytes(action))];
    }

    function revertSelectors() external view returns (bytes4[] memory) {
        return _revertSelectors;
    }

    /// @notice Zeroes the counters, so a campaign counts only its own calls (the test's setUp seeds the
    /// markets through the handlers). Not a fuzzing target.
    function resetCounters() external {
        for (uint256 i; i < _actionNames.length; ++i) {
            bytes32 key = keccak256(bytes(_actionNames[i]));
            delete _attempts[key];
            delete _successes[key];
        }
        for (uint256 i; i < _revertSelectors.length; ++i) {
            delete revertsBySelector[_revertSelectors[i]];
        }
        delete _revertSelectors;
    }

    function _registerAction(string memory action) internal {
        _actionNames.push(action);
    }

    function _attempt(string memory action) internal {
        ++_attempts[keccak256(bytes(action))];
    }

    function _succeed(string memory action) internal {
        ++_successes[keccak256(bytes(action))];
    }

    /// @dev Records a caught revert by its selector.
    function _failed(bytes memory reason) internal {
        bytes4 selector = _selector(reason);
        if (revertsBySelector[selector]++ == 0) _revertSelectors.push(selector);
    }

    /// @dev The error selector of revert data (0 for a revert without data).
    function _selector(bytes memory reason) internal pure returns (bytes4 selector) {
        // Truncating to the first four bytes is the point: that is the error's selector.
        // forge-lint: disable-next-line(unsafe-typecast)
        if (reason.length >= 4) selector = bytes4(reason);
    }

    // ------------------------------------------------------------------ compliance watch

    /// @dev Wraps an action: any holder that could not receive a property token before the action
    /// (unverified or frozen) must not hold more of it afterwards, and while a token is paused no
    /// balance may move at all, except by the issuer's mint (`minting`). The ineligible holders are the
    /// ones the environment's bookkeeping names (`_restrictions`), which invariant 7 holds to the registry
    /// and the tokens after every call; reading only those keeps the watch cheap.
    modifier watchCompliance(bool minting) {
        Watched[] memory watched = _watchList(minting, false);
        _;
        _checkWatched(watched, false);
    }

    /// @dev watchCompliance, and also the positions of the restricted owners in the pool: for the actions
    /// that can move collateral or add debt (the others cannot reach a position's collateral or debt).
    modifier watchComplianceAndPositions() {
        Watched[] memory watched = _watchList(false, true);
        _;
        _checkWatched(watched, true);
    }

    function _checkWatched(Watched[] memory watched, bool positions) private {
        for (uint256 i; i < watched.length; ++i) {
            Watched memory w = watched[i];
            uint256 balance = properties[w.m].balanceOf(w.holder);
            if (w.paused ? balance != w.balance : balance > w.balance) {
                _complianceViolation(
                    w.paused ? "balance moved while paused" : "ineligible holder received", w.holder, w.m
                );
            }
            if (w.paused || !positions) continue;
            // A frozen or unverified owner's position: no collateral in or out and no new debt; only a
            // liquidation (which always burns borrow shares) may take collateral, only repayment lower debt.
            Position memory p = pool.positionShares(ids[w.m], w.holder);
            if (p.collateral > w.collateral) {
                _complianceViolation("restricted owner's collateral grew", w.holder, w.m);
            }
            if (p.borrowShares > w.borrowShares) {
                _complianceViolation("restricted owner's debt grew", w.holder, w.m);
            }
            if (p.collateral < w.collateral && p.borrowShares == w.borrowShares) {
                _complianceViolation("restricted owner's collateral left without liquidation", w.holder, w.m);
            }
        }
    }

    /// @dev The restrictions in force besides the never-verified outsider: at most one unverified holder
    /// and one frozen (holder, property); zero addresses when none.
    function _restrictions()
        internal
        view
        virtual
        returns (address unverified, address frozen, uint256 frozenIn);

    function _watchList(bool minting, bool positions) internal view returns (Watched[] memory list) {
        list = new Watched[]((holders.length + 3) * MARKETS);
        uint256 count;
        (address unverified, address frozen, uint256 frozenIn) = _restrictions();
        for (uint256 m; m < MARKETS; ++m) {
            if (!minting && properties[m].paused()) {
                for (uint256 i; i < holders.length; ++i) {
                    list[count++] = Watched(holders[i], m, properties[m].balanceOf(holders[i]), true, 0, 0);
                }
                continue;
            }
            list[count++] = _watched(outsider, m, positions);
            if (unverified != address(0)) {
                list[count++] = _watched(unverified, m, positions);
            }
            if (frozen != address(0) && frozenIn == m) {
                list[count++] = _watched(frozen, m, positions);
            }
        }
        // Shrink the array to the pairs actually watched.
        assembly ("memory-safe") {
            mstore(list, count)
        }
    }

    function _watched(address holder, uint256 m, bool positions) private view returns (Watched memory w) {
        w = Watched(holder, m, properties[m].balanceOf(holder), false, 0, 0);
        if (positions) {
            Position memory p = pool.positionShares(ids[m], holder);
            (w.collateral, w.borrowShares) = (p.collateral, p.borrowShares);
        }
    }

    function _complianceViolation(string memory what, address holder, uint256 m) private {
        if (complianceViolations++ == 0) {
            firstComplianceViolation =
                string.concat(what, ": ", vm.toString(holder), " in property ", vm.toString(m));
        }
    }

    // ------------------------------------------------------------------ picking

    function _pick(address[] memory list, uint256 seed) internal pure returns (address) {
        return list[seed % list.length];
    }

    function _market(uint256 seed) internal pure returns (uint256) {
        return seed % MARKETS;
    }

    /// @dev Whether a one-in-`n` event happens. Hashed, because fuzzers favour edge values (0, 1, 2^k,
    /// max): `seed % n == 0` would come up far more often than one time in `n`.
    function _oneIn(uint256 seed, uint256 n) internal pure returns (bool) {
        return uint256(keccak256(abi.encode(seed))) % n == 0;
    }

    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (x >= min && x <= max) return x;
        return min + x % (max - min + 1);
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
