package io.freehold.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The restart benchmark's baseline, run as its own process: opens the store and reads every column
 * of every state row with plain JDBC ({@code getObject}, no records, no index), streaming as the
 * node does (H2's lazy execution). Prints the number of rows read. The least a start that reads the
 * store must do.
 */
public final class RawRead {

    private static final String[] TABLES = {
        "market",
        "position",
        "price_feed",
        "token_state",
        "frozen_account",
        "verified_account",
        "block_header",
        "checkpoint"
    };

    private RawRead() {}

    public static void main(String[] args) throws Exception {
        long rows = 0;
        long checksum = 0;
        try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
            for (String table : TABLES) {
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table)) {
                    ps.setFetchSize(10_000);
                    try (ResultSet rs = ps.executeQuery()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                Object value = rs.getObject(i);
                                checksum += value == null ? 0 : 1;
                            }
                            rows++;
                        }
                    }
                }
            }
            c.rollback();
        }
        System.out.println(checksum > 0 ? rows : 0);
    }
}
