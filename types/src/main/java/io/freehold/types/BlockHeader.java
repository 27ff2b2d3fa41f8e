package io.freehold.types;

import java.util.Objects;

/**
 * The part of a block needed to notice a reorg and to accrue interest: its number, hash, parent
 * hash and unix timestamp (the chain's time, not the reader's).
 */
public record BlockHeader(long number, BlockHash hash, BlockHash parentHash, long timestamp) {

    public BlockHeader {
        Uint256.checkNonNegative(number, "block number");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(parentHash, "parentHash");
        Uint256.checkNonNegative(timestamp, "timestamp");
    }

    /** A header from the hex strings JSON-RPC returns (any case). */
    public static BlockHeader of(long number, String hash, String parentHash, long timestamp) {
        return new BlockHeader(number, BlockHash.of(hash), BlockHash.of(parentHash), timestamp);
    }
}
