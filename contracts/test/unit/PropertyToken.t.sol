// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {PropertyToken} from "../../src/PropertyToken.sol";
import {IPropertyToken} from "../../src/interfaces/IPropertyToken.sol";
import {IIdentityRegistry} from "../../src/interfaces/IIdentityRegistry.sol";
import {vm} from "../../std/Vm.sol";
import {ComplianceFixture} from "../utils/ComplianceFixture.sol";

/// @dev Events of IPropertyToken and IERC20, redeclared so tests can `emit` the expected ones.
abstract contract PropertyTokenEvents {
    event PropertyRegistered(
        string propertyId, string name, string regionCode, address identityRegistry, address rentToken
    );
    event AddressFrozen(address indexed account, bool frozen, address indexed agent);
    event PauseChanged(bool paused, address indexed agent);
    event RentDeposited(address indexed issuer, uint256 amount, uint256 rentPerToken);
    event RentClaimed(address indexed holder, uint256 amount);
    event Transfer(address indexed from, address indexed to, uint256 value);
}

/// @dev alice, bob and carol are verified; dave is not.
abstract contract PropertyTokenBase is ComplianceFixture, PropertyTokenEvents {
    function setUp() public virtual override {
        super.setUp();
        _verify(alice);
        _verify(bob);
        _verify(carol);
    }

    function _expectUnauthorized(address account, bytes32 role) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role)
        );
    }
}

