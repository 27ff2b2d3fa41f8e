package io.freehold.node.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The net effect of many row changes: per table and key, only the last state (a row, or removed).
 * Writing net changes instead of every change means a position touched a hundred times in one
 * commit is written once, and the upsert and delete batches can run in any order because no key is
 * in both.
 */
final class NetChanges {

    /**
     * Rows per JDBC batch: large enough to amortise round trips, small enough to bound driver
     * memory.
     */
    static final int BATCH_SIZE = 1_000;

    // value null = the row is removed
    private final Map<StateTable<?>, Map<List<Object>, Object[]>> byTable = new LinkedHashMap<>();
    private int size;

    /** Whether this key was already set here. */
    boolean touched(StateTable<?> table, List<Object> key) {
        Map<List<Object>, Object[]> rows = byTable.get(table);
        return rows != null && rows.containsKey(key);
    }

    /** The row set for a {@link #touched} key; null if it was removed. */
    Object[] current(StateTable<?> table, List<Object> key) {
        return byTable.get(table).get(key);
    }

    /** Sets the key's final state: {@code row} (all columns), or null to remove it. */
    void set(StateTable<?> table, List<Object> key, Object[] row) {
        Map<List<Object>, Object[]> rows =
                byTable.computeIfAbsent(table, t -> new LinkedHashMap<>());
        if (!rows.containsKey(key)) {
            size++;
        }
        rows.put(key, row);
    }

    /** The number of distinct rows to write. */
    int size() {
        return size;
    }

    /** Writes every net change with batched upserts and deletes. */
    void write(Connection c, Dialect dialect) throws SQLException {
        for (Map.Entry<StateTable<?>, Map<List<Object>, Object[]>> entry : byTable.entrySet()) {
            StateTable<?> table = entry.getKey();
            try (PreparedStatement upsert = c.prepareStatement(table.upsertSql(dialect));
                    PreparedStatement delete = c.prepareStatement(table.deleteSql())) {
                int upserts = 0;
                int deletes = 0;
                for (Map.Entry<List<Object>, Object[]> row : entry.getValue().entrySet()) {
                    if (row.getValue() == null) {
                        table.bindKey(delete, row.getKey());
                        delete.addBatch();
                        if (++deletes % BATCH_SIZE == 0) {
                            delete.executeBatch();
                        }
                    } else {
                        table.bindRow(upsert, row.getValue());
                        upsert.addBatch();
                        if (++upserts % BATCH_SIZE == 0) {
                            upsert.executeBatch();
                        }
                    }
                }
                if (upserts % BATCH_SIZE != 0) {
                    upsert.executeBatch();
                }
                if (deletes % BATCH_SIZE != 0) {
                    delete.executeBatch();
                }
            }
        }
    }
}
