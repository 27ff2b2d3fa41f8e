package io.freehold.node.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The journal table: the before-images that let reversible blocks be undone. */
final class JournalRows {

    private JournalRows() {}

    static void insert(Connection c, List<JournalEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO journal (block_number, seq, table_name, row_key, before_image) VALUES (?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (JournalEntry e : entries) {
                ps.setLong(1, e.block());
                ps.setInt(2, e.seq());
                ps.setString(3, e.table().name());
                ps.setString(4, e.table().encodeKey(e.key()));
                if (e.before() == null) {
                    ps.setNull(5, Types.VARCHAR);
                } else {
                    ps.setString(5, e.table().encodeRow(e.before()));
                }
                ps.addBatch();
                if (++pending == NetChanges.BATCH_SIZE) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /** The entries of every block above {@code block}, newest first: the order to undo them in. */
    static List<JournalEntry> readAbove(Connection c, long block) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT block_number, seq, table_name, row_key, before_image FROM journal"
                                + " WHERE block_number > ? ORDER BY block_number DESC, seq DESC")) {
            ps.setLong(1, block);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StateTable<?> table = StateTables.named(rs.getString(3));
                    String image = rs.getString(5);
                    entries.add(
                            new JournalEntry(
                                    rs.getLong(1),
                                    rs.getInt(2),
                                    table,
                                    table.decodeKey(rs.getString(4)),
                                    image == null ? null : table.decodeRow(image)));
                }
            }
        }
        return entries;
    }

    /** Each journaled row with the newest block that changed it. */
    static List<ReversibleChange> newestChanges(Connection c) throws SQLException {
        List<ReversibleChange> changes = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT table_name, row_key, MAX(block_number) FROM journal GROUP BY table_name, row_key");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                StateTable<?> table = StateTables.named(rs.getString(1));
                List<String> key =
                        table.decodeKey(rs.getString(2)).stream().map(String::valueOf).toList();
                changes.add(new ReversibleChange(table.name(), key, rs.getLong(3)));
            }
        }
        return changes;
    }

    /** The key of every row a block above {@code block} changed, by table name. */
    static List<Map.Entry<StateTable<?>, List<Object>>> keysAbove(Connection c, long block)
            throws SQLException {
        List<Map.Entry<StateTable<?>, List<Object>>> keys = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT DISTINCT table_name, row_key FROM journal WHERE block_number > ?")) {
            ps.setLong(1, block);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StateTable<?> table = StateTables.named(rs.getString(1));
                    keys.add(Map.entry(table, table.decodeKey(rs.getString(2))));
                }
            }
        }
        return keys;
    }

    static int deleteAbove(Connection c, long block) throws SQLException {
        return delete(c, "DELETE FROM journal WHERE block_number > ?", block);
    }

    static int deleteBelow(Connection c, long block) throws SQLException {
        return delete(c, "DELETE FROM journal WHERE block_number < ?", block);
    }

    private static int delete(Connection c, String sql, long block) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, block);
            return ps.executeUpdate();
        }
    }
}
