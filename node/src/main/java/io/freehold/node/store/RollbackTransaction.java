package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.types.BlockHeader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * The body of {@link StateStore#rollbackTo}, run inside one transaction: restore the before-images
 * of every block above the target, newest first, drop their journal and headers, move the
 * checkpoint.
 */
final class RollbackTransaction {

    private RollbackTransaction() {}

    static Checkpoint run(Connection c, Dialect dialect, long target) throws SQLException {
        Checkpoint checkpoint =
                CheckpointRow.read(c, true)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "cannot roll back to block "
                                                        + target
                                                        + ": nothing is committed"));
        if (target > checkpoint.number()) {
            throw new IllegalArgumentException(
                    "cannot roll back to block "
                            + target
                            + ": it is above the checkpoint, block "
                            + checkpoint.number());
        }
        if (target == checkpoint.number()) {
            return checkpoint;
        }
        BlockHeader header = checkReachable(c, target);

        // Entries come newest first; setting each key's row in that order leaves the oldest
        // before-image, the row as it was at the end of the target block.
        NetChanges restore = new NetChanges();
        for (JournalEntry entry : JournalRows.readAbove(c, target)) {
            restore.set(entry.table(), entry.key(), entry.before());
        }
        restore.write(c, dialect, true);
        JournalRows.deleteAbove(c, target);
        HeaderRows.deleteAbove(c, target);
        Checkpoint result = Checkpoint.of(header);
        CheckpointRow.write(c, result);
        return result;
    }

    /** The target's header, if every block above it can be undone. */
    private static BlockHeader checkReachable(Connection c, long target) throws SQLException {
        OptionalLong unjournaled = HeaderRows.newestUnjournaled(c);
        OptionalLong oldest = HeaderRows.oldest(c);
        long oldestTarget = unjournaled.isPresent() ? unjournaled.getAsLong() : oldest.orElse(-1);
        if (unjournaled.isPresent() && unjournaled.getAsLong() > target) {
            throw new RollbackTooDeepException(
                    target,
                    oldestTarget,
                    "block "
                            + unjournaled.getAsLong()
                            + " above it was written without a journal (it was behind the unconfirmed window)");
        }
        return HeaderRows.get(c, target)
                .orElseThrow(
                        () ->
                                new RollbackTooDeepException(
                                        target,
                                        oldestTarget,
                                        "its header is not stored (pruned, or never part of the window)"));
    }
}
