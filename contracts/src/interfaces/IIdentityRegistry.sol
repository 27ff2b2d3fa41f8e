// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IIdentityRegistry
/// @notice The list of holders an identity agent has verified (KYC done off-chain). Property tokens only
/// move between verified holders, so the lending pool and every liquidation receiver must be listed here.
interface IIdentityRegistry {
    /// @notice Emitted when `agent` verifies `account`.
    event IdentityVerified(address indexed account, address indexed agent);
    /// @notice Emitted when `agent` removes `account`'s verification.
    event IdentityRemoved(address indexed account, address indexed agent);

    /// @notice The zero address cannot be verified.
    error ZeroAddress();
    /// @notice `account` is verified already; verifying twice is a caller bug worth surfacing.
    error AlreadyVerified(address account);
    /// @notice `account` is not verified, so it cannot be removed.
    error NotVerified(address account);

    /// @notice The role allowed to verify and remove holders.
    function AGENT_ROLE() external view returns (bytes32);

    /// @notice Whether `account` may hold property tokens.
    function isVerified(address account) external view returns (bool);

    /// @notice Verifies one holder. Reverts with `AlreadyVerified` if it already is.
    function verify(address account) external;

    /// @notice Removes one holder's verification. Reverts with `NotVerified` if it was not verified.
    function unverify(address account) external;

    /// @notice Verifies many holders in one transaction; reverts as a whole if any single one would.
    function verifyBatch(address[] calldata accounts) external;

    /// @notice Removes many holders in one transaction; reverts as a whole if any single one would.
    function unverifyBatch(address[] calldata accounts) external;
}