/// @notice Metadata, roles, mint/burn, transfers and the compliance rules (ERC-3643 style).
contract PropertyTokenComplianceTest is PropertyTokenBase {
    // ------------------------------------------------------------------ metadata

    function test_constructor_setsMetadata() public view {
        vm.assertEq(property.propertyId(), PROPERTY_ID);
        vm.assertEq(property.name(), PROPERTY_NAME);
        vm.assertEq(property.symbol(), PROPERTY_SYMBOL);
        vm.assertEq(property.regionCode(), REGION_CODE);
        vm.assertEq(uint256(property.decimals()), 18, "decimals");
        vm.assertEq(address(property.identityRegistry()), address(registry), "identityRegistry");
        vm.assertEq(address(property.rentToken()), address(usd), "rentToken");
        vm.assertEq(property.totalSupply(), 0, "totalSupply");
        vm.assertFalse(property.paused(), "paused");
        vm.assertEq(property.rentPerToken(), 0, "rentPerToken");
    }

    function test_constructor_setsConstants() public view {
        vm.assertEq(property.RENT_SCALE(), 1e36, "RENT_SCALE");
        vm.assertEq(property.ISSUER_ROLE(), keccak256("ISSUER_ROLE"), "ISSUER_ROLE");
        vm.assertEq(property.AGENT_ROLE(), keccak256("AGENT_ROLE"), "AGENT_ROLE");
    }

    function test_constructor_grantsEveryRoleToAdmin() public view {
        vm.assertTrue(property.hasRole(DEFAULT_ADMIN_ROLE, admin), "admin");
        vm.assertTrue(property.hasRole(ISSUER_ROLE, admin), "issuer");
        vm.assertTrue(property.hasRole(AGENT_ROLE, admin), "agent");
    }

    function test_constructor_revertsWhenAnAddressIsZero() public {
        IERC20 rent = IERC20(address(usd));
        vm.expectRevert(IPropertyToken.ZeroAddress.selector);
        new PropertyToken("P-2", "Second", "SP2", "US-OH", registry, rent, address(0));
        vm.expectRevert(IPropertyToken.ZeroAddress.selector);
        new PropertyToken("P-2", "Second", "SP2", "US-OH", IIdentityRegistry(address(0)), rent, admin);
        vm.expectRevert(IPropertyToken.ZeroAddress.selector);
        new PropertyToken("P-2", "Second", "SP2", "US-OH", registry, IERC20(address(0)), admin);
    }

    function test_constructor_emitsPropertyRegistered() public {
        vm.expectEmit(true, true, true, true);
        emit PropertyRegistered("P-2", "Second Property", "US-OH", address(registry), address(usd));
        new PropertyToken("P-2", "Second Property", "SP2", "US-OH", registry, IERC20(address(usd)), admin);
    }

    function test_supportsInterface_reportsPropertyTokenAccessControlAndErc165() public view {
        vm.assertTrue(property.supportsInterface(type(IPropertyToken).interfaceId), "IPropertyToken");
        vm.assertTrue(property.supportsInterface(type(IAccessControl).interfaceId), "IAccessControl");
        vm.assertTrue(property.supportsInterface(type(IERC165).interfaceId), "IERC165");
        vm.assertFalse(property.supportsInterface(0xffffffff), "0xffffffff");
    }

    // ------------------------------------------------------------------ mint

    function test_mint_creditsVerifiedHolder() public {
        vm.expectEmit(true, true, true, true, address(property));
        emit Transfer(address(0), alice, 5e18);
        _mint(alice, 5e18);
        vm.assertEq(property.balanceOf(alice), 5e18, "balance");
        vm.assertEq(property.totalSupply(), 5e18, "supply");
    }

    function test_mint_worksWhilePaused() public {
        _pause();
        _mint(alice, 5e18);
        vm.assertEq(property.balanceOf(alice), 5e18, "balance");
    }

    function test_mint_revertsWhenReceiverNotVerified() public {
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, dave));
        vm.prank(issuer);
        property.mint(dave, 1e18);
    }

    function test_mint_revertsWhenReceiverVerificationRemoved() public {
        _unverify(alice);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, alice));
        vm.prank(issuer);
        property.mint(alice, 1e18);
    }

    function test_mint_revertsWhenReceiverFrozen() public {
        _freeze(alice);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.AccountFrozen.selector, alice));
        vm.prank(issuer);
        property.mint(alice, 1e18);
    }

    function test_mint_revertsWhenReceiverIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        vm.prank(issuer);
        property.mint(address(0), 1e18);
    }

    function test_mint_revertsWhenAmountIsZero() public {
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.ZeroAmount.selector));
        vm.prank(issuer);
        property.mint(alice, 0);
    }

    function test_mint_revertsWhenCallerIsNotIssuer() public {
        _expectUnauthorized(agent, ISSUER_ROLE);
        vm.prank(agent);
        property.mint(alice, 1e18);

        _expectUnauthorized(alice, ISSUER_ROLE);
        vm.prank(alice);
        property.mint(alice, 1e18);
    }

    function test_mint_revertsWhenIssuerRoleRevoked() public {
        vm.prank(admin);
        property.revokeRole(ISSUER_ROLE, issuer);
        _expectUnauthorized(issuer, ISSUER_ROLE);
        vm.prank(issuer);
        property.mint(alice, 1e18);
    }

    // ------------------------------------------------------------------ burn

    function test_burn_removesFromHolder() public {
        _mint(alice, 5e18);
        vm.expectEmit(true, true, true, true, address(property));
        emit Transfer(alice, address(0), 2e18);
        vm.prank(issuer);
        property.burn(alice, 2e18);
        vm.assertEq(property.balanceOf(alice), 3e18, "balance");
        vm.assertEq(property.totalSupply(), 3e18, "supply");
    }

    function test_burn_needsNoAllowanceFromHolder() public {
        _mint(alice, 5e18);
        vm.assertEq(property.allowance(alice, issuer), 0, "no allowance");
        vm.prank(issuer);
        property.burn(alice, 5e18);
        vm.assertEq(property.balanceOf(alice), 0, "burnt");
    }

    function test_burn_worksOnFrozenHolder() public {
        _mint(alice, 5e18);
        _freeze(alice);
        vm.prank(issuer);
        property.burn(alice, 5e18);
        vm.assertEq(property.balanceOf(alice), 0, "burnt");
    }

    function test_burn_worksWhilePaused() public {
        _mint(alice, 5e18);
        _pause();
        vm.prank(issuer);
        property.burn(alice, 5e18);
        vm.assertEq(property.balanceOf(alice), 0, "burnt");
    }

    function test_burn_worksOnHolderNoLongerVerified() public {
        _mint(alice, 5e18);
        _unverify(alice);
        vm.prank(issuer);
        property.burn(alice, 5e18);
        vm.assertEq(property.balanceOf(alice), 0, "burnt");
    }

    function test_burn_worksOnFrozenUnverifiedHolderWhilePaused() public {
        _mint(alice, 5e18);
        _freeze(alice);
        _unverify(alice);
        _pause();
        vm.prank(issuer);
        property.burn(alice, 5e18);
        vm.assertEq(property.balanceOf(alice), 0, "burnt");
    }

    function test_burn_revertsWhenAmountExceedsBalance() public {
        _mint(alice, 5e18);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 5e18, 5e18 + 1)
        );
        vm.prank(issuer);
        property.burn(alice, 5e18 + 1);
    }

    function test_burn_revertsWhenAmountIsZero() public {
        _mint(alice, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.ZeroAmount.selector));
        vm.prank(issuer);
        property.burn(alice, 0);
    }

    function test_burn_revertsWhenCallerIsNotIssuer() public {
        _mint(alice, 5e18);
        _expectUnauthorized(agent, ISSUER_ROLE);
        vm.prank(agent);
        property.burn(alice, 1e18);

        // Not even the holder burns its own tokens: redemption is the issuer's.
        _expectUnauthorized(alice, ISSUER_ROLE);
        vm.prank(alice);
        property.burn(alice, 1e18);
    }

    // ------------------------------------------------------------------ transfer

    function test_transfer_movesBetweenVerifiedHolders() public {
        _mint(alice, 5e18);
        vm.expectEmit(true, true, true, true, address(property));
        emit Transfer(alice, bob, 2e18);
        _transfer(alice, bob, 2e18);
        vm.assertEq(property.balanceOf(alice), 3e18, "alice");
        vm.assertEq(property.balanceOf(bob), 2e18, "bob");
        vm.assertEq(property.totalSupply(), 5e18, "supply");
    }

    function test_transfer_revertsWhenSenderNotVerified() public {
        _mint(alice, 5e18);
        _unverify(alice);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, alice));
        _attemptTransfer(alice, bob, 1e18);
    }

    function test_transfer_revertsWhenReceiverNotVerified() public {
        _mint(alice, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, dave));
        _attemptTransfer(alice, dave, 1e18);
    }

    function test_transfer_revertsWhenSenderFrozen() public {
        _mint(alice, 5e18);
        _freeze(alice);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.AccountFrozen.selector, alice));
        _attemptTransfer(alice, bob, 1e18);
    }

    function test_transfer_revertsWhenReceiverFrozen() public {
        _mint(alice, 5e18);
        _freeze(bob);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.AccountFrozen.selector, bob));
        _attemptTransfer(alice, bob, 1e18);
    }

    function test_transfer_revertsWhenPaused() public {
        _mint(alice, 5e18);
        _pause();
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.TokenPaused.selector));
        _attemptTransfer(alice, bob, 1e18);
    }

    function test_transfer_revertsWhenZeroAmountToUnverified() public {
        // Compliance does not depend on the amount.
        _mint(alice, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, dave));
        _attemptTransfer(alice, dave, 0);
    }

    function test_transfer_revertsWhenAmountExceedsBalance() public {
        _mint(alice, 5e18);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 5e18, 6e18)
        );
        _attemptTransfer(alice, bob, 6e18);
    }

    function test_transfer_worksAgainAfterUnpause() public {
        _mint(alice, 5e18);
        _pause();
        vm.prank(agent);
        property.unpause();
        _transfer(alice, bob, 1e18);
        vm.assertEq(property.balanceOf(bob), 1e18, "bob");
    }

    function test_transfer_worksAgainAfterUnfreeze() public {
        _mint(alice, 5e18);
        _freeze(alice);
        vm.prank(agent);
        property.setFrozen(alice, false);
        _transfer(alice, bob, 1e18);
        vm.assertEq(property.balanceOf(bob), 1e18, "bob");
    }

    function test_transfer_worksAgainAfterReverification() public {
        _mint(alice, 5e18);
        _unverify(bob);
        _verify(bob);
        _transfer(alice, bob, 1e18);
        vm.assertEq(property.balanceOf(bob), 1e18, "bob");
    }

    /// @dev Every combination of the five conditions: the transfer succeeds exactly when both sides are
    /// verified and unfrozen and the token is not paused; otherwise the error names a condition that holds.
    function testFuzz_transfer_succeedsOnlyWhenBothSidesCompliantAndUnpaused(
        bool senderVerified,
        bool senderFrozen,
        bool receiverVerified,
        bool receiverFrozen,
        bool paused,
        uint256 amount
    ) public {
        amount = bound(amount, 0, 5e18);
        _mint(alice, 5e18);
        if (!senderVerified) _unverify(alice);
        if (senderFrozen) _freeze(alice);
        if (!receiverVerified) _unverify(bob);
        if (receiverFrozen) _freeze(bob);
        if (paused) _pause();

        vm.prank(alice);
        (bool ok, bytes memory revertData) =
            address(property).call(abi.encodeCall(IERC20.transfer, (bob, amount)));

        bool compliant = senderVerified && !senderFrozen && receiverVerified && !receiverFrozen && !paused;
        vm.assertEq(ok, compliant, "succeeds iff compliant");
        if (ok) {
            vm.assertEq(property.balanceOf(bob), amount, "bob received");
        } else {
            bytes32 got = keccak256(revertData);
            bool explained =
                (paused && got == keccak256(abi.encodeWithSelector(IPropertyToken.TokenPaused.selector)))
                    || (!senderVerified
                        && got
                            == keccak256(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, alice)))
                    || (senderFrozen
                        && got
                            == keccak256(
                                abi.encodeWithSelector(IPropertyToken.AccountFrozen.selector, alice)
                            ))
                    || (!receiverVerified
                        && got == keccak256(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, bob)))
                    || (receiverFrozen
                        && got
                            == keccak256(abi.encodeWithSelector(IPropertyToken.AccountFrozen.selector, bob)));
            vm.assertTrue(explained, "revert names a failing condition");
            vm.assertEq(property.balanceOf(alice), 5e18, "alice unchanged");
        }
    }

    // ------------------------------------------------------------------ transferFrom

    function test_transferFrom_movesWithAllowance() public {
        _mint(alice, 5e18);
        vm.prank(alice);
        property.approve(carol, 3e18);

        vm.prank(carol);
        vm.assertTrue(property.transferFrom(alice, bob, 2e18), "returned true");
        vm.assertEq(property.balanceOf(alice), 3e18, "alice");
        vm.assertEq(property.balanceOf(bob), 2e18, "bob");
        vm.assertEq(property.allowance(alice, carol), 1e18, "allowance spent");
    }

    function test_transferFrom_spenderNeedNotBeVerified() public {
        // Only the two holders are checked: an unverified operator (dave) may move tokens between them.
        _mint(alice, 5e18);
        vm.prank(alice);
        property.approve(dave, 5e18);
        vm.prank(dave);
        vm.assertTrue(property.transferFrom(alice, bob, 2e18), "returned true");
        vm.assertEq(property.balanceOf(bob), 2e18, "bob");
    }

    function test_transferFrom_revertsWhenSenderNotVerified() public {
        _mint(alice, 5e18);
        _approve(alice, carol);
        _unverify(alice);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, alice));
        _attemptTransferFrom(carol, alice, bob, 1e18);
    }

    function test_transferFrom_revertsWhenReceiverNotVerified() public {
        _mint(alice, 5e18);
        _approve(alice, carol);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NotVerified.selector, dave));
        _attemptTransferFrom(carol, alice, dave, 1e18);
    }

    function test_transferFrom_revertsWhenSenderFrozen() public {
        _mint(alice, 5e18);
        _approve(alice, carol);
        _freeze(alice);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.AccountFrozen.selector, alice));
        _attemptTransferFrom(carol, alice, bob, 1e18);
    }

    function test_transferFrom_revertsWhenReceiverFrozen() public {
        _mint(alice, 5e18);
        _approve(alice, carol);
        _freeze(bob);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.AccountFrozen.selector, bob));
        _attemptTransferFrom(carol, alice, bob, 1e18);
    }

    function test_transferFrom_revertsWhenPaused() public {
        _mint(alice, 5e18);
        _approve(alice, carol);
        _pause();
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.TokenPaused.selector));
        _attemptTransferFrom(carol, alice, bob, 1e18);
        vm.assertEq(property.allowance(alice, carol), type(uint256).max, "allowance untouched");
    }

    function test_transferFrom_revertsWhenAllowanceInsufficient() public {
        _mint(alice, 5e18);
        vm.prank(alice);
        property.approve(carol, 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, carol, 1e18, 1e18 + 1)
        );
        _attemptTransferFrom(carol, alice, bob, 1e18 + 1);
    }

    function test_transferFrom_worksAgainAfterUnpause() public {
        _mint(alice, 5e18);
        _approve(alice, carol);
        _pause();
        vm.prank(agent);
        property.unpause();
        vm.prank(carol);
        vm.assertTrue(property.transferFrom(alice, bob, 1e18), "returned true");
        vm.assertEq(property.balanceOf(bob), 1e18, "bob");
    }

    // ------------------------------------------------------------------ setFrozen

    function test_setFrozen_freezesAndEmits() public {
        vm.expectEmit(true, true, true, true, address(property));
        emit AddressFrozen(alice, true, agent);
        vm.prank(agent);
        property.setFrozen(alice, true);
        vm.assertTrue(property.isFrozen(alice), "frozen");
        vm.assertFalse(property.isFrozen(bob), "bob untouched");
    }

    function test_setFrozen_unfreezesAndEmits() public {
        _freeze(alice);
        vm.expectEmit(true, true, true, true, address(property));
        emit AddressFrozen(alice, false, agent);
        vm.prank(agent);
        property.setFrozen(alice, false);
        vm.assertFalse(property.isFrozen(alice), "unfrozen");
    }

    function test_setFrozen_canFreezeUnverifiedAddress() public {
        // Freezing is independent of the registry: an agent may pre-emptively freeze an address.
        vm.prank(agent);
        property.setFrozen(dave, true);
        vm.assertTrue(property.isFrozen(dave), "frozen");
    }

    function test_setFrozen_revertsWhenCallerIsNotAgent() public {
        _expectUnauthorized(issuer, AGENT_ROLE);
        vm.prank(issuer);
        property.setFrozen(alice, true);

        _expectUnauthorized(alice, AGENT_ROLE);
        vm.prank(alice);
        property.setFrozen(alice, false);
    }

    // ------------------------------------------------------------------ pause / unpause

    function test_pause_pausesAndEmits() public {
        vm.expectEmit(true, true, true, true, address(property));
        emit PauseChanged(true, agent);
        vm.prank(agent);
        property.pause();
        vm.assertTrue(property.paused(), "paused");
    }

    function test_unpause_unpausesAndEmits() public {
        _pause();
        vm.expectEmit(true, true, true, true, address(property));
        emit PauseChanged(false, agent);
        vm.prank(agent);
        property.unpause();
        vm.assertFalse(property.paused(), "unpaused");
    }

    function test_pause_revertsWhenCallerIsNotAgent() public {
        _expectUnauthorized(issuer, AGENT_ROLE);
        vm.prank(issuer);
        property.pause();
    }

    function test_unpause_revertsWhenCallerIsNotAgent() public {
        _pause();
        _expectUnauthorized(stranger, AGENT_ROLE);
        vm.prank(stranger);
        property.unpause();
        vm.assertTrue(property.paused(), "still paused");
    }

    // ------------------------------------------------------------------ canReceive

    function test_canReceive_trueForVerifiedUnfrozenHolder() public view {
        vm.assertTrue(property.canReceive(alice), "alice");
    }

    function test_canReceive_falseForUnverifiedAccount() public {
        vm.assertFalse(property.canReceive(dave), "dave");
        _unverify(alice);
        vm.assertFalse(property.canReceive(alice), "alice after removal");
    }

    function test_canReceive_falseForFrozenAccount() public {
        _freeze(alice);
        vm.assertFalse(property.canReceive(alice), "alice");
        vm.assertTrue(property.canReceive(bob), "bob unaffected");
    }

    function test_canReceive_falseWhilePaused() public {
        _pause();
        vm.assertFalse(property.canReceive(alice), "alice");
    }

    function test_canReceive_trueAgainAfterUnpauseAndUnfreeze() public {
        _pause();
        _freeze(alice);
        vm.startPrank(agent);
        property.unpause();
        property.setFrozen(alice, false);
        vm.stopPrank();
        vm.assertTrue(property.canReceive(alice), "alice");
    }

    function testFuzz_canReceive_agreesWithTransferOutcome(bool verified, bool frozen, bool paused) public {
        _mint(alice, 5e18);
        if (!verified) _unverify(bob);
        if (frozen) _freeze(bob);
        if (paused) _pause();

        bool expected = property.canReceive(bob);
        vm.assertEq(expected, verified && !frozen && !paused, "canReceive");
        vm.prank(alice);
        (bool ok,) = address(property).call(abi.encodeCall(IERC20.transfer, (bob, 1e18)));
        vm.assertEq(ok, expected, "transfer from a compliant sender succeeds iff canReceive");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev For calls expected to revert (after `vm.expectRevert`): there is no return value to check.
    function _attemptTransfer(address from, address to, uint256 amount) private {
        vm.prank(from);
        // forge-lint: disable-next-line(erc20-unchecked-transfer)
        property.transfer(to, amount);
    }

    /// @dev As `_attemptTransfer`, through `spender`'s allowance.
    function _attemptTransferFrom(address spender, address from, address to, uint256 amount) private {
        vm.prank(spender);
        // forge-lint: disable-next-line(erc20-unchecked-transfer)
        property.transferFrom(from, to, amount);
    }

    function _approve(address holder, address spender) private {
        vm.prank(holder);
        property.approve(spender, type(uint256).max);
    }
}

