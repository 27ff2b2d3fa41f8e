package io.freehold.node.liquidation;

/** Where one liquidation attempt stands; every status but {@link #IN_FLIGHT} is final. */
public enum AttemptStatus {
    /** A transaction was recorded and (probably) sent; it is tracked until one of its versions is mined. */
    IN_FLIGHT,
    /** The liquidation was mined and succeeded; the amounts are the chain's, from its {@code Liquidate} event. */
    MINED,
    /** The transaction was mined and reverted, was rejected by every endpoint, or its nonce was used elsewhere. */
    FAILED,
    /** The position stopped being liquidatable while the transaction waited; it was cancelled by a self-transfer. */
    GAVE_UP,
    /** Preflight refused the candidate; nothing was sent. Retried after the cooldown. */
    SKIPPED
}
