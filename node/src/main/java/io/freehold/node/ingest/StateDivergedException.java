package io.freehold.node.ingest;

/**
 * The events no longer add up: a balance would go negative, or an event names a market that was
 * never created. The node has missed or repeated a log (or followed the wrong contracts) and stops
 * rather than value positions with numbers the chain does not have. The fix is a resync from the
 * start block with an empty store.
 */
public final class StateDivergedException extends RuntimeException {

    public StateDivergedException(String message) {
        super(message);
    }
}
