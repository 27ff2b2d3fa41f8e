// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IIdentityRegistry} from "./interfaces/IIdentityRegistry.sol";

/// @title IdentityRegistry
/// @notice See {IIdentityRegistry}. The admin grants AGENT_ROLE; agents verify and remove holders.
contract IdentityRegistry is IIdentityRegistry, AccessControl {
    /// @inheritdoc IIdentityRegistry
    bytes32 public constant AGENT_ROLE = keccak256("AGENT_ROLE");

    mapping(address => bool) private _verified;

    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(AGENT_ROLE, admin);
    }

    /// @inheritdoc IIdentityRegistry
    function isVerified(address account) external view returns (bool) {
        return _verified[account];
    }

    /// @inheritdoc IIdentityRegistry
    function verify(address account) external onlyRole(AGENT_ROLE) {
        _verify(account);
    }

    /// @inheritdoc IIdentityRegistry
    function unverify(address account) external onlyRole(AGENT_ROLE) {
        _unverify(account);
    }

    /// @inheritdoc IIdentityRegistry
    function verifyBatch(address[] calldata accounts) external onlyRole(AGENT_ROLE) {
        for (uint256 i; i < accounts.length; ++i) {
            _verify(accounts[i]);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function unverifyBatch(address[] calldata accounts) external onlyRole(AGENT_ROLE) {
        for (uint256 i; i < accounts.length; ++i) {
            _unverify(accounts[i]);
        }
    }

    function _verify(address account) private {
        if (account == address(0)) revert ZeroAddress();
        if (_verified[account]) revert AlreadyVerified(account);
        _verified[account] = true;
        emit IdentityVerified(account, msg.sender);
    }

    function _unverify(address account) private {
        if (!_verified[account]) revert NotVerified(account);
        _verified[account] = false;
        emit IdentityRemoved(account, msg.sender);
    }
}
