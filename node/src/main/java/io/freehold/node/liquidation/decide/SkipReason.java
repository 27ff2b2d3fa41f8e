package io.freehold.node.liquidation.decide;

/**
 * Why preflight refused a candidate, in the order the checks run. The first five mirror the pool's
 * own checks (so a bot gets the reason before it pays for a revert); the rest are the liquidator's
 * business.
 */
public enum SkipReason {
    /** The pool has no such market ({@code MarketNotFound}). */
    MARKET_NOT_FOUND,
    /**
     * The property token is paused: nothing moves, so nothing can be seized ({@code
     * CollateralPaused}).
     */
    COLLATERAL_PAUSED,
    /**
     * The receiver is not verified in the token's identity registry, or is frozen ({@code
     * ReceiverNotAllowed}).
     */
    RECEIVER_NOT_ALLOWED,
    /**
     * The appraisal is older than its feed's max age ({@code StalePrice}); acting on it is how
     * pools lose money.
     */
    STALE_PRICE,
    /**
     * The position is healthy now, or has no debt left: recovered, repaid, or liquidated by someone
     * else.
     */
    POSITION_HEALTHY,
    /**
     * The pool would refuse the liquidation for another reason (dust, worsening health, ...); the
     * message names it.
     */
    WOULD_REVERT,
    /** The liquidator holds less loan token than the repayment. */
    INSUFFICIENT_BALANCE,
    /** The liquidator has approved the pool for less loan token than the repayment. */
    INSUFFICIENT_ALLOWANCE,
    /** The liquidator cannot pay for the gas: native balance below gas limit times max fee. */
    INSUFFICIENT_GAS_FUNDS,
    /**
     * The base fee plus the tip is above {@code max-fee-per-gas-cap}: the transaction could not be
     * mined now.
     */
    FEE_CAP_TOO_LOW,
    /** The incentive minus the gas is not above {@code min-profit}. */
    NOT_PROFITABLE,
    /**
     * The position is flagged and its cure window is still open (and it is above the hard floor):
     * only its borrower may act until the window ends ({@code CureWindowOpen}).
     */
    CURE_WINDOW_OPEN,
    /**
     * The position's auction is running and the keeper has nothing to do: no take discount is
     * configured, or the auction has not ended yet for a restart ({@code AuctionNotStale}).
     */
    AUCTION_RUNNING,
    /**
     * The auction's price is above the keeper's limit, appraisal × (1 − take discount) ({@code
     * PriceAboveLimit}).
     */
    AUCTION_PRICE_ABOVE_LIMIT,
    /**
     * The auction ended unsold and the market no longer pays its keeper for a restart (past its
     * {@code maxPaidRestarts}), and {@code restart-unpaid} is false: the keeper leaves it to
     * others.
     */
    UNPAID_RESTART
}
