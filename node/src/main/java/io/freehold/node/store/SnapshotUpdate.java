package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.types.BlockHeader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of {@link StateStore#loadSince}: a copy of the state at an older checkpoint, brought to
 * the store's checkpoint with the rows the journal says changed since, each read again by key. Run
 * in one REPEATABLE READ transaction, so the checkpoint, the journal and the rows agree.
 *
 * <p>Exact because every block after the copy's is journaled (a reversible block journals every row
 * it changes) and the copy's block is the stored one at its height: a rollback deletes the journal
 * of the blocks it undoes and restores their rows, so the journal above the copy's block names
 * every row that differs from the copy.
 */
final class SnapshotUpdate {

    private SnapshotUpdate() {}

    static Optional<StateSnapshot> read(Connection c, StateSnapshot copy) throws SQLException {
        Optional<Checkpoint> from = copy.checkpoint();
        Optional<Checkpoint> stored = CheckpointRow.read(c, false);
        if (from.isEmpty() || stored.isEmpty()) {
            return Optional.empty();
        }
        Checkpoint at = from.get();
        Checkpoint now = stored.get();
        if (now.equals(at)) {
            return Optional.of(merged(copy, now, HeaderRows.from(c, 0), Map.of()));
        }
        if (now.number() <= at.number()) {
            return Optional.empty();
        }
        Optional<BlockHeader> header = HeaderRows.get(c, at.number());
        if (header.isEmpty()
                || !header.get().hash().equals(at.hash())
                || header.get().timestamp() != at.timestamp()
                || HeaderRows.journaledBetween(c, at.number() + 1, now.number())
                        != now.number() - at.number()) {
            return Optional.empty();
        }
        Map<StateTable<?>, Map<List<Object>, Object[]>> changed = new HashMap<>();
        try (RowLookup lookup = new RowLookup(c)) {
            for (Map.Entry<StateTable<?>, List<Object>> key :
                    JournalRows.keysAbove(c, at.number())) {
                StateTable<?> table = key.getKey();
                if (table == StateTables.LIQUIDATION) {
                    continue; // history, not loaded into memory
                }
                changed.computeIfAbsent(table, t -> new HashMap<>())
                        .put(key.getValue(), lookup.find(table, key.getValue()));
            }
        }
        return Optional.of(merged(copy, now, HeaderRows.from(c, 0), changed));
    }

    private static StateSnapshot merged(
            StateSnapshot copy,
            Checkpoint now,
            List<BlockHeader> headers,
            Map<StateTable<?>, Map<List<Object>, Object[]>> changed) {
        List<List<?>> copied = copy.tableRows();
        List<List<?>> rows = new ArrayList<>(copied.size());
        for (int t = 0; t < StateSnapshot.TABLES.size(); t++) {
            rows.add(merged(StateSnapshot.TABLES.get(t), copied.get(t), changed));
        }
        return StateSnapshot.of(Optional.of(now), headers, rows);
    }

    /**
     * {@code rows} with each changed key's row replaced, removed (null: the row is gone) or added;
     * in key order, as the store reads them.
     */
    @SuppressWarnings("unchecked")
    private static <R> List<R> merged(
            StateTable<R> table,
            List<?> anyRows,
            Map<StateTable<?>, Map<List<Object>, Object[]>> changed) {
        List<R> rows = (List<R>) anyRows; // the snapshot's list for this table
        Map<List<Object>, Object[]> inTable = changed.get(table);
        if (inTable == null || inTable.isEmpty()) {
            return rows;
        }
        Map<List<Object>, Object[]> left = new HashMap<>(inTable);
        List<R> out = new ArrayList<>(rows.size() + left.size());
        for (R row : rows) {
            List<Object> key = table.keyOf(table.columnsOf(row));
            if (left.containsKey(key)) {
                Object[] now = left.remove(key);
                if (now != null) {
                    out.add(table.rowOf(now));
                }
            } else {
                out.add(row);
            }
        }
        List<R> added = left.values().stream().filter(Objects::nonNull).map(table::rowOf).toList();
        if (!added.isEmpty()) {
            out.addAll(added);
            out.sort(
                    Comparator.comparing(
                            r -> table.keyOf(table.columnsOf(r)), StateTable.KEY_ORDER));
        }
        return out;
    }
}
