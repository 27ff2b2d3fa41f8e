package io.freehold.node.liquidation.attempts;

/**
 * What an attempt does on chain. Every kind goes through the same record, nonces, fee bumps,
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
    TAKE,
    /**
     * {@code liquidationCall(collateral, debt, user, debtToCover, false)} on an Aave v3 pool (a
     * node with {@code freehold.node.protocol=aave-v3}). Proven by the pool's {@code
     * LiquidationCall} for the user with the node's liquidator as {@code liquidator}.
     */
    AAVE_LIQUIDATION
}
