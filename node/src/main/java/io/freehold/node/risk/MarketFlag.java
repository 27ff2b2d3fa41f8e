package io.freehold.node.risk;

/**
 * Why the node will not liquidate in a market, whatever its positions' health. The first three are
 * the pool's own refusals ({@code isLiquidatable} answers false, {@code liquidate} reverts); the
 * last is the node's: it cannot vouch for a price it does not follow.
 */
public enum MarketFlag {
    /** The oracle has no price for the collateral token (the pool counts that as stale). */
    NO_PRICE,
    /**
     * The appraisal is older than the feed's {@code maxAge}: {@code block.timestamp − updatedAt >
     * maxAge}, exactly as {@code AppraisalOracle.isStale}.
     */
    PRICE_STALE,
    /** The property token is paused: the pool refuses to move it ({@code CollateralPaused}). */
    TOKEN_PAUSED,
    /**
     * The market names an oracle other than the one the node follows, so the node's price for it is
     * not the pool's.
     */
    ORACLE_NOT_FOLLOWED
}
