// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Test} from "../../std/Test.sol";
import {vm} from "../../std/Vm.sol";
import {IdentityRegistry} from "../../src/IdentityRegistry.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {AppraisalOracle} from "../../src/AppraisalOracle.sol";
import {MockStablecoin} from "../../src/mocks/MockStablecoin.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ComplianceFixture
/// @notice Shared setup for the unit tests of the identity registry, the property token and the appraisal
/// oracle: one deployment of each, with the roles split across distinct accounts so a test that passes
/// for `issuer` proves the issuer role (not the admin role) is what the function checks.
abstract contract ComplianceFixture is Test {
    bytes32 internal constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 internal constant AGENT_ROLE = keccak256("AGENT_ROLE");
    bytes32 internal constant ISSUER_ROLE = keccak256("ISSUER_ROLE");

    uint256 internal constant RENT_SCALE = 1e36;

    // Property metadata used by the fixture's token.
    string internal constant PROPERTY_ID = "MI-WAYNE-22-014-07";
    string internal constant PROPERTY_NAME = "1432 Oakwood Ave, Detroit";
    string internal constant PROPERTY_SYMBOL = "FH-OAK1432";
    string internal constant REGION_CODE = "US-MI";

    address internal admin;
    address internal agent;
    address internal issuer;
    address internal appraiser;
    address internal alice;
    address internal bob;
    address internal carol;
    /// @dev Never verified in the registry.
    address internal dave;
    /// @dev Holds no role anywhere.
    address internal stranger;

    IdentityRegistry internal registry;
    MockStablecoin internal usd;
    PropertyToken internal property;
    AppraisalOracle internal oracle;

    function setUp() public virtual {
        admin = makeAddr("admin");
        agent = makeAddr("agent");
        issuer = makeAddr("issuer");
        appraiser = makeAddr("appraiser");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
        dave = makeAddr("dave");
        stranger = makeAddr("stranger");

        registry = new IdentityRegistry(admin);
        usd = new MockStablecoin();
        property = new PropertyToken(
            PROPERTY_ID, PROPERTY_NAME, PROPERTY_SYMBOL, REGION_CODE, registry, IERC20(address(usd)), admin
        );
        oracle = new AppraisalOracle(admin);

        vm.startPrank(admin);
        registry.grantRole(AGENT_ROLE, agent);
        property.grantRole(ISSUER_ROLE, issuer);
        property.grantRole(AGENT_ROLE, agent);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ helpers

    function _verify(address account) internal {
        vm.prank(agent);
        registry.verify(account);
    }

    function _unverify(address account) internal {
        vm.prank(agent);
        registry.unverify(account);
    }

    function _mint(address to, uint256 amount) internal {
        vm.prank(issuer);
        property.mint(to, amount);
    }

    function _freeze(address account) internal {
        vm.prank(agent);
        property.setFrozen(account, true);
    }

    function _pause() internal {
        vm.prank(agent);
        property.pause();
    }

    /// @dev Funds the issuer with the stablecoin and deposits it as rent.
    function _depositRent(uint256 amount) internal {
        usd.mint(issuer, amount);
        vm.startPrank(issuer);
        usd.approve(address(property), amount);
        property.depositRent(amount);
        vm.stopPrank();
    }

    function _transfer(address from, address to, uint256 amount) internal {
        vm.prank(from);
        vm.assertTrue(property.transfer(to, amount), "transfer returned false");
    }

    function _claim(address holder) internal returns (uint256 amount) {
        vm.prank(holder);
        amount = property.claimRent();
    }
}
