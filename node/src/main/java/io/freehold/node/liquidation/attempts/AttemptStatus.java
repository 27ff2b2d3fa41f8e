package io.freehold.node.liquidation.attempts;

/**
 * Where one liquidation attempt stands. {@link #IN_FLIGHT}, {@link #MINED_UNCONFIRMED} and {@link
 * #ORPHANED_RETRIED} hold the position and the nonce (the attempt is tracked); the others are
 * final.
 *
 * <p>The store keeps the three holding states as one ({@code IN_FLIGHT}) and tells them apart by
 * the provisional inclusion and the orphan count it records with the attempt.
 */
public enum AttemptStatus {
    /**
     * A transaction was recorded and (probably) sent; it is tracked until one of its versions is
     * mined.
     */
    IN_FLIGHT,
    /**
     * The liquidation was mined and succeeded; the amounts are the chain's, from its {@code
     * Liquidate} event.
     */
    MINED,
    /**
     * The transaction was mined and reverted, was rejected by every endpoint, or its nonce was used
     * elsewhere.
     */
    FAILED,
    /**
     * The position stopped being liquidatable while the transaction waited; it was cancelled by a
     * self-transfer.
     */
    GAVE_UP,
    /** Preflight refused the candidate; nothing was sent. Retried after the cooldown. */
    SKIPPED,
    /**
     * A transaction of the attempt has a receipt in a block that is not final yet (fewer than the
     * node's {@code confirmations} blocks on top). Still held: it ends MINED, FAILED or GAVE_UP
     * when the block is final, or goes back in flight if a reorg orphans the block.
     */
    MINED_UNCONFIRMED,
    /**
     * A reorg orphaned the block that held the attempt's transaction; the attempt is in flight
     * again at the same nonce (the recorded transaction broadcast again, or re-planned, or
     * cancelled).
     */
    ORPHANED_RETRIED;

    /** True while the attempt holds its position and nonce and is tracked. */
    public boolean holding() {
        return this == IN_FLIGHT || this == MINED_UNCONFIRMED || this == ORPHANED_RETRIED;
    }
}
