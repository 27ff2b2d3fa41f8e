// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IPropertyToken} from "./interfaces/IPropertyToken.sol";
import {IIdentityRegistry} from "./interfaces/IIdentityRegistry.sol";
import {MathLib} from "./libraries/MathLib.sol";

/// @title PropertyToken
/// @notice See {IPropertyToken}.
contract PropertyToken is IPropertyToken, ERC20, AccessControl {
    using SafeERC20 for IERC20;
    using MathLib for uint256;

    /// @inheritdoc IPropertyToken
    uint256 public constant RENT_SCALE = 1e36;
    /// @inheritdoc IPropertyToken
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @inheritdoc IPropertyToken
    bytes32 public constant AGENT_ROLE = keccak256("AGENT_ROLE");

    IIdentityRegistry public immutable identityRegistry;
    IERC20 public immutable rentToken;
    string public propertyId;
    string public regionCode;
    bool public paused;
    uint256 public rentPerToken;

    mapping(address => bool) private _frozen;
    mapping(address => uint256) private _rentPerTokenPaid;
    mapping(address => uint256) private _rentOwed;

    /// @param admin receives the admin, issuer and agent roles (hand them on with AccessControl).
    constructor(
        string memory propertyId_,
        string memory name_,
        string memory symbol_,
        string memory regionCode_,
        IIdentityRegistry registry_,
        IERC20 rentToken_,
        address admin
    ) ERC20(name_, symbol_) {
        if (admin == address(0) || address(registry_) == address(0) || address(rentToken_) == address(0)) {
            revert ZeroAddress();
        }
        propertyId = propertyId_;
        regionCode = regionCode_;
        identityRegistry = registry_;
        rentToken = rentToken_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ISSUER_ROLE, admin);
        _grantRole(AGENT_ROLE, admin);
        emit PropertyRegistered(propertyId_, name_, regionCode_, address(registry_), address(rentToken_));
    }

    // ------------------------------------------------------------------ compliance

    /// @inheritdoc IPropertyToken
    function isFrozen(address account) external view returns (bool) {
        return _frozen[account];
    }

    /// @inheritdoc IPropertyToken
    function canReceive(address account) external view returns (bool) {
        return !paused && !_frozen[account] && identityRegistry.isVerified(account);
    }

    /// @inheritdoc IPropertyToken
    function mint(address to, uint256 amount) external onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        _mint(to, amount);
    }

    /// @inheritdoc IPropertyToken
    function burn(address from, uint256 amount) external onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        _burn(from, amount);
    }

    /// @inheritdoc IPropertyToken
    function setFrozen(address account, bool frozen) external onlyRole(AGENT_ROLE) {
        _frozen[account] = frozen;
        emit AddressFrozen(account, frozen, msg.sender);
    }

    /// @inheritdoc IPropertyToken
    function pause() external onlyRole(AGENT_ROLE) {
        paused = true;
        emit PauseChanged(true, msg.sender);
    }

    /// @inheritdoc IPropertyToken
    function unpause() external onlyRole(AGENT_ROLE) {
        paused = false;
        emit PauseChanged(false, msg.sender);
    }

    /// @dev Every balance change settles rent first, then enforces the transfer rules:
    /// mint needs a verified, unfrozen receiver; burn is the issuer's forced redemption and always works;
    /// a transfer needs the token unpaused and both sides verified and unfrozen.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0)) _settleRent(from);
        if (to != address(0)) _settleRent(to);
        if (to != address(0)) {
            if (from != address(0) && paused) revert TokenPaused();
            if (from != address(0)) _requireCompliant(from);
            _requireCompliant(to);
        }
        super._update(from, to, value);
    }

    function _requireCompliant(address account) private view {
        if (!identityRegistry.isVerified(account)) revert NotVerified(account);
        if (_frozen[account]) revert AccountFrozen(account);
    }

    // ------------------------------------------------------------------ rent

    /// @inheritdoc IPropertyToken
    function depositRent(uint256 amount) external onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        uint256 supply = totalSupply();
        if (supply == 0) revert NoHolders();
        rentToken.safeTransferFrom(msg.sender, address(this), amount);
        // Rounded down: the remainder (below one base unit per token base unit) stays here as dust.
        rentPerToken += amount.mulDivDown(RENT_SCALE, supply);
        emit RentDeposited(msg.sender, amount, rentPerToken);
    }

    /// @inheritdoc IPropertyToken
    function claimableRent(address holder) public view returns (uint256) {
        return _rentOwed[holder] + _pendingRent(holder);
    }

    /// @inheritdoc IPropertyToken
    function claimRent() external returns (uint256 amount) {
        _settleRent(msg.sender);
        amount = _rentOwed[msg.sender];
        if (amount == 0) return 0;
        _rentOwed[msg.sender] = 0;
        rentToken.safeTransfer(msg.sender, amount);
        emit RentClaimed(msg.sender, amount);
    }

    function _settleRent(address holder) private {
        _rentOwed[holder] += _pendingRent(holder);
        _rentPerTokenPaid[holder] = rentPerToken;
    }

    /// @dev balance * (accumulator growth) / RENT_SCALE, rounded down so claims never exceed deposits.
    function _pendingRent(address holder) private view returns (uint256) {
        return balanceOf(holder).mulDivDown(rentPerToken - _rentPerTokenPaid[holder], RENT_SCALE);
    }

    // ------------------------------------------------------------------ ERC-165

    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IPropertyToken).interfaceId || super.supportsInterface(interfaceId);
    }
}
