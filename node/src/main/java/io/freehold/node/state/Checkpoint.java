package io.freehold.node.state;

import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import io.freehold.types.Uint256;
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

    /** {@code header} as a checkpoint: the last block whose changes are applied. */
    public static Checkpoint of(BlockHeader header) {
        return new Checkpoint(header.number(), header.hash(), header.timestamp());
    }
}
