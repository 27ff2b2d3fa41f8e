// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IAppraisalOracle} from "../../../src/interfaces/IAppraisalOracle.sol";
import {MockStablecoin} from "../../../src/mocks/MockStablecoin.sol";
import {Deployment} from "./Deployment.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @title EnvironmentHandler
/// @notice Everything around the pool that its users do not control: appraisals (bounded updates and
/// forced drops), time (sometimes past a feed's maxAge so prices go stale until refreshed), rent
/// deposits, and the compliance agent's freezes, verifications and pauses, plus holders trading and the
/// issuer minting property tokens. Each kind of restriction is in force at most once at a time and is
/// lifted again by the next toggle of its kind (see `_imposes`).
contract EnvironmentHandler is HandlerBase {
    uint256 internal constant BPS = 10_000;
    /// @dev Past the longest feed maxAge (30 days), so one such warp makes every price stale.
    uint256 internal constant LONG_WARP_MIN = 30 days + 1;

    /// @dev See `_imposes`.
    uint256 internal constant RESTRICTION_ODDS = 3;
    uint256 internal constant NONE = type(uint256).max;

    /// @dev The restrictions in force: at most one frozen (holder, property), unverified holder, paused token.
    address public frozenHolder;
    uint256 public frozenIn;
    address public unverifiedHolder;
    uint256 public pausedIn = NONE;
    /// @dev Rent deposited into each property token, in its rent token, and how many deposits.
    uint256[MARKETS] public rentDeposited;
    uint256[MARKETS] public rentDeposits;
    /// @dev Each position's fair part of the rent the pool earned (see `_creditExpectedRent`).
    mapping(address => uint256[MARKETS]) public expectedRent;
    bool[MARKETS] public rentModelInexact;
    address[] internal accounts;

    constructor(Deployment deployment) HandlerBase(deployment) {
        accounts = deployment.accounts();
        string[16] memory names = [
            "movePrice",
            "forcePrice.drop",
            "forcePrice.rise",
            "warp",
            "warp.pastMaxAge",
            "refreshPrices",
            "depositRent",
            "freeze",
            "unfreeze",
            "unverify",
            "reverify",
            "pause",
            "unpause",
            "transferProperty",
            "transferProperty.toPool",
            "issueProperty"
        ];
        for (uint256 i; i < names.length; ++i) {
            _registerAction(names[i]);
        }
    }

    /// @notice The restrictions in force besides the outsider (zero addresses when none).
    function restrictions() external view returns (address unverified, address frozen, uint256 frozenOf) {
        return _restrictions();
    }

    function _restrictions() internal view override returns (address, address, uint256) {
        return (unverifiedHolder, frozenHolder, frozenIn);
    }

    /// @notice `expectedRent` of each of `owners` in market `m`, in one call.
    function expectedRents(uint256 m, address[] memory owners)
        external
        view
        returns (uint256[] memory rents)
    {
        rents = new uint256[](owners.length);
        for (uint256 i; i < owners.length; ++i) {
            rents[i] = expectedRent[owners[i]][m];
        }
    }

    // ================================================================== appraisals and time

    /// @notice An ordinary appraisal within the feed's maxMoveBps, either way; also refreshes the price.
    function movePrice(uint256 marketSeed, uint256 moveSeed) external {
        uint256 m = _market(marketSeed);
        IAppraisalOracle.Feed memory f = oracle.feed(address(properties[m]));
        uint256 maxMove = f.price * f.maxMoveBps / BPS;
        uint256 move = _bound(moveSeed, 0, 2 * maxMove);
        uint256 price = move >= maxMove ? f.price + (move - maxMove) : f.price - (maxMove - move);
        _appraise("movePrice", m, price);
    }

    /// @notice The admin's loud path, at once: one time in eight a crash to 20-70% of the price (a fire,
    /// a condemned building: bad debt), five in eight a drop to 75-95% (mostly partial liquidations), else
    /// a recovery to 100-120%.
    function forcePrice(uint256 marketSeed, uint256 percentSeed) external {
        uint256 m = _market(marketSeed);
        uint256 tier = percentSeed % 8;
        percentSeed /= 8;
        uint256 percent = tier == 0
            ? _bound(percentSeed, 20, 70)
            : tier >= 6 ? _bound(percentSeed, 100, 120) : _bound(percentSeed, 75, 95);
        uint256 price = oracle.feed(address(properties[m])).price * percent / 100;
        if (price == 0) price = 1;
        string memory label = percent < 100 ? "forcePrice.drop" : "forcePrice.rise";
        _attempt(label);
        vm.prank(admin);
        try oracle.forceAppraisal(address(properties[m]), price, "invariant campaign") {
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @notice Time passes: up to 3 days, or one time in eight past every feed's maxAge.
    function warp(uint256 secondsSeed, uint256 staleSeed) external {
        bool long = _oneIn(staleSeed, 8);
        uint256 elapsed = long ? _bound(secondsSeed, LONG_WARP_MIN, 45 days) : _bound(secondsSeed, 1, 3 days);
        string memory label = long ? "warp.pastMaxAge" : "warp";
        _attempt(label);
        vm.warp(block.timestamp + elapsed);
        _succeed(label);
    }

    /// @notice The appraisers confirm every price as it is, making stale prices fresh again.
    function refreshPrices() external {
        for (uint256 m; m < MARKETS; ++m) {
            _appraise("refreshPrices", m, oracle.feed(address(properties[m])).price);
        }
    }

    // ================================================================== rent

    /// @notice The issuer pays rent to every holder of a property, the pool included.
    function depositRent(uint256 marketSeed, uint256 amount) external {
        uint256 m = _market(marketSeed);
        amount = _bound(amount, 1, 20_000e6);
        MockStablecoin(address(properties[m].rentToken())).mint(admin, amount);
        uint256 supply = properties[m].totalSupply();
        _attempt("depositRent");
        vm.prank(admin);
        try properties[m].depositRent(amount) {
            rentDeposited[m] += amount;
            ++rentDeposits[m];
            _succeed("depositRent");
            _creditExpectedRent(m, Math.mulDiv(amount, properties[m].balanceOf(address(pool)), supply));
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @dev The model of "each position earns on its own balance": the pool's part of a deposit belongs
    /// to the positions by their collateral at that moment (tokens donated to the pool raise everyone's
    /// part alike). With no collateral locked the pool's rent waits for whoever locks first: no per-position
    /// model then, so the market's model is marked inexact and no longer checked.
    function _creditExpectedRent(uint256 m, uint256 poolRent) internal {
        if (poolRent == 0) return;
        uint256 locked = pool.totalCollateralOf(address(properties[m]));
        if (locked == 0) {
            rentModelInexact[m] = true;
            return;
        }
        for (uint256 i; i < accounts.length; ++i) {
            uint256 collateral = pool.positionShares(ids[m], accounts[i]).collateral;
            if (collateral != 0) expectedRent[accounts[i]][m] += Math.mulDiv(poolRent, collateral, locked);
        }
    }

    // ================================================================== compliance

    /// @notice Freezes one holder (the pool included) in one property token, or lifts the freeze in force.
    /// See `_imposes` for how often.
    function toggleFrozen(uint256 holderSeed, uint256 marketSeed) external {
        bool lift = frozenHolder != address(0);
        if (!lift && !_imposes(holderSeed)) return;
        address holder = lift ? frozenHolder : _pick(holders, holderSeed);
        uint256 m = lift ? frozenIn : _market(marketSeed);
        string memory label = lift ? "unfreeze" : "freeze";
        _attempt(label);
        vm.prank(admin);
        try properties[m].setFrozen(holder, !lift) {
            (frozenHolder, frozenIn) = lift ? (address(0), 0) : (holder, m);
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @notice Removes one holder's verification (the pool included; the outsider never has one), or
    /// restores the one removed.
    function toggleVerified(uint256 holderSeed) external {
        bool lift = unverifiedHolder != address(0);
        if (!lift && !_imposes(holderSeed)) return;
        address holder = lift ? unverifiedHolder : _pick(holders, holderSeed);
        if (holder == outsider) return;
        string memory label = lift ? "reverify" : "unverify";
        _attempt(label);
        vm.prank(admin);
        if (lift) {
            try registry.verify(holder) {
                unverifiedHolder = address(0);
                _succeed(label);
            } catch (bytes memory reason) {
                _failed(reason);
            }
        } else {
            try registry.unverify(holder) {
                unverifiedHolder = holder;
                _succeed(label);
            } catch (bytes memory reason) {
                _failed(reason);
            }
        }
    }

    /// @notice Pauses one property token, or unpauses the one paused.
    function togglePause(uint256 marketSeed) external {
        bool lift = pausedIn != NONE;
        if (!lift && !_imposes(marketSeed)) return;
        uint256 m = lift ? pausedIn : _market(marketSeed);
        string memory label = lift ? "unpause" : "pause";
        _attempt(label);
        vm.prank(admin);
        if (lift) {
            try properties[m].unpause() {
                pausedIn = NONE;
                _succeed(label);
            } catch (bytes memory reason) {
                _failed(reason);
            }
        } else {
            try properties[m].pause() {
                pausedIn = m;
                _succeed(label);
            } catch (bytes memory reason) {
                _failed(reason);
            }
        }
    }

    /// @dev At most one restriction of each kind is in force, and a toggle lifts it whenever one is, but
    /// imposes a new one only one time in RESTRICTION_ODDS: restrictions are then in force about a quarter
    /// of the time, enough to exercise every refusal without turning the campaign into one.
    function _imposes(uint256 seed) internal pure returns (bool) {
        return _oneIn(seed, RESTRICTION_ODDS);
    }

    /// @notice A holder (never the pool) sends property tokens to any holder: another account, the
    /// outsider (must fail), or the pool itself (a donation the pool does not count as collateral).
    function transferProperty(uint256 fromSeed, uint256 toSeed, uint256 marketSeed, uint256 amount)
        external
        watchCompliance(false)
    {
        uint256 m = _market(marketSeed);
        address from = _pick(holders, fromSeed);
        address to = _pick(holders, toSeed);
        uint256 balance = properties[m].balanceOf(from);
        if (from == address(pool) || balance == 0) return;
        amount = _bound(amount, 1, balance);
        string memory label = to == address(pool) ? "transferProperty.toPool" : "transferProperty";
        _attempt(label);
        vm.prank(from);
        try properties[m].transfer(to, amount) {
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    /// @notice The issuer mints to any holder; an unverified or frozen one must be refused.
    function issueProperty(uint256 toSeed, uint256 marketSeed, uint256 amount)
        external
        watchCompliance(true)
    {
        uint256 m = _market(marketSeed);
        address to = _pick(holders, toSeed);
        amount = _bound(amount, 1, 1000e18);
        _attempt("issueProperty");
        vm.prank(admin);
        try properties[m].mint(to, amount) {
            _succeed("issueProperty");
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }

    // ================================================================== internals

    function _appraise(string memory label, uint256 m, uint256 price) internal {
        _attempt(label);
        vm.prank(admin);
        try oracle.submitAppraisal(address(properties[m]), price) {
            _succeed(label);
        } catch (bytes memory reason) {
            _failed(reason);
        }
    }
}
