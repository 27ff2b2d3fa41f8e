package io.freehold.node.ingest;

/**
 * The chain replaced blocks older than the unconfirmed window ({@code freehold.node.confirmations}):
 * the node no longer has what it needs to undo them, so it stops instead of guessing. To recover,
 * stop the node, delete the store (or restore one older than the reorg) and start it again; it
 * resyncs from the start block. If this happens on a healthy chain, raise the confirmations.
 */
public final class ReorgTooDeepException extends RuntimeException {

    public ReorgTooDeepException(long checkpoint, long oldestReversible, String detail) {
        super("reorg deeper than the unconfirmed window: the node's block " + checkpoint
                + " is no longer on the chain and no block it can roll back to (the oldest is "
                + (oldestReversible < 0 ? "none" : oldestReversible) + ") is either; " + detail
                + ". Stop the node, delete the store and restart to resync; raise freehold.node.confirmations"
                + " if the chain reorganises this deep in normal operation");
    }
}
