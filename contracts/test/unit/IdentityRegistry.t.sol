// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IdentityRegistry} from "../../src/IdentityRegistry.sol";
import {IIdentityRegistry} from "../../src/interfaces/IIdentityRegistry.sol";
import {vm} from "../../std/Vm.sol";
import {ComplianceFixture} from "../utils/ComplianceFixture.sol";

contract IdentityRegistryTest is ComplianceFixture {
    event IdentityVerified(address indexed account, address indexed agent);
    event IdentityRemoved(address indexed account, address indexed agent);

    // ------------------------------------------------------------------ constructor and roles

    function test_constructor_grantsAdminAndAgentRolesToAdmin() public view {
        vm.assertTrue(registry.hasRole(DEFAULT_ADMIN_ROLE, admin), "admin role");
        vm.assertTrue(registry.hasRole(AGENT_ROLE, admin), "agent role");
        vm.assertFalse(registry.hasRole(DEFAULT_ADMIN_ROLE, agent), "agent is not admin");
    }

    function test_constructor_revertsWhenAdminIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.ZeroAddress.selector));
        new IdentityRegistry(address(0));
    }

    function test_AGENT_ROLE_isHashOfName() public view {
        vm.assertEq(registry.AGENT_ROLE(), keccak256("AGENT_ROLE"), "AGENT_ROLE");
    }

    function test_grantRole_agentRoleLetsNewAgentVerify() public {
        address newAgent = makeAddr("newAgent");
        vm.prank(admin);
        registry.grantRole(AGENT_ROLE, newAgent);

        vm.prank(newAgent);
        registry.verify(alice);
        vm.assertTrue(registry.isVerified(alice), "verified by new agent");
    }

    function test_grantRole_revertsWhenCallerIsNotAdmin() public {
        // An agent verifies holders but must not be able to appoint more agents.
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, agent, DEFAULT_ADMIN_ROLE
            )
        );
        vm.prank(agent);
        registry.grantRole(AGENT_ROLE, stranger);
    }

    function test_revokeRole_removedAgentCannotVerify() public {
        vm.prank(admin);
        registry.revokeRole(AGENT_ROLE, agent);

        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, agent, AGENT_ROLE
            )
        );
        vm.prank(agent);
        registry.verify(alice);
    }

    function test_verify_revertsWhenAdminHasGivenUpAgentRole() public {
        // The check is on AGENT_ROLE, not on being the admin.
        vm.prank(admin);
        registry.renounceRole(AGENT_ROLE, admin);

        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, admin, AGENT_ROLE
            )
        );
        vm.prank(admin);
        registry.verify(alice);
    }

    // ------------------------------------------------------------------ isVerified

    function test_isVerified_falseByDefault() public view {
        vm.assertFalse(registry.isVerified(alice), "alice");
        vm.assertFalse(registry.isVerified(address(0)), "zero address");
    }

    // ------------------------------------------------------------------ verify

    function test_verify_marksAccountVerified() public {
        _verify(alice);
        vm.assertTrue(registry.isVerified(alice), "alice verified");
        vm.assertFalse(registry.isVerified(bob), "bob untouched");
    }

    function test_verify_emitsIdentityVerified() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityVerified(alice, agent);
        _verify(alice);
    }

    function test_verify_worksForAdminAsAgent() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityVerified(alice, admin);
        vm.prank(admin);
        registry.verify(alice);
        vm.assertTrue(registry.isVerified(alice), "verified by admin");
    }

    function test_verify_revertsWhenCallerIsNotAgent() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, AGENT_ROLE
            )
        );
        vm.prank(stranger);
        registry.verify(alice);
    }

    function test_verify_revertsWhenSelfVerifying() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, AGENT_ROLE
            )
        );
        vm.prank(alice);
        registry.verify(alice);
    }

    function test_verify_revertsWhenZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.ZeroAddress.selector));
        vm.prank(agent);
        registry.verify(address(0));
    }

    function test_verify_revertsWhenAlreadyVerified() public {
        _verify(alice);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.AlreadyVerified.selector, alice));
        vm.prank(agent);
        registry.verify(alice);
    }

    function testFuzz_verify_thenUnverifyRoundTrips(address account) public {
        vm.assume(account != address(0));
        _verify(account);
        vm.assertTrue(registry.isVerified(account), "verified");
        _unverify(account);
        vm.assertFalse(registry.isVerified(account), "removed");
        _verify(account);
        vm.assertTrue(registry.isVerified(account), "verified again");
    }

    // ------------------------------------------------------------------ unverify

    function test_unverify_removesVerification() public {
        _verify(alice);
        _verify(bob);
        _unverify(alice);
        vm.assertFalse(registry.isVerified(alice), "alice removed");
        vm.assertTrue(registry.isVerified(bob), "bob untouched");
    }

    function test_unverify_emitsIdentityRemoved() public {
        _verify(alice);
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityRemoved(alice, agent);
        _unverify(alice);
    }

    function test_unverify_allowsVerifyingAgain() public {
        _verify(alice);
        _unverify(alice);
        _verify(alice);
        vm.assertTrue(registry.isVerified(alice), "verified again");
    }

    function test_unverify_revertsWhenCallerIsNotAgent() public {
        _verify(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, AGENT_ROLE
            )
        );
        vm.prank(stranger);
        registry.unverify(alice);
    }

    function test_unverify_revertsWhenNotVerified() public {
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotVerified.selector, alice));
        vm.prank(agent);
        registry.unverify(alice);
    }

    function test_unverify_revertsWhenRemovedTwice() public {
        _verify(alice);
        _unverify(alice);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotVerified.selector, alice));
        vm.prank(agent);
        registry.unverify(alice);
    }

    function test_unverify_revertsWhenZeroAddress() public {
        // The zero address can never be verified, so removing it is a NotVerified.
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotVerified.selector, address(0)));
        vm.prank(agent);
        registry.unverify(address(0));
    }

    // ------------------------------------------------------------------ verifyBatch

    function test_verifyBatch_verifiesEveryAccount() public {
        vm.prank(agent);
        registry.verifyBatch(_three(alice, bob, carol));
        vm.assertTrue(registry.isVerified(alice), "alice");
        vm.assertTrue(registry.isVerified(bob), "bob");
        vm.assertTrue(registry.isVerified(carol), "carol");
        vm.assertFalse(registry.isVerified(dave), "dave untouched");
    }

    function test_verifyBatch_emitsOneEventPerAccountInOrder() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityVerified(alice, agent);
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityVerified(bob, agent);
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityVerified(carol, agent);
        vm.prank(agent);
        registry.verifyBatch(_three(alice, bob, carol));
    }

    function test_verifyBatch_emptyBatchChangesNothing() public {
        vm.recordLogs();
        vm.prank(agent);
        registry.verifyBatch(new address[](0));
        vm.assertEq(vm.getRecordedLogs().length, 0, "no events");
    }

    function test_verifyBatch_revertsAtomicallyWhenOneIsAlreadyVerified() public {
        _verify(bob);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.AlreadyVerified.selector, bob));
        vm.prank(agent);
        registry.verifyBatch(_three(alice, bob, carol));
        // alice came before the bad entry and carol after it: neither may stick.
        vm.assertFalse(registry.isVerified(alice), "alice rolled back");
        vm.assertFalse(registry.isVerified(carol), "carol never verified");
        vm.assertTrue(registry.isVerified(bob), "bob still verified");
    }

    function test_verifyBatch_revertsAtomicallyWhenOneIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.ZeroAddress.selector));
        vm.prank(agent);
        registry.verifyBatch(_three(alice, bob, address(0)));
        vm.assertFalse(registry.isVerified(alice), "alice rolled back");
        vm.assertFalse(registry.isVerified(bob), "bob rolled back");
    }

    function test_verifyBatch_revertsWhenAccountRepeats() public {
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.AlreadyVerified.selector, alice));
        vm.prank(agent);
        registry.verifyBatch(_three(alice, bob, alice));
        vm.assertFalse(registry.isVerified(alice), "alice rolled back");
        vm.assertFalse(registry.isVerified(bob), "bob rolled back");
    }

    function test_verifyBatch_revertsWhenCallerIsNotAgent() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, AGENT_ROLE
            )
        );
        vm.prank(stranger);
        registry.verifyBatch(_three(alice, bob, carol));
    }

    // ------------------------------------------------------------------ unverifyBatch

    function test_unverifyBatch_removesEveryAccount() public {
        vm.prank(agent);
        registry.verifyBatch(_three(alice, bob, carol));
        _verify(dave);

        vm.prank(agent);
        registry.unverifyBatch(_three(alice, bob, carol));
        vm.assertFalse(registry.isVerified(alice), "alice");
        vm.assertFalse(registry.isVerified(bob), "bob");
        vm.assertFalse(registry.isVerified(carol), "carol");
        vm.assertTrue(registry.isVerified(dave), "dave untouched");
    }

    function test_unverifyBatch_emitsOneEventPerAccountInOrder() public {
        vm.prank(agent);
        registry.verifyBatch(_three(alice, bob, carol));

        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityRemoved(carol, agent);
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityRemoved(alice, agent);
        vm.expectEmit(true, true, true, true, address(registry));
        emit IdentityRemoved(bob, agent);
        vm.prank(agent);
        registry.unverifyBatch(_three(carol, alice, bob));
    }

    function test_unverifyBatch_emptyBatchChangesNothing() public {
        vm.recordLogs();
        vm.prank(agent);
        registry.unverifyBatch(new address[](0));
        vm.assertEq(vm.getRecordedLogs().length, 0, "no events");
    }

    function test_unverifyBatch_revertsAtomicallyWhenOneIsNotVerified() public {
        _verify(alice);
        _verify(carol);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotVerified.selector, bob));
        vm.prank(agent);
        registry.unverifyBatch(_three(alice, bob, carol));
        vm.assertTrue(registry.isVerified(alice), "alice restored");
        vm.assertTrue(registry.isVerified(carol), "carol never removed");
    }

    function test_unverifyBatch_revertsWhenAccountRepeats() public {
        _verify(alice);
        _verify(bob);
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.NotVerified.selector, alice));
        vm.prank(agent);
        registry.unverifyBatch(_three(alice, bob, alice));
        vm.assertTrue(registry.isVerified(alice), "alice restored");
        vm.assertTrue(registry.isVerified(bob), "bob restored");
    }

    function test_unverifyBatch_revertsWhenCallerIsNotAgent() public {
        _verify(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, AGENT_ROLE
            )
        );
        vm.prank(stranger);
        registry.unverifyBatch(_one(alice));
        vm.assertTrue(registry.isVerified(alice), "alice still verified");
    }

    function testFuzz_verifyBatch_thenUnverifyBatchRoundTrips(address a, address b, address c) public {
        vm.assume(a != address(0) && b != address(0) && c != address(0));
        vm.assume(a != b && b != c && a != c);
        address[] memory accounts = _three(a, b, c);

        vm.prank(agent);
        registry.verifyBatch(accounts);
        for (uint256 i; i < accounts.length; ++i) {
            vm.assertTrue(registry.isVerified(accounts[i]), "verified");
        }
        vm.prank(agent);
        registry.unverifyBatch(accounts);
        for (uint256 i; i < accounts.length; ++i) {
            vm.assertFalse(registry.isVerified(accounts[i]), "removed");
        }
    }

    // ------------------------------------------------------------------ helpers

    function _one(address a) private pure returns (address[] memory accounts) {
        accounts = new address[](1);
        accounts[0] = a;
    }

    function _three(address a, address b, address c) private pure returns (address[] memory accounts) {
        accounts = new address[](3);
        accounts[0] = a;
        accounts[1] = b;
        accounts[2] = c;
    }
}
