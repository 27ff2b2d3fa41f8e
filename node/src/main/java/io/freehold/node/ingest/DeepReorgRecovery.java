package io.freehold.node.ingest;

import io.freehold.node.state.Checkpoint;
import java.util.Optional;

/**
 * What the follower did about a reorg deeper than the confirmations ({@code
 * freehold.node.deep-reorg=recover}).
 *
 * @param abandoned the checkpoint the chain no longer has
 * @param rolledBackTo the newest stored block the chain still has, which the store was rolled back
 *     to; empty when no stored block survived (or the journal could not reach it) and the state was
 *     cleared to resync from the start block
 */
public record DeepReorgRecovery(Checkpoint abandoned, Optional<Checkpoint> rolledBackTo) {

    /** Whether the state was cleared and the node reads again from the start block. */
    public boolean resync() {
        return rolledBackTo.isEmpty();
    }

    /** How many applied blocks were undone; for a resync, every block since the start block. */
    public long depth(long startBlock) {
        return abandoned.number() - rolledBackTo.map(Checkpoint::number).orElse(startBlock - 1);
    }
}
