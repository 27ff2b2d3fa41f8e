package io.freehold.node.config;

/**
 * What the node does when the chain replaces a block older than the confirmations ({@code
 * freehold.node.deep-reorg}): state the node served as final is wrong from then on.
 */
public enum DeepReorg {
    /**
     * Recover by itself (the default): roll the store back to the newest stored block the chain
     * still has, or clear the state and resync from the start block when none is left. Health is
     * NOT_SERVING until the node is back at the head.
     */
    RECOVER,
    /**
     * Stop following and exit with status 70, leaving the store untouched, so that a person decides
     * (restore a backup, or delete the store to resync).
     */
    STOP
}
