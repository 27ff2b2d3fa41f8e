package io.freehold.node.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads whole tables, streaming rows rather than holding the driver's copy of all of them. */
final class SnapshotReader {

    /** Rows per round trip. PostgreSQL streams only with a fetch size, inside a transaction. */
    private static final int FETCH_SIZE = 10_000;

    private SnapshotReader() {}

    static StateSnapshot read(Connection c) throws SQLException {
        Dialect dialect = Dialect.of(c);
        dialect.streamReads(c, true);
        try {
            return readTables(c);
        } finally {
            dialect.streamReads(c, false); // the connection goes back to the pool
        }
    }

    private static StateSnapshot readTables(Connection c) throws SQLException {
        List<List<?>> rows = new ArrayList<>(StateSnapshot.TABLES.size());
        for (StateTable<?> table : StateSnapshot.TABLES) {
            rows.add(readAll(c, table));
        }
        return StateSnapshot.of(CheckpointRow.read(c, false), HeaderRows.from(c, 0), rows);
    }

    static <R> List<R> readAll(Connection c, StateTable<R> table) throws SQLException {
        List<R> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(table.selectAllSql())) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(table.rowOf(table.read(rs)));
                }
            }
        }
        return rows;
    }
}
