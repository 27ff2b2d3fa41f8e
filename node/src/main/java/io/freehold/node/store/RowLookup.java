package io.freehold.node.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads single rows by key on one connection, preparing each table's statement once. */
final class RowLookup implements AutoCloseable {

    private final Connection connection;
    private final Map<StateTable<?>, PreparedStatement> statements = new HashMap<>();

    RowLookup(Connection connection) {
        this.connection = connection;
    }

    /** The row's columns, or null if there is no row with this key. */
    Object[] find(StateTable<?> table, List<Object> key) throws SQLException {
        PreparedStatement ps = statements.get(table);
        if (ps == null) {
            ps = connection.prepareStatement(table.selectByKeySql());
            statements.put(table, ps);
        }
        table.bindKey(ps, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? table.read(rs) : null;
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
