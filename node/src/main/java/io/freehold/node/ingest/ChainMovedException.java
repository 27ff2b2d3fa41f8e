package io.freehold.node.ingest;

/**
 * What was read for a block range does not hang together (a log names another block hash than the
 * header read for its block, or the first new block does not build on the last applied one): the
 * chain reorganised while the range was read. Nothing was applied; the next step reads again and
 * rolls back first if the applied blocks are gone.
 */
final class ChainMovedException extends RuntimeException {

    ChainMovedException(String message) {
        super(message);
    }
}