/// @notice Rent: deposits, pro-rata accounting exact to the base unit, claims.
contract PropertyTokenRentTest is PropertyTokenBase {
    // ------------------------------------------------------------------ depositRent

    function test_depositRent_pullsStablecoinAndRaisesAccumulator() public {
        _mint(alice, 3e18);
        _mint(bob, 1e18);
        _depositRent(1000e6);

        // 1000e6 * 1e36 / 4e18, exact.
        vm.assertEq(property.rentPerToken(), 250e24, "rentPerToken");
        vm.assertEq(usd.balanceOf(address(property)), 1000e6, "held by token");
        vm.assertEq(usd.balanceOf(issuer), 0, "pulled from issuer");
    }

    function test_depositRent_creditsHoldersProRata() public {
        _mint(alice, 3e18);
        _mint(bob, 1e18);
        _depositRent(1000e6);
        vm.assertEq(property.claimableRent(alice), 750e6, "alice");
        vm.assertEq(property.claimableRent(bob), 250e6, "bob");
        vm.assertEq(property.claimableRent(carol), 0, "carol holds nothing");
    }

    function test_depositRent_emitsRentDeposited() public {
        _mint(alice, 4e18);
        usd.mint(issuer, 2000e6);
        vm.prank(issuer);
        usd.approve(address(property), 2000e6);

        vm.expectEmit(true, true, true, true, address(property));
        emit RentDeposited(issuer, 1000e6, 250e24);
        vm.prank(issuer);
        property.depositRent(1000e6);

        // The event carries the accumulator after the deposit, not the increment.
        vm.expectEmit(true, true, true, true, address(property));
        emit RentDeposited(issuer, 1000e6, 500e24);
        vm.prank(issuer);
        property.depositRent(1000e6);
    }

    function test_depositRent_roundsAccumulatorDown() public {
        _mint(alice, 3); // 3 base units of supply
        _depositRent(10);
        // 10 * 1e36 / 3 = 3.33…e36, rounded down.
        vm.assertEq(
            property.rentPerToken(), 3_333_333_333_333_333_333_333_333_333_333_333_333, "rentPerToken"
        );
        // 3 * 3333…3 / 1e36 = 9.99…, rounded down: one base unit of dust stays in the contract.
        vm.assertEq(property.claimableRent(alice), 9, "alice");
    }

    function test_depositRent_worksWhilePausedAndHoldersFrozen() public {
        _mint(alice, 1e18);
        _pause();
        _freeze(alice);
        _depositRent(100e6);
        vm.assertEq(property.claimableRent(alice), 100e6, "alice");
    }

    function test_depositRent_revertsWhenNoHolders() public {
        usd.mint(issuer, 100e6);
        vm.prank(issuer);
        usd.approve(address(property), 100e6);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NoHolders.selector));
        vm.prank(issuer);
        property.depositRent(100e6);
    }

    function test_depositRent_revertsWhenEveryTokenBurnt() public {
        _mint(alice, 1e18);
        vm.prank(issuer);
        property.burn(alice, 1e18);
        usd.mint(issuer, 100e6);
        vm.prank(issuer);
        usd.approve(address(property), 100e6);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.NoHolders.selector));
        vm.prank(issuer);
        property.depositRent(100e6);
    }

    function test_depositRent_revertsWhenAmountIsZero() public {
        _mint(alice, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IPropertyToken.ZeroAmount.selector));
        vm.prank(issuer);
        property.depositRent(0);
    }

    function test_depositRent_revertsWhenCallerIsNotIssuer() public {
        _mint(alice, 1e18);
        usd.mint(agent, 100e6);
        vm.prank(agent);
        usd.approve(address(property), 100e6);
        _expectUnauthorized(agent, ISSUER_ROLE);
        vm.prank(agent);
        property.depositRent(100e6);
    }

    function test_depositRent_revertsWhenStablecoinNotApproved() public {
        _mint(alice, 1e18);
        usd.mint(issuer, 100e6);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(property), 0, 100e6
            )
        );
        vm.prank(issuer);
        property.depositRent(100e6);
    }

    // ------------------------------------------------------------------ claimableRent across balance changes

    function test_claimableRent_followsBalanceAtEachDeposit() public {
        _mint(alice, 60e18);
        _mint(bob, 40e18);
        _depositRent(1000e6); // alice 600e6, bob 400e6
        _transfer(alice, bob, 20e18); // now 40 / 60
        _depositRent(500e6); // alice 200e6, bob 300e6
        vm.assertEq(property.claimableRent(alice), 800e6, "alice");
        vm.assertEq(property.claimableRent(bob), 700e6, "bob");
    }

    function test_claimableRent_followsTransferFromLikeTransfer() public {
        _mint(alice, 60e18);
        _mint(bob, 40e18);
        _depositRent(1000e6);
        vm.prank(alice);
        property.approve(carol, 20e18);
        vm.prank(carol);
        vm.assertTrue(property.transferFrom(alice, bob, 20e18), "returned true");
        _depositRent(500e6);
        vm.assertEq(property.claimableRent(alice), 800e6, "alice");
        vm.assertEq(property.claimableRent(bob), 700e6, "bob");
        vm.assertEq(property.claimableRent(carol), 0, "operator earns nothing");
    }

    function test_claimableRent_exactToBaseUnitAcrossTransfers() public {
        // Thirds do not divide evenly, so every rounding shows up in the last digit.
        _mint(alice, 1e18);
        _mint(bob, 2e18);
        _depositRent(100e6); // rentPerToken = floor(100e6 * 1e36 / 3e18) = 33_333_333_333_333_333_333_333_333
        vm.assertEq(property.rentPerToken(), 33_333_333_333_333_333_333_333_333, "rentPerToken 1");
        vm.assertEq(property.claimableRent(alice), 33_333_333, "alice after 1"); // 33.33…e6 rounded down
        vm.assertEq(property.claimableRent(bob), 66_666_666, "bob after 1"); // 66.66…e6 rounded down

        _transfer(bob, carol, 1e18); // settles bob at 66_666_666; carol starts from the current accumulator
        _depositRent(50e6); // + floor(50e6 * 1e36 / 3e18) = 16_666_666_666_666_666_666_666_666
        vm.assertEq(property.rentPerToken(), 49_999_999_999_999_999_999_999_999, "rentPerToken 2");

        // alice never settled: floor(1e18 * 49_999_999_999_999_999_999_999_999 / 1e36) = 49_999_999
        vm.assertEq(property.claimableRent(alice), 49_999_999, "alice");
        // bob: 66_666_666 settled + floor(1e18 * 16_666_666_666_666_666_666_666_666 / 1e36) = 16_666_666
        vm.assertEq(property.claimableRent(bob), 83_333_332, "bob");
        vm.assertEq(property.claimableRent(carol), 16_666_666, "carol");

        // Everyone claims; exactly the 3 base units of rounding dust remain in the contract.
        vm.assertEq(_claim(alice), 49_999_999, "alice claimed");
        vm.assertEq(_claim(bob), 83_333_332, "bob claimed");
        vm.assertEq(_claim(carol), 16_666_666, "carol claimed");
        vm.assertEq(usd.balanceOf(address(property)), 3, "dust");
    }

    function test_claimableRent_roundsDownAtEverySettlement() public {
        // Pins the documented rounding: each settlement (any balance change of the holder, or a claim)
        // rounds the holder's pending rent down on its own, so dust grows with the number of settlements,
        // not just with the number of holders. Here 2 holders with 1 and 2 base units receive ten deposits
        // of 1 base unit, each worth less than one base unit to either holder; settling both after every
        // deposit loses all ten. (Settling once at the end would lose only 1: floor(10/3) + floor(20/3) = 9.)
        _mint(alice, 1);
        _mint(bob, 2);
        for (uint256 i; i < 10; ++i) {
            _depositRent(1);
            _transfer(alice, bob, 1);
            _transfer(bob, alice, 1);
        }
        vm.assertEq(property.claimableRent(alice) + property.claimableRent(bob), 0, "all rounded away");
        vm.assertEq(usd.balanceOf(address(property)), 10, "dust");
    }

    function test_claimableRent_roundsDownOnceWithoutSettlements() public {
        // The counterpart of the test above: without settlements the same deposits lose one base unit.
        _mint(alice, 1);
        _mint(bob, 2);
        for (uint256 i; i < 10; ++i) {
            _depositRent(1);
        }
        vm.assertEq(property.claimableRent(alice), 3, "alice");
        vm.assertEq(property.claimableRent(bob), 6, "bob");
    }

    function test_claimableRent_newHolderEarnsNothingFromEarlierDeposits() public {
        _mint(alice, 100e18);
        _depositRent(1000e6);
        _mint(bob, 100e18);
        vm.assertEq(property.claimableRent(alice), 1000e6, "alice keeps all of deposit 1");
        vm.assertEq(property.claimableRent(bob), 0, "bob earns nothing from deposit 1");

        _depositRent(1000e6);
        vm.assertEq(property.claimableRent(alice), 1500e6, "alice");
        vm.assertEq(property.claimableRent(bob), 500e6, "bob");
    }

    function test_claimableRent_receiverEarnsNothingFromEarlierDeposits() public {
        _mint(alice, 100e18);
        _depositRent(1000e6);
        _transfer(alice, bob, 100e18);
        vm.assertEq(property.claimableRent(alice), 1000e6, "alice keeps rent of tokens she sold");
        vm.assertEq(property.claimableRent(bob), 0, "bob");
    }

    function test_claimableRent_burntHolderKeepsEarnedRent() public {
        _mint(alice, 50e18);
        _mint(bob, 50e18);
        _depositRent(1000e6);
        vm.prank(issuer);
        property.burn(alice, 50e18);
        _depositRent(1000e6);
        vm.assertEq(property.claimableRent(alice), 500e6, "alice keeps deposit-1 rent");
        vm.assertEq(property.claimableRent(bob), 1500e6, "bob gets all of deposit 2");
    }

    function test_claimableRent_accruesWhileFrozenAndPaused() public {
        _mint(alice, 1e18);
        _mint(bob, 1e18);
        _freeze(alice);
        _pause();
        _depositRent(100e6);
        vm.assertEq(property.claimableRent(alice), 50e6, "frozen holder accrues");
        vm.assertEq(property.claimableRent(bob), 50e6, "bob");
    }

    // ------------------------------------------------------------------ claimRent

    function test_claimRent_paysHolderAndEmits() public {
        _mint(alice, 3e18);
        _mint(bob, 1e18);
        _depositRent(1000e6);

        vm.expectEmit(true, true, true, true, address(property));
        emit RentClaimed(alice, 750e6);
        vm.assertEq(_claim(alice), 750e6, "returned");
        vm.assertEq(usd.balanceOf(alice), 750e6, "alice paid");
        vm.assertEq(usd.balanceOf(address(property)), 250e6, "bob's share stays");
        vm.assertEq(property.claimableRent(alice), 0, "nothing left for alice");
        vm.assertEq(property.claimableRent(bob), 250e6, "bob untouched");
    }

    function test_claimRent_paysRentSettledBeforeTransfer() public {
        _mint(alice, 1e18);
        _depositRent(100e6);
        _transfer(alice, bob, 1e18); // alice's rent is settled into her owed balance
        vm.assertEq(_claim(alice), 100e6, "alice");
        vm.assertEq(_claim(bob), 0, "bob");
    }

    function test_claimRent_secondClaimPaysOnlyNewRent() public {
        _mint(alice, 1e18);
        _depositRent(100e6);
        vm.assertEq(_claim(alice), 100e6, "first");
        vm.assertEq(_claim(alice), 0, "nothing new");
        _depositRent(40e6);
        vm.assertEq(_claim(alice), 40e6, "second");
        vm.assertEq(usd.balanceOf(alice), 140e6, "total paid");
    }

    function test_claimRent_returnsZeroWithoutEventOrTransfer() public {
        _mint(alice, 1e18);
        vm.recordLogs();
        vm.assertEq(_claim(bob), 0, "returned");
        vm.assertEq(vm.getRecordedLogs().length, 0, "no RentClaimed, no Transfer");
    }

    function test_claimRent_worksWhileFrozen() public {
        _mint(alice, 1e18);
        _depositRent(100e6);
        _freeze(alice);
        vm.assertEq(_claim(alice), 100e6, "claimed");
        vm.assertEq(usd.balanceOf(alice), 100e6, "paid");
    }

    function test_claimRent_worksWhilePaused() public {
        _mint(alice, 1e18);
        _depositRent(100e6);
        _pause();
        vm.assertEq(_claim(alice), 100e6, "claimed");
        vm.assertEq(usd.balanceOf(alice), 100e6, "paid");
    }

    function test_claimRent_worksAfterVerificationRemoved() public {
        _mint(alice, 1e18);
        _depositRent(100e6);
        _unverify(alice);
        vm.assertEq(_claim(alice), 100e6, "claimed");
    }

    function test_claimRent_worksAfterHolderBurntOut() public {
        _mint(alice, 1e18);
        _depositRent(100e6);
        vm.prank(issuer);
        property.burn(alice, 1e18);
        vm.assertEq(_claim(alice), 100e6, "claimed");
    }

    function test_claimRent_doesNotChangeTokenBalance() public {
        _mint(alice, 1e18);
        _depositRent(100e6);
        _claim(alice);
        vm.assertEq(property.balanceOf(alice), 1e18, "balance");
        _depositRent(100e6);
        vm.assertEq(property.claimableRent(alice), 100e6, "still earning");
    }

    /// @dev Checks the accounting the interface documents, for one deposit and three holders:
    /// owed = balance * floor(amount * RENT_SCALE / supply) / RENT_SCALE, each division rounded down.
    function testFuzz_claimableRent_matchesDocumentedFormula(uint256 a, uint256 b, uint256 c, uint256 amount)
        public
    {
        a = bound(a, 1, 1e30);
        b = bound(b, 0, 1e30);
        c = bound(c, 0, 1e30);
        amount = bound(amount, 1, 1e30);
        _mint(alice, a);
        if (b > 0) _mint(bob, b);
        if (c > 0) _mint(carol, c);
        _depositRent(amount);

        uint256 perToken = Math.mulDiv(amount, RENT_SCALE, a + b + c);
        vm.assertEq(property.rentPerToken(), perToken, "rentPerToken");
        vm.assertEq(property.claimableRent(alice), Math.mulDiv(a, perToken, RENT_SCALE), "alice");
        vm.assertEq(property.claimableRent(bob), Math.mulDiv(b, perToken, RENT_SCALE), "bob");
        vm.assertEq(property.claimableRent(carol), Math.mulDiv(c, perToken, RENT_SCALE), "carol");
    }
}

