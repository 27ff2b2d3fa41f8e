package io.freehold.node.store;

import io.freehold.types.BlockHeader;
import java.util.List;
import java.util.Objects;

/**
 * Everything one block changes in the state, in the order its logs applied them.
 *
 * @param header the block, stored for reorg detection; the last block of a commit becomes the
 *     checkpoint
 * @param reversible whether the block is inside the unconfirmed window: its changes are journaled
 *     so that {@link StateStore#rollbackTo} can undo them. Blocks behind the window are written
 *     without a journal.
 * @param changes the row changes, in order; a row may change more than once
 */
public record BlockChanges(BlockHeader header, boolean reversible, List<StateChange> changes) {

    public BlockChanges {
        Objects.requireNonNull(header, "header");
        changes = List.copyOf(changes);
    }

    public long number() {
        return header.number();
    }
}
