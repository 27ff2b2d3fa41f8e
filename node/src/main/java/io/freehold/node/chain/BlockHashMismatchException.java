package io.freehold.node.chain;

/**
 * Data fetched for a block does not belong to the block's current header: a log names another block
 * hash, or a header's parent is not the header fetched for the block before it. Either a reorg
 * happened while the data was being fetched, or two endpoints are on different forks. The follower
 * treats it as "the chain moved": fetch again, and roll back if its own headers differ.
 */
public final class BlockHashMismatchException extends RuntimeException {

    private final long blockNumber;
    private final String headerHash;
    private final String claimedHash;

    BlockHashMismatchException(
            long blockNumber, String headerHash, String claimedHash, String what) {
        super(
                "block "
                        + blockNumber
                        + " has hash "
                        + headerHash
                        + " but "
                        + what
                        + " names "
                        + claimedHash
                        + ": the chain reorganised during the fetch, or endpoints disagree");
        this.blockNumber = blockNumber;
        this.headerHash = headerHash;
        this.claimedHash = claimedHash;
    }

    /** The block whose hash is in question. */
    public long blockNumber() {
        return blockNumber;
    }

    /** The hash in the header fetched for {@link #blockNumber()}. */
    public String headerHash() {
        return headerHash;
    }

    /** The hash the log (or the next block's parent hash) gave for {@link #blockNumber()}. */
    public String claimedHash() {
        return claimedHash;
    }
}
