// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title IAppraisalOracle
/// @notice Appraised prices of property tokens, set by per-token appraisers.
/// @dev Price unit: loan-token base units per collateral-token base unit, scaled by PRICE_SCALE = 1e36
/// (Morpho Blue's convention). A property token (18 decimals) appraised at 52.40 USD in a 6-decimal
/// stablecoin has price 52.40e6 * 1e36 / 1e18 = 52.4e24. The value of `c` collateral base units is
/// `c * price / 1e36` loan-token base units.
///
/// Appraisals move rarely and in steps, so ordinary updates are bounded per window, not per update (a
/// per-update bound could be chained: eleven -10% steps in one block take $100 to $31). Each feed has an
/// appraisal window of `LARGE_MOVE_DELAY` (2 days): the first ordinary update after the previous window
/// ended opens a new one, and the price at that moment becomes the window's `reference`. Every ordinary
/// update must land within `maxMoveBps` of that referencePrice, however many updates the window holds, so no
/// sequence of ordinary updates inside one window moves the price further than the bound from where the
/// window started; any 2-day span overlaps at most two windows. A larger move has two paths, and each
/// opens a new window at the price it sets:
///  - slow: the appraiser proposes it, anyone executes it after `LARGE_MOVE_DELAY` and before
///    `LARGE_MOVE_DELAY + PROPOSAL_VALIDITY` (then it has expired); while one is live a second proposal
///    reverts `AppraisalAlreadyPending`: the admin must cancel the first (`AppraisalCancelled`).
///  - loud: the admin forces it at once with a written reason (`AppraisalForced`). Meant for a sudden loss
///    (a fire, a condemned building) where waiting would let borrowers walk away with bad loans.
/// Each feed has a `maxAge`; a price older than that is stale and the lending pool refuses to act on it.
interface IAppraisalOracle {
    /// @notice A feed's configuration and latest price.
    struct Feed {
        uint256 price; // PRICE_SCALE-scaled, 0 until the first appraisal
        uint256 updatedAt; // unix seconds of the appraisal that set `price`
        uint256 maxAge; // seconds after `updatedAt` the price stays fresh
        uint256 maxMoveBps; // the largest move one ordinary update may make, in basis points of `price`
    }

    /// @notice A large move waiting for its delay.
    struct PendingAppraisal {
        uint256 price;
        uint256 executableAt; // 0 when nothing is pending
        address appraiser;
    }

    /// @notice Emitted when the admin configures a feed.
    event FeedConfigured(address indexed token, uint256 maxAge, uint256 maxMoveBps);
    /// @notice Emitted when the admin allows or disallows an appraiser for a token.
    event AppraiserSet(address indexed token, address indexed appraiser, bool allowed);
    /// @notice Emitted for every price that takes effect, whichever path set it.
    event AppraisalUpdated(address indexed token, uint256 price, uint256 updatedAt, address indexed source);
    /// @notice Emitted when an appraiser proposes a move larger than the bound.
    event AppraisalProposed(
        address indexed token, uint256 price, uint256 executableAt, address indexed appraiser
    );
    /// @notice Emitted when the admin cancels a pending proposal.
    event AppraisalCancelled(address indexed token, uint256 price, address indexed admin);
    /// @notice Emitted when the admin forces a price at once (followed by `AppraisalUpdated`).
    event AppraisalForced(address indexed token, uint256 price, address indexed admin, string reason);
    /// @notice Emitted when a new appraisal window opens: ordinary updates until `startedAt +
    /// LARGE_MOVE_DELAY` must stay within `maxMoveBps` of `reference`.
    event AppraisalWindowOpened(address indexed token, uint256 referencePrice, uint256 startedAt);

