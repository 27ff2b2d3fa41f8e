package io.freehold.node.ingest;

/**
 * The chain replaced blocks older than the unconfirmed window ({@code
 * freehold.node.confirmations}): blocks the node took for final. A follower step refuses to roll
 * back that far and changes nothing. With {@code freehold.node.deep-reorg=recover} (the default)
 * the ingestion service then recovers by itself ({@link Follower#recoverFromDeepReorg}); with
 * {@code stop} the node stops, and a person deletes the store (or restores one older than the
 * reorg) and starts it again to resync. If this happens on a healthy chain, raise the
 * confirmations.
 */
public final class ReorgTooDeepException extends RuntimeException {

    public ReorgTooDeepException(long checkpoint, long oldestReversible, String detail) {
        super(
                "reorg deeper than the unconfirmed window: the node's block "
                        + checkpoint
                        + " is no longer on the chain and no block it can roll back to (the oldest is "
                        + (oldestReversible < 0 ? "none" : oldestReversible)
                        + ") is either; "
                        + detail
                        + ". Stop the node, delete the store and restart to resync (freehold.node.deep-reorg=recover does that"
                        + " by itself); raise freehold.node.confirmations"
                        + " if the chain reorganises this deep in normal operation");
    }
}
