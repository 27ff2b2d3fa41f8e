// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAppraisalOracle} from "./interfaces/IAppraisalOracle.sol";

/// @title AppraisalOracle
/// @notice See {IAppraisalOracle}. DEFAULT_ADMIN_ROLE configures feeds, appraisers and the loud path.
contract AppraisalOracle is IAppraisalOracle, AccessControl {
    /// @inheritdoc IAppraisalOracle
    uint256 public constant PRICE_SCALE = 1e36;
    /// @inheritdoc IAppraisalOracle
    uint256 public constant LARGE_MOVE_DELAY = 2 days;
    /// @inheritdoc IAppraisalOracle
    uint256 public constant PROPOSAL_VALIDITY = 1 days;
    uint256 internal constant BPS = 10_000;

    /// @dev The appraisal window ordinary updates are bounded by (see {IAppraisalOracle}).
    struct Window {
        uint256 referencePrice;
        uint256 startedAt;
    }

    mapping(address => Feed) private _feeds;
    mapping(address => PendingAppraisal) private _pending;
    mapping(address => Window) private _windows;
    mapping(address => mapping(address => bool)) private _appraisers;
    /// @inheritdoc IAppraisalOracle
    mapping(address => uint256) public appraisalCount;

    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    modifier onlyAppraiser(address token) {
        if (!_appraisers[token][msg.sender]) revert NotAppraiser(token, msg.sender);
        _;
    }

    // ------------------------------------------------------------------ admin

    /// @inheritdoc IAppraisalOracle
    function configureFeed(address token, uint256 maxAge, uint256 maxMoveBps)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (token == address(0)) revert ZeroAddress();
        if (maxAge == 0 || maxMoveBps == 0 || maxMoveBps > BPS) revert InvalidFeedConfig(maxAge, maxMoveBps);
        Feed storage f = _feeds[token];
        f.maxAge = maxAge;
        f.maxMoveBps = maxMoveBps;
        emit FeedConfigured(token, maxAge, maxMoveBps);
    }

    /// @inheritdoc IAppraisalOracle
    function setAppraiser(address token, address appraiser, bool allowed)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (token == address(0) || appraiser == address(0)) revert ZeroAddress();
        _requireFeed(token);
        _appraisers[token][appraiser] = allowed;
        emit AppraiserSet(token, appraiser, allowed);
    }

    /// @inheritdoc IAppraisalOracle
    function cancelAppraisal(address token) external onlyRole(DEFAULT_ADMIN_ROLE) {
        PendingAppraisal memory p = _pending[token];
        if (p.executableAt == 0) revert NoPendingAppraisal(token);
        delete _pending[token];
        emit AppraisalCancelled(token, p.price, msg.sender);
    }

    /// @inheritdoc IAppraisalOracle
    function forceAppraisal(address token, uint256 price, string calldata reason)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _requireFeed(token);
        if (price == 0) revert ZeroPrice();
        if (bytes(reason).length == 0) revert EmptyReason();
        PendingAppraisal memory pending = _pending[token];
        if (pending.executableAt != 0) {
            delete _pending[token];
            emit AppraisalCancelled(token, pending.price, msg.sender);
        }
        emit AppraisalForced(token, price, msg.sender, reason);
        _setPrice(token, price);
        _openWindow(token, price);
    }

    // ------------------------------------------------------------------ appraisers

    /// @inheritdoc IAppraisalOracle
    function submitAppraisal(address token, uint256 price) external onlyAppraiser(token) {
        Feed storage f = _feeds[token];
        if (price == 0) revert ZeroPrice();
        if (f.price == 0) revert NoPrice(token);
        // The bound is measured from the window's reference price, not from the last price: otherwise small steps
        // chain into any move without the timelock.
        Window storage w = _windows[token];
        if (_windowOver(w)) _openWindow(token, f.price);
        if (!_withinBound(w.referencePrice, price, f.maxMoveBps)) {
            revert PriceMoveTooLarge(token, w.referencePrice, price, f.maxMoveBps);
        }
        _setPrice(token, price);
    }

    /// @inheritdoc IAppraisalOracle
    function proposeAppraisal(address token, uint256 price) external onlyAppraiser(token) {
        Feed storage f = _feeds[token];
        if (price == 0) revert ZeroPrice();
        if (f.price == 0) revert NoPrice(token);
        uint256 referencePrice = _currentReference(token, f.price);
        if (_withinBound(referencePrice, price, f.maxMoveBps)) {
            revert PriceMoveWithinBound(token, referencePrice, price);
        }
        // A live proposal is never replaced silently (an honest loss overwritten by another appraiser's
        // gain, with the delay restarted): the admin cancels it first, in the open.
        PendingAppraisal memory live = _pending[token];
        if (live.executableAt != 0 && block.timestamp <= live.executableAt + PROPOSAL_VALIDITY) {
            revert AppraisalAlreadyPending(token, live.price, live.executableAt);
        }
        uint256 executableAt = block.timestamp + LARGE_MOVE_DELAY;
        _pending[token] = PendingAppraisal({price: price, executableAt: executableAt, appraiser: msg.sender});
        emit AppraisalProposed(token, price, executableAt, msg.sender);
    }

    /// @inheritdoc IAppraisalOracle
    function executeAppraisal(address token) external {
        PendingAppraisal memory p = _pending[token];
        if (p.executableAt == 0) revert NoPendingAppraisal(token);
        if (block.timestamp < p.executableAt) revert AppraisalNotReady(token, p.executableAt);
        // A proposal describes the property when it was made; after its validity it may be long out of date.
        if (block.timestamp > p.executableAt + PROPOSAL_VALIDITY) {
            revert AppraisalExpired(token, p.executableAt + PROPOSAL_VALIDITY);
        }
        // A proposal is only as trustworthy as its author: one whose appraiser was removed meanwhile
        // (say, a leaked key) cannot be executed.
        if (!_appraisers[token][p.appraiser]) revert NotAppraiser(token, p.appraiser);
        delete _pending[token];
        _setPrice(token, p.price);
        _openWindow(token, p.price);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IAppraisalOracle
    function isAppraiser(address token, address appraiser) external view returns (bool) {
        return _appraisers[token][appraiser];
    }

    /// @inheritdoc IAppraisalOracle
    function feed(address token) external view returns (Feed memory) {
        return _feeds[token];
    }

    /// @inheritdoc IAppraisalOracle
    function pendingAppraisal(address token) external view returns (PendingAppraisal memory) {
        return _pending[token];
    }

    /// @inheritdoc IAppraisalOracle
    function appraisalWindow(address token)
        external
        view
        returns (uint256 referencePrice, uint256 startedAt)
    {
        Window storage w = _windows[token];
        return (w.referencePrice, w.startedAt);
    }

    /// @inheritdoc IAppraisalOracle
    function latestPrice(address token) external view returns (uint256 price, uint256 updatedAt) {
        Feed storage f = _requireFeed(token);
        if (f.price == 0) revert NoPrice(token);
        return (f.price, f.updatedAt);
    }

    /// @inheritdoc IAppraisalOracle
    function isStale(address token) external view returns (bool) {
        Feed storage f = _feeds[token];
        // Subtracting (never in the future) rather than adding keeps a huge maxAge from overflowing.
        return f.price == 0 || block.timestamp - f.updatedAt > f.maxAge;
    }

    // ------------------------------------------------------------------ internals

    function _requireFeed(address token) private view returns (Feed storage f) {
        f = _feeds[token];
        if (f.maxAge == 0) revert UnknownFeed(token);
    }

    /// @dev |new - old| <= old * maxMoveBps / 10_000, compared without division so no rounding enters.
    function _withinBound(uint256 oldPrice, uint256 newPrice, uint256 maxMoveBps)
        private
        pure
        returns (bool)
    {
        uint256 move = newPrice > oldPrice ? newPrice - oldPrice : oldPrice - newPrice;
        return move * BPS <= oldPrice * maxMoveBps;
    }

    /// @dev A window lasts LARGE_MOVE_DELAY from its start; a feed that never had one is over too.
    function _windowOver(Window storage w) private view returns (bool) {
        return w.startedAt == 0 || block.timestamp >= w.startedAt + LARGE_MOVE_DELAY;
    }

    /// @dev The reference an ordinary update would be bounded by now.
    function _currentReference(address token, uint256 price) private view returns (uint256) {
        Window storage w = _windows[token];
        return _windowOver(w) ? price : w.referencePrice;
    }

    function _openWindow(address token, uint256 referencePrice) private {
        _windows[token] = Window({referencePrice: referencePrice, startedAt: block.timestamp});
        emit AppraisalWindowOpened(token, referencePrice, block.timestamp);
    }

    function _setPrice(address token, uint256 price) private {
        Feed storage f = _feeds[token];
        f.price = price;
        f.updatedAt = block.timestamp;
        ++appraisalCount[token];
        emit AppraisalUpdated(token, price, block.timestamp, msg.sender);
    }
}
