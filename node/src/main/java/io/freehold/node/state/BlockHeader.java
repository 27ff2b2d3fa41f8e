package io.freehold.node.state;

import java.util.Objects;

/**
 * What the node keeps of a block to detect reorgs: its number, hash, parent hash and unix
 * timestamp (the time interest accrues to).
 */
public record BlockHeader(long number, BlockHash hash, BlockHash parentHash, long timestamp) {

    public BlockHeader {
        Uint256.checkNonNegative(number, "block number");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(parentHash, "parentHash");
        Uint256.checkNonNegative(timestamp, "timestamp");
    }

    /** This block as a checkpoint: the last block whose changes are applied. */
    public Checkpoint toCheckpoint() {
        return new Checkpoint(number, hash, timestamp);
    }
}
