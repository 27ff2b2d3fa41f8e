package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.types.BlockHeader;
import java.util.List;
import java.util.Optional;

/**
 * What a commit must satisfy before anything is written. These are the caller's mistakes (a block
 * applied twice, a block from another fork), so they fail with IllegalArgumentException.
 */
final class CommitRules {

    private CommitRules() {}

    /**
     * The blocks among themselves: increasing, linked by parent hash, reversible once reversible.
     */
    static void checkOrder(List<BlockChanges> blocks) {
        for (int i = 1; i < blocks.size(); i++) {
            BlockChanges previous = blocks.get(i - 1);
            BlockChanges block = blocks.get(i);
            if (block.number() <= previous.number()) {
                throw new IllegalArgumentException(
                        "blocks must be in increasing order: block "
                                + block.number()
                                + " follows block "
                                + previous.number());
            }
            checkParent(block.header(), previous.number(), previous.header().hash().hex());
            if (previous.reversible() && !block.reversible()) {
                throw new IllegalArgumentException(
                        "block "
                                + block.number()
                                + " is not reversible but block "
                                + previous.number()
                                + " before it is: the unconfirmed window only moves forward");
            }
        }
    }

    /** The first block against the stored checkpoint: after it, and its child if numbered so. */
    static void checkFollows(Optional<Checkpoint> checkpoint, BlockChanges first) {
        if (checkpoint.isEmpty()) {
            return;
        }
        Checkpoint cp = checkpoint.get();
        if (first.number() <= cp.number()) {
            throw new IllegalArgumentException(
                    "block "
                            + first.number()
                            + " is not after the checkpoint, block "
                            + cp.number()
                            + ": it is already applied (roll back first to re-apply it)");
        }
        checkParent(first.header(), cp.number(), cp.hash().hex());
    }

    private static void checkParent(BlockHeader block, long previousNumber, String previousHash) {
        if (block.number() == previousNumber + 1
                && !block.parentHash().hex().equals(previousHash)) {
            throw new IllegalArgumentException(
                    "block "
                            + block.number()
                            + " has parent hash "
                            + block.parentHash()
                            + " but block "
                            + previousNumber
                            + " is "
                            + previousHash
                            + ": it belongs to another fork (roll back to the common ancestor first)");
        }
    }
}
