package io.freehold.node.store;

import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The block_header table: the stored window, and which of its blocks are journaled. */
final class HeaderRows {

    private static final String COLUMNS = "block_number, block_hash, parent_hash, block_timestamp";

    private HeaderRows() {}

    static void insert(Connection c, List<BlockChanges> blocks) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO block_header ("
                                + COLUMNS
                                + ", journaled) VALUES (?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (BlockChanges block : blocks) {
                BlockHeader h = block.header();
                ps.setLong(1, h.number());
                ps.setString(2, h.hash().hex());
                ps.setString(3, h.parentHash().hex());
                ps.setLong(4, h.timestamp());
                ps.setBoolean(5, block.reversible());
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

    static Optional<BlockHeader> get(Connection c, long number) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM block_header WHERE block_number = ?")) {
            ps.setLong(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static List<BlockHeader> from(Connection c, long fromBlock) throws SQLException {
        List<BlockHeader> headers = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM block_header WHERE block_number >= ? ORDER BY block_number")) {
            ps.setLong(1, fromBlock);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    headers.add(read(rs));
                }
            }
        }
        return headers;
    }

    /** The newest block stored without a journal: no rollback can go below it. */
    static OptionalLong newestUnjournaled(Connection c) throws SQLException {
        return queryLong(c, "SELECT MAX(block_number) FROM block_header WHERE journaled = FALSE");
    }

    /** How many blocks in {@code from..to} are stored with their journal. */
    static long journaledBetween(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT COUNT(*) FROM block_header"
                                + " WHERE block_number >= ? AND block_number <= ? AND journaled = TRUE")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static OptionalLong oldest(Connection c) throws SQLException {
        return queryLong(c, "SELECT MIN(block_number) FROM block_header");
    }

    static int deleteAbove(Connection c, long block) throws SQLException {
        return delete(c, "DELETE FROM block_header WHERE block_number > ?", block);
    }

    static int deleteBelow(Connection c, long block) throws SQLException {
        return delete(c, "DELETE FROM block_header WHERE block_number < ?", block);
    }

    private static BlockHeader read(ResultSet rs) throws SQLException {
        return new BlockHeader(
                rs.getLong(1),
                new BlockHash(rs.getString(2)),
                new BlockHash(rs.getString(3)),
                rs.getLong(4));
    }

    private static OptionalLong queryLong(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            long value = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }

    private static int delete(Connection c, String sql, long block) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, block);
            return ps.executeUpdate();
        }
    }
}
