package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@link StateStore#commit}, run inside one transaction: journal the before-images of
 * the reversible blocks, write the net row changes, the headers and the checkpoint.
 */
final class CommitTransaction {

    private CommitTransaction() {}

    /**
     * Returns the number of distinct rows written (journal, headers and checkpoint not counted).
     *
     * @param trustNew insert the rows the changes say are new ({@link StateChange#putNew}); false:
     *     upsert them like any other
     */
    static int run(Connection c, Dialect dialect, List<BlockChanges> blocks, boolean trustNew)
            throws SQLException {
        CommitRules.checkFollows(CheckpointRow.read(c, true), blocks.get(0));

        // Nothing is written until every change is planned, so a before-image read from the
        // database
        // is the row as it was before this commit; a row already changed by an earlier block of
        // this
        // commit takes its before-image from the plan instead.
        NetChanges net = new NetChanges();
        List<JournalEntry> journal = new ArrayList<>();
        try (RowLookup lookup = new RowLookup(c)) {
            for (BlockChanges block : blocks) {
                int seq = 0;
                for (StateChange change : block.changes()) {
                    StateTable<?> table = change.table();
                    List<Object> key = change.key();
                    if (block.reversible()) {
                        Object[] before =
                                net.touched(table, key)
                                        ? net.current(table, key)
                                        : lookup.find(table, key);
                        journal.add(new JournalEntry(block.number(), seq++, table, key, before));
                    }
                    net.set(table, key, change.rowAfter(), change.isNewRow());
                }
            }
        }

        JournalRows.insert(c, journal);
        net.write(c, dialect, trustNew);
        HeaderRows.insert(c, blocks);
        CheckpointRow.write(c, Checkpoint.of(blocks.get(blocks.size() - 1).header()));
        return net.size();
    }
}