    /// @notice No feed is configured for `token`.
    error UnknownFeed(address token);
    /// @notice The feed exists but has never been appraised.
    error NoPrice(address token);
    /// @notice A price of zero is never valid.
    error ZeroPrice();
    /// @notice `account` is not an appraiser of `token`.
    error NotAppraiser(address token, address account);
    /// @notice An ordinary update would move the price from the window's `reference` to `newPrice`, more
    /// than `maxMoveBps`.
    error PriceMoveTooLarge(address token, uint256 referencePrice, uint256 newPrice, uint256 maxMoveBps);
    /// @notice A proposal is only for moves larger than the bound; this one fits an ordinary update
    /// (measured from the window's `reference`).
    error PriceMoveWithinBound(address token, uint256 referencePrice, uint256 newPrice);
    /// @notice A live proposal for `token` (`price`, executable at `executableAt`) must be executed, expire
    /// or be cancelled by the admin before another one is made.
    error AppraisalAlreadyPending(address token, uint256 price, uint256 executableAt);
    /// @notice The pending proposal for `token` was executable only until `expiredAt`; propose it again.
    error AppraisalExpired(address token, uint256 expiredAt);
    /// @notice Nothing is pending for `token`.
    error NoPendingAppraisal(address token);
    /// @notice The pending proposal for `token` becomes executable at `executableAt`.
    error AppraisalNotReady(address token, uint256 executableAt);
    /// @notice Feed parameters out of range (maxAge 0, maxMoveBps 0 or above 10_000).
    error InvalidFeedConfig(uint256 maxAge, uint256 maxMoveBps);
    /// @notice The zero address where a token or appraiser is required.
    error ZeroAddress();
    /// @notice `forceAppraisal` needs a reason; the point of the loud path is that it is explained.
    error EmptyReason();

    /// @notice Price scale: 1e36 (see the contract notes for the unit).
    function PRICE_SCALE() external view returns (uint256);
    /// @notice Delay before a proposed large move can be executed: 2 days. Also the length of an
    /// appraisal window.
    function LARGE_MOVE_DELAY() external view returns (uint256);
    /// @notice How long a proposal stays executable once its delay has passed: 1 day.
    function PROPOSAL_VALIDITY() external view returns (uint256);

    /// @notice Creates or reconfigures `token`'s feed. Admin only. Keeps the current price.
    function configureFeed(address token, uint256 maxAge, uint256 maxMoveBps) external;
    /// @notice Allows or disallows `appraiser` to update `token`. Admin only.
    function setAppraiser(address token, address appraiser, bool allowed) external;
    /// @notice An ordinary update: within `maxMoveBps` of the current window's reference (opening a new
    /// window at the current price first when the last one is over). The first price of a feed has no
    /// reference and must come through `forceAppraisal`. Appraiser only.
    function submitAppraisal(address token, uint256 price) external;
    /// @notice Proposes a move larger than the bound (from the reference a submit would use now);
    /// executable from `LARGE_MOVE_DELAY` after it, for `PROPOSAL_VALIDITY`. Appraiser only. Reverts
    /// `AppraisalAlreadyPending` while another proposal is live (not yet expired): it is never replaced
    /// silently; an expired one is replaced.
    function proposeAppraisal(address token, uint256 price) external;
    /// @notice Applies a ready, unexpired proposal and opens a new window at its price. Anyone may call it;
    /// reverts `NotAppraiser` if its author has been removed as an appraiser since, `AppraisalExpired`
    /// after its validity. Ordinary updates in between do not cancel it; the admin can.
    function executeAppraisal(address token) external;
    /// @notice Drops a pending proposal. Admin only.
    function cancelAppraisal(address token) external;
    /// @notice Sets any positive price at once, with a reason, and opens a new window at it. Admin only.
    /// Also clears a pending proposal (emitting `AppraisalCancelled` for it).
    function forceAppraisal(address token, uint256 price, string calldata reason) external;

    /// @notice Whether `appraiser` may update `token`.
    function isAppraiser(address token, address appraiser) external view returns (bool);
    /// @notice The whole feed (zeroes when none is configured).
    function feed(address token) external view returns (Feed memory);
    /// @notice The pending large move, if any (an expired one stays readable until replaced or cancelled).
    function pendingAppraisal(address token) external view returns (PendingAppraisal memory);
    /// @notice The current appraisal window: the reference ordinary updates are bounded by and when the
    /// window opened (it lasts `LARGE_MOVE_DELAY`). After it ends, the next submit opens a new one at the
    /// then-current price.
    function appraisalWindow(address token) external view returns (uint256 referencePrice, uint256 startedAt);
    /// @notice The latest price and its appraisal time. Reverts `UnknownFeed` / `NoPrice`; does NOT check
    /// staleness — callers decide with `isStale`.
    function latestPrice(address token) external view returns (uint256 price, uint256 updatedAt);
    /// @notice Whether `token`'s price is older than its `maxAge` (true also when there is no price).
    function isStale(address token) external view returns (bool);
    /// @notice How many appraisals `token` has had: one more with every `AppraisalUpdated`. The pool's cure
    /// window uses it to tell whether a flag was set under the current appraisal or the one before it.
    function appraisalCount(address token) external view returns (uint256);
}
