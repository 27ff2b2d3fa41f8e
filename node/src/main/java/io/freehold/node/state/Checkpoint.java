package io.freehold.node.state;

import java.util.Objects;

/**
 * The last block whose changes the store holds. The node resumes from the block after it, and
 * checks on resume that the chain still has {@code hash} at {@code number}.
 */
public record Checkpoint(long number, BlockHash hash, long timestamp) {

    public Checkpoint {
        Uint256.checkNonNegative(number, "block number");
        Objects.requireNonNull(hash, "hash");
        Uint256.checkNonNegative(timestamp, "timestamp");
    }
}
