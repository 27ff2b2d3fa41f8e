// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/// @title IPropertyToken
/// @notice A permissioned ERC-20 (18 decimals) representing fractional ownership of one property.
/// @dev Modelled on ERC-3643: tokens only move between holders verified in the identity registry, an
/// agent can freeze a holder or pause all transfers, and the issuer mints and burns. Holders earn rent
/// in a stablecoin (`rentToken`) pro rata to their balance through a per-token accumulator.
///
/// Rent accounting (exact to the base unit):
///   rentPerToken += amount * RENT_SCALE / totalSupply            (rounded down; the remainder is dust
///                                                                  that stays in this contract forever)
///   owed(holder) += balance * (rentPerToken - paid[holder]) / RENT_SCALE   (rounded down)
/// so the sum of what holders can claim never exceeds what was deposited.
interface IPropertyToken is IERC20 {
    /// @notice Emitted once, at deployment, with the property's metadata.
    event PropertyRegistered(
        string propertyId, string name, string regionCode, address identityRegistry, address rentToken
    );
    /// @notice Emitted when an agent freezes (`frozen = true`) or unfreezes an address.
    event AddressFrozen(address indexed account, bool frozen, address indexed agent);
    /// @notice Emitted when an agent pauses or unpauses all transfers.
    event PauseChanged(bool paused, address indexed agent);
    /// @notice Emitted when the issuer deposits rent; `rentPerToken` is the accumulator after the deposit.
    event RentDeposited(address indexed issuer, uint256 amount, uint256 rentPerToken);
    /// @notice Emitted when `holder` claims rent; the stablecoin goes to `holder` itself.
    event RentClaimed(address indexed holder, uint256 amount);

    /// @notice Transfers are paused by an agent.
    error TokenPaused();
    /// @notice `account` is not in the identity registry.
    error NotVerified(address account);
    /// @notice `account` is frozen by an agent.
    error AccountFrozen(address account);
    /// @notice Rent cannot be deposited while no tokens exist (nobody to pay it to).
    error NoHolders();
    /// @notice An amount of zero where a positive amount is required.
    error ZeroAmount();
    /// @notice The zero address where the admin, the registry or the rent token is required.
    error ZeroAddress();

    /// @notice Scale of `rentPerToken`: rent base units per token base unit, times 1e36.
    function RENT_SCALE() external view returns (uint256);
    /// @notice The role that mints, burns and deposits rent.
    function ISSUER_ROLE() external view returns (bytes32);
    /// @notice The role that freezes holders and pauses the token.
    function AGENT_ROLE() external view returns (bytes32);

    /// @notice The issuer's identifier of the property (e.g. a parcel number).
    function propertyId() external view returns (string memory);
    /// @notice ISO 3166-2 region of the property, e.g. "US-MI".
    function regionCode() external view returns (string memory);
    /// @notice The registry that decides who may hold this token.
    function identityRegistry() external view returns (IIdentityRegistry);
    /// @notice The stablecoin rent is paid in.
    function rentToken() external view returns (IERC20);

    /// @notice Whether an agent has frozen `account`.
    function isFrozen(address account) external view returns (bool);
    /// @notice Whether transfers are paused.
    function paused() external view returns (bool);
    /// @notice Whether `account` could receive tokens right now: verified, not frozen, token not paused.
    function canReceive(address account) external view returns (bool);

    /// @notice Mints to a verified, unfrozen holder. Issuer only.
    function mint(address to, uint256 amount) external;
    /// @notice Burns from any holder (a forced redemption). Issuer only.
    function burn(address from, uint256 amount) external;
    /// @notice Freezes or unfreezes `account`. Agent only.
    function setFrozen(address account, bool frozen) external;
    /// @notice Pauses all transfers (mint and burn still work). Agent only.
    function pause() external;
    /// @notice Resumes transfers. Agent only.
    function unpause() external;

    /// @notice Pulls `amount` of rent token from the issuer and credits every holder pro rata.
    function depositRent(uint256 amount) external;
    /// @notice Accumulated rent per token base unit, scaled by `RENT_SCALE`; only ever grows.
    function rentPerToken() external view returns (uint256);
    /// @notice Rent `holder` can claim now, in rent-token base units.
    function claimableRent(address holder) external view returns (uint256);
    /// @notice Sends the caller all its claimable rent. Works while frozen or paused: rent is owed regardless.
    function claimRent() external returns (uint256 amount);
}
