package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.types.BlockHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The checkpoint table's single row (id = 1). */
final class CheckpointRow {

    private CheckpointRow() {}

    /**
     * Reads the checkpoint. {@code forUpdate} locks the row until the transaction ends, so that two
     * writers on one database (two node processes by mistake) cannot both build on the same
     * checkpoint.
     */
    static Optional<Checkpoint> read(Connection c, boolean forUpdate) throws SQLException {
        String sql =
                "SELECT block_number, block_hash, block_timestamp FROM checkpoint WHERE id = 1"
                        + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(
                    new Checkpoint(rs.getLong(1), new BlockHash(rs.getString(2)), rs.getLong(3)));
        }
    }

    static void write(Connection c, Checkpoint checkpoint) throws SQLException {
        try (PreparedStatement update =
                c.prepareStatement(
                        "UPDATE checkpoint SET block_number = ?, block_hash = ?, block_timestamp = ? WHERE id = 1")) {
            bind(update, checkpoint, 1);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT INTO checkpoint (block_number, block_hash, block_timestamp, id) VALUES (?, ?, ?, 1)")) {
            bind(insert, checkpoint, 1);
            insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Checkpoint checkpoint, int from)
            throws SQLException {
        ps.setLong(from, checkpoint.number());
        ps.setString(from + 1, checkpoint.hash().hex());
        ps.setLong(from + 2, checkpoint.timestamp());
    }
}
