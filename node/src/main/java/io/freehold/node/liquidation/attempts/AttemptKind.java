package io.freehold.node.liquidation.attempts;

/**
 * What an attempt does on chain. Every kind goes through the same preflight, nonces, fee bumps,
 * finality tracking and orphan handling; each is proven mined by its own event in the receipt.
 */
public enum AttemptKind {
    /** {@code pool.liquidate}: the fixed incentive. Proven by the pool's {@code Liquidate}. */
    LIQUIDATE,
    /**
     * {@code pool.flag}: starts the borrower's cure window on a market that has one. Proven by
     * {@code CureFlagged}.
     */
    FLAG,
    /**
     * {@code DutchAuction.start} with the liquidator as keeper, on an auction market. Proven by
     * {@code AuctionStarted}.
     */
    START_AUCTION,
    /**
     * {@code DutchAuction.restart} of an auction past its end. Proven by {@code AuctionRestarted}.
     */
    RESTART_AUCTION,
    /**
     * {@code DutchAuction.take} of a lot priced at or below the configured discount to the
     * appraisal. Proven by the pool's {@code Liquidate} the take emits.
     */
    TAKE
}
