package io.freehold.node.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The net effect of many row changes: per table and key, only the last state (a row, or removed).
 * Writing net changes instead of every change means a position touched a hundred times in one
 * commit is written once, and the upsert and delete batches can run in any order because no key is
 * in both.
 *
 * <p>A key whose first change here is a {@link StateChange#putNew} is not in the store (the state
 * it was applied to did not have it, and that state is the store's plus the commits before this
 * one): its final row is inserted instead of upserted, and a final removal is nothing to write. On
 * H2, inserting a catch-up's tens of thousands of new identity rows in key order takes about half
 * as long as merging them (which looks each one up first).
 */
final class NetChanges {

    /**
     * Rows per JDBC batch: large enough to amortise round trips, small enough to bound driver
     * memory.
     */
    static final int BATCH_SIZE = 1_000;

    // value null = the row is removed
    private final Map<StateTable<?>, Map<List<Object>, Object[]>> byTable = new LinkedHashMap<>();
    // Keys first changed here by a putNew: not in the store before this commit.
    private final Map<StateTable<?>, Set<List<Object>>> newKeys = new LinkedHashMap<>();
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
        set(table, key, row, false);
    }

    /**
     * Sets the key's final state; {@code newRow}: the change puts a row the store does not hold
     * ({@link StateChange#putNew}), which counts only as the key's first change here.
     */
    void set(StateTable<?> table, List<Object> key, Object[] row, boolean newRow) {
        Map<List<Object>, Object[]> rows =
                byTable.computeIfAbsent(table, t -> new LinkedHashMap<>());
        if (!rows.containsKey(key)) {
            size++;
            if (newRow) {
                newKeys.computeIfAbsent(table, t -> new HashSet<>()).add(key);
            }
        }
        rows.put(key, row);
    }

    /** The number of distinct rows to write. */
    int size() {
        return size;
    }

    /**
     * Writes every net change with batched inserts, upserts and deletes; each table's rows in key
     * order, so that consecutive rows of a batch land on neighbouring pages of the primary key's
     * index.
     *
     * @param trustNew false: upsert new rows too, for a commit whose insert met a row already there
     */
    void write(Connection c, Dialect dialect, boolean trustNew) throws SQLException {
        for (Map.Entry<StateTable<?>, Map<List<Object>, Object[]>> entry : byTable.entrySet()) {
            StateTable<?> table = entry.getKey();
            Set<List<Object>> fresh = trustNew ? newKeys.getOrDefault(table, Set.of()) : Set.of();
            List<Map.Entry<List<Object>, Object[]>> rows =
                    new ArrayList<>(entry.getValue().entrySet());
            rows.sort(Map.Entry.comparingByKey(StateTable.KEY_ORDER));
            try (Batch insert = new Batch(c, table.insertSql());
                    Batch upsert = new Batch(c, table.upsertSql(dialect));
                    Batch delete = new Batch(c, table.deleteSql())) {
                for (Map.Entry<List<Object>, Object[]> row : rows) {
                    boolean isNew = fresh.contains(row.getKey());
                    if (row.getValue() == null) {
                        if (!isNew) { // a new row removed again was never written
                            table.bindKey(delete.statement(), row.getKey());
                            delete.add();
                        }
                    } else {
                        Batch batch = isNew ? insert : upsert;
                        table.bindRow(batch.statement(), row.getValue());
                        batch.add();
                    }
                }
            }
        }
    }

    /** A prepared statement batched {@link #BATCH_SIZE} at a time; the rest runs on close. */
    private static final class Batch implements AutoCloseable {

        private final Connection connection;
        private final String sql;
        private PreparedStatement statement;
        private int pending;

        Batch(Connection connection, String sql) {
            this.connection = connection;
            this.sql = sql;
        }

        /** The statement to bind the next row to (prepared on first use). */
        PreparedStatement statement() throws SQLException {
            if (statement == null) {
                statement = connection.prepareStatement(sql);
            }
            return statement;
        }

        void add() throws SQLException {
            statement.addBatch();
            if (++pending == BATCH_SIZE) {
                statement.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void close() throws SQLException {
            if (statement == null) {
                return;
            }
            try (PreparedStatement s = statement) {
                if (pending > 0) {
                    s.executeBatch();
                }
            }
        }
    }
}