/// @notice Fuzzed sequences of mints, burns, transfers, deposits and claims, checked against bounds derived
/// from the exact (real-number) pro-rata shares.
///
/// Derivation. Write R = RENT_SCALE. Deposit k of d_k at supply S_k raises the accumulator by
///   a_k = floor(d_k * R / S_k) = (d_k * R - r_k) / S_k,   with remainder r_k = d_k * R mod S_k <= S_k - 1.
/// A settlement s of a holder (at each of its mints, burns, transfers in or out, claims, and the final
/// `claimableRent` read) credits floor(X_s / R) with X_s = b_s * (sum of a_k since its last settlement),
/// b_s its balance over that stretch; it drops f_s = X_s mod R <= R - 1, and f_s = 0 unless b_s > 0 and
/// a deposit happened since (call those settlements "lossy", N of them in all). Because the balances at
/// deposit k add up to S_k, sum_s X_s = sum_k a_k * S_k = sum_k (d_k * R - r_k), hence exactly
///   dust * R = sum_k r_k + sum_s f_s <= sum_k (S_k - 1) + N * (R - 1),
/// where dust = deposits - claimed - claimable. With sum_k S_k < R (true for any realistic supply) this
/// means dust <= N: at most one base unit per lossy settlement, plus less than one base unit for all
/// deposits together. N equals the number of holders only when nobody settles between deposits (see
/// `test_claimableRent_roundsDownAtEverySettlement` for dust above the holder count).
/// Per holder h, with ideal_h = sum_k b_{h,k} * d_k / S_k (exact real share) and N_h its lossy settlements:
///   ideal_h * R - sum_k b_{h,k} - N_h * (R - 1) <= (claimed_h + claimable_h) * R <= ideal_h * R.
contract PropertyTokenRentFuzzTest is PropertyTokenBase {
    uint256 private constant HOLDERS = 4;
    uint256 private constant STEPS = 32;

    address[HOLDERS] private _holders;

    uint256 private _deposited;
    uint256 private _claimed;
    uint256 private _lossySettlements;
    uint256 private _supplyRemainderBound; // sum_k (S_k - 1)
    bool[HOLDERS] private _dirty; // the holder has had a balance while rent arrived since its last settlement
    uint256[HOLDERS] private _lossyOf;
    uint256[HOLDERS] private _claimedOf;
    uint256[HOLDERS] private _idealUpScaled; // sum_k ceil(b * d * R / S)
    uint256[HOLDERS] private _idealDownScaled; // sum_k floor(b * d * R / S)
    uint256[HOLDERS] private _balanceAtDeposits; // sum_k b_{h,k}

    function setUp() public override {
        super.setUp();
        address erin = makeAddr("erin");
        _verify(erin);
        _holders = [alice, bob, carol, erin];
    }

    /// @dev Random operations on four holders; magnitudes span 1 to 1e30 base units so both dust-sized
    /// and large amounts appear.
    function testFuzz_rent_claimsNeverExceedDepositsAndDustIsBounded(
        uint256[HOLDERS] memory initial,
        uint256 seed
    ) public {
        for (uint256 h; h < HOLDERS; ++h) {
            uint256 amount = bound(initial[h], 0, 1e30);
            if (h == 0 && amount == 0) amount = 1; // start with a supply so deposits can happen
            if (amount > 0) _mintTo(h, amount);
        }

        for (uint256 i; i < STEPS; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 op = r % 6;
            uint256 h1 = (r >> 8) % HOLDERS;
            uint256 h2 = (r >> 16) % HOLDERS;
            uint256 magnitude = _magnitude(r >> 24);
            if (op <= 1) {
                if (property.totalSupply() > 0) _deposit(magnitude);
            } else if (op == 2) {
                uint256 balance = property.balanceOf(_holders[h1]);
                _transferBetween(h1, h2, balance == 0 ? 0 : magnitude % (balance + 1));
            } else if (op == 3) {
                _claimFor(h1);
            } else if (op == 4) {
                _mintTo(h1, magnitude);
            } else {
                uint256 balance = property.balanceOf(_holders[h1]);
                if (balance > 0) _burnFrom(h1, 1 + magnitude % balance);
            }
        }

        _checkBounds();
    }

    /// @dev Deposits with no transfers, mints or claims in between. Each holder then has at most
    /// one lossy settlement (the final read), so dust * R <= sum_k (S_k - 1) + holders * (R - 1), i.e.
    /// dust <= holders here since the supplies are far below R.
    function testFuzz_depositRent_dustAtMostHolderCountWithoutTransfers(
        uint256[HOLDERS] memory balances,
        uint256[4] memory deposits
    ) public {
        for (uint256 h; h < HOLDERS; ++h) {
            uint256 amount = bound(balances[h], h == 0 ? 1 : 0, 1e30);
            if (amount > 0) _mintTo(h, amount);
        }
        for (uint256 k; k < deposits.length; ++k) {
            _deposit(bound(deposits[k], 1, 1e30));
        }
        uint256 claimable;
        for (uint256 h; h < HOLDERS; ++h) {
            claimable += property.claimableRent(_holders[h]);
        }
        vm.assertLe(claimable, _deposited, "claimable <= deposited");
        vm.assertLe(_deposited - claimable, HOLDERS, "dust <= holders");
        _checkBounds();
    }

    // ------------------------------------------------------------------ model

    function _magnitude(uint256 r) private pure returns (uint256) {
        uint256 digits = r % 31; // 10^0 .. 10^30
        return 1 + (r >> 8) % (10 ** digits);
    }

    function _settle(uint256 h) private {
        if (_dirty[h]) {
            _dirty[h] = false;
            ++_lossySettlements;
            ++_lossyOf[h];
        }
    }

    function _deposit(uint256 amount) private {
        uint256 supply = property.totalSupply();
        for (uint256 h; h < HOLDERS; ++h) {
            uint256 balance = property.balanceOf(_holders[h]);
            if (balance == 0) continue;
            _dirty[h] = true;
            _idealUpScaled[h] += Math.mulDiv(balance * amount, RENT_SCALE, supply, Math.Rounding.Ceil);
            _idealDownScaled[h] += Math.mulDiv(balance * amount, RENT_SCALE, supply);
            _balanceAtDeposits[h] += balance;
        }
        _deposited += amount;
        _supplyRemainderBound += supply - 1;
        _depositRent(amount);
    }

    function _mintTo(uint256 h, uint256 amount) private {
        _settle(h);
        _mint(_holders[h], amount);
    }

    function _burnFrom(uint256 h, uint256 amount) private {
        _settle(h);
        vm.prank(issuer);
        property.burn(_holders[h], amount);
    }

    function _transferBetween(uint256 from, uint256 to, uint256 amount) private {
        _settle(from);
        _settle(to);
        _transfer(_holders[from], _holders[to], amount);
    }

    function _claimFor(uint256 h) private {
        _settle(h);
        uint256 before = usd.balanceOf(_holders[h]);
        uint256 amount = _claim(_holders[h]);
        vm.assertEq(usd.balanceOf(_holders[h]) - before, amount, "claim pays what it returns");
        _claimed += amount;
        _claimedOf[h] += amount;
    }

    function _checkBounds() private {
        uint256 claimable;
        for (uint256 h; h < HOLDERS; ++h) {
            _settle(h); // the final claimableRent read rounds down once more
            uint256 owed = property.claimableRent(_holders[h]);
            claimable += owed;
            uint256 earnedScaled = (_claimedOf[h] + owed) * RENT_SCALE;
            vm.assertLe(earnedScaled, _idealUpScaled[h], "holder never gets more than its exact share");
            vm.assertGe(
                earnedScaled + _balanceAtDeposits[h] + _lossyOf[h] * (RENT_SCALE - 1),
                _idealDownScaled[h],
                "holder loses at most its rounding"
            );
        }
        vm.assertLe(_claimed + claimable, _deposited, "claimed + claimable <= deposited");
        vm.assertEq(
            usd.balanceOf(address(property)), _deposited - _claimed, "stablecoin held = deposited - claimed"
        );

        uint256 dust = _deposited - _claimed - claimable;
        vm.assertLe(
            dust * RENT_SCALE,
            _supplyRemainderBound + _lossySettlements * (RENT_SCALE - 1),
            "dust * R <= sum(S_k - 1) + lossy settlements * (R - 1)"
        );
        // The supplies stay below 1e32 and there are at most 32 deposits, so sum(S_k - 1) < R.
        vm.assertLe(dust, _lossySettlements, "dust <= lossy settlements");
    }
}
