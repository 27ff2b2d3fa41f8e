// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {vm} from "../../../std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IdentityRegistry} from "../../../src/IdentityRegistry.sol";
import {PropertyToken} from "../../../src/PropertyToken.sol";
import {AppraisalOracle} from "../../../src/AppraisalOracle.sol";
import {LendingPool} from "../../../src/LendingPool.sol";
import {MockStablecoin} from "../../../src/mocks/MockStablecoin.sol";
import {MarketId, MarketParams} from "../../../src/interfaces/ILendingPool.sol";

/// @title Deployment
/// @notice The system the invariant campaign runs against, and the cast that acts on it.
/// Two markets lend the same stablecoin against two properties: property 0 pays its rent in the loan
/// token (so `repayWithRent` works and rent shares the pool's balance with lenders' liquidity), property 1
/// pays rent in a second stablecoin. One admin holds every role (issuer, agents, appraiser, pool owner).
contract Deployment {
    /// @dev One US dollar in the 6-decimal stablecoin, per 1e18 token base units, in PRICE_SCALE units.
    uint256 internal constant USD_PER_TOKEN = 1e6 * 1e36 / 1e18;
    uint256 public constant MARKETS = 2;

    address public immutable admin;
    /// @dev Never verified: the receiver that every compliant path must refuse.
    address public immutable outsider;

    IdentityRegistry public immutable registry;
    AppraisalOracle public immutable oracle;
    LendingPool public immutable pool;
    MockStablecoin public immutable loanToken;
    MockStablecoin public immutable otherRentToken;

    PropertyToken[MARKETS] internal _properties;
    MarketId[MARKETS] internal _ids;
    uint256[MARKETS] internal _initialPrices;

    address[] internal _lenders;
    address[] internal _borrowers;
    address[] internal _liquidators;
    address internal _prober;
    /// @dev Lenders, borrowers and liquidators: everyone an action may name as actor or `onBehalf`.
    /// The prober is kept apart so nobody else ever credits it shares.
    address[] internal _accounts;
    /// @dev Every address that can hold a property token: the accounts, the pool, the admin, the outsider.
    address[] internal _holders;

    constructor() {
        admin = _makeAddr("admin");
        outsider = _makeAddr("outsider");
        for (uint256 i; i < 2; ++i) {
            _lenders.push(_makeAddr(string.concat("lender", vm.toString(i))));
        }
        for (uint256 i; i < 3; ++i) {
            _borrowers.push(_makeAddr(string.concat("borrower", vm.toString(i))));
        }
        for (uint256 i; i < 2; ++i) {
            _liquidators.push(_makeAddr(string.concat("liquidator", vm.toString(i))));
        }
        _prober = _makeAddr("prober");
        _accounts = _lenders;
        for (uint256 i; i < _borrowers.length; ++i) {
            _accounts.push(_borrowers[i]);
        }
        for (uint256 i; i < _liquidators.length; ++i) {
            _accounts.push(_liquidators[i]);
        }

        registry = new IdentityRegistry(admin);
        oracle = new AppraisalOracle(admin);
        pool = new LendingPool(admin);
        loanToken = new MockStablecoin();
        otherRentToken = new MockStablecoin();
        vm.label(address(pool), "pool");
        vm.label(address(loanToken), "loanToken");
        vm.label(address(otherRentToken), "otherRentToken");

        _holders = _accounts;
        _holders.push(_prober);
        _holders.push(address(pool));
        _holders.push(admin);
        _holders.push(outsider);

        vm.startPrank(admin);
        for (uint256 i; i < _holders.length; ++i) {
            if (_holders[i] != outsider) registry.verify(_holders[i]);
        }
        _properties[0] = _listProperty("FH-DET-0412", "FHDET0412", loanToken, 5240, 30 days, 1000);
        _properties[1] = _listProperty("FH-CLE-1177", "FHCLE1177", otherRentToken, 12_000, 7 days, 500);
        _ids[0] = _createMarket(_properties[0], 0.75e18, 0.65e18, 0, 0, 10e6);
        // Caps a campaign reaches: 3 borrowers can borrow about 250,000 against their market-1 collateral.
        _ids[1] = _createMarket(_properties[1], 0.8e18, 0.7e18, 400_000e6, 200_000e6, 50e6);
        for (uint256 m; m < MARKETS; ++m) {
            _initialPrices[m] = oracle.feed(address(_properties[m])).price;
            // The issuer keeps most of each property, so the pool earns only part of every rent payment.
            _properties[m].mint(admin, 5000e18);
            for (uint256 i; i < _borrowers.length; ++i) {
                _properties[m].mint(_borrowers[i], 1000e18);
            }
        }
        vm.stopPrank();

        for (uint256 i; i < _holders.length; ++i) {
            if (_holders[i] == address(pool)) continue;
            vm.startPrank(_holders[i]);
            loanToken.approve(address(pool), type(uint256).max);
            for (uint256 m; m < MARKETS; ++m) {
                _properties[m].approve(address(pool), type(uint256).max);
            }
            vm.stopPrank();
        }
        vm.startPrank(admin);
        loanToken.approve(address(_properties[0]), type(uint256).max);
        otherRentToken.approve(address(_properties[1]), type(uint256).max);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ views for handlers and invariants

    function property(uint256 m) external view returns (PropertyToken) {
        return _properties[m];
    }

    function marketId(uint256 m) external view returns (MarketId) {
        return _ids[m];
    }

    function initialPrice(uint256 m) external view returns (uint256) {
        return _initialPrices[m];
    }

    function lenders() external view returns (address[] memory) {
        return _lenders;
    }

    function borrowers() external view returns (address[] memory) {
        return _borrowers;
    }

    function liquidators() external view returns (address[] memory) {
        return _liquidators;
    }

    function prober() external view returns (address) {
        return _prober;
    }

    function accounts() external view returns (address[] memory) {
        return _accounts;
    }

    function holders() external view returns (address[] memory) {
        return _holders;
    }

    // ------------------------------------------------------------------ setup helpers (run as admin)

    function _listProperty(
        string memory id,
        string memory symbol,
        MockStablecoin rentToken,
        uint256 centsPerToken,
        uint256 maxAge,
        uint256 maxMoveBps
    ) internal returns (PropertyToken token) {
        token = new PropertyToken(id, id, symbol, "US-MI", registry, IERC20(address(rentToken)), admin);
        vm.label(address(token), symbol);
        oracle.configureFeed(address(token), maxAge, maxMoveBps);
        oracle.setAppraiser(address(token), admin, true);
        oracle.forceAppraisal(address(token), centsPerToken * USD_PER_TOKEN / 100, "initial appraisal");
    }

    function _createMarket(
        PropertyToken token,
        uint256 lltv,
        uint256 maxLtv,
        uint256 supplyCap,
        uint256 borrowCap,
        uint256 minLeftoverDebt
    ) internal returns (MarketId) {
        return pool.createMarket(
            MarketParams({
                collateralToken: address(token),
                loanToken: address(loanToken),
                oracle: address(oracle),
                lltv: lltv,
                maxLtv: maxLtv,
                liquidationIncentive: pool.maxLiquidationIncentive(lltv),
                baseRatePerYear: 0.02e18,
                slope1PerYear: 0.06e18,
                slope2PerYear: 0.8e18,
                kinkUtilization: 0.8e18,
                supplyCap: supplyCap,
                borrowCap: borrowCap,
                minLeftoverDebt: minLeftoverDebt
            })
        );
    }

    function _makeAddr(string memory name) internal returns (address a) {
        a = vm.addr(uint256(keccak256(bytes(name))));
        vm.label(a, name);
    }
}
