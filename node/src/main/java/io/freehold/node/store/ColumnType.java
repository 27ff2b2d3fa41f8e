package io.freehold.node.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The four kinds of column the state tables have, and how each crosses JDBC and the journal's text
 * form. In Java a column value is a {@link String} (lowercase hex), {@link BigInteger} (uint256),
 * {@link Long} (block numbers, unix times) or {@link Boolean}.
 */
enum ColumnType {
    /**
     * VARCHAR: addresses, market ids, hashes. Never contains the journal's separator (hex only).
     */
    TEXT {
        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setString(index, (String) value);
        }

        @Override
        Object read(ResultSet rs, int index) throws SQLException {
            return rs.getString(index);
        }

        @Override
        String encode(Object value) {
            String text = (String) value;
            if (text.indexOf(',') >= 0) {
                throw new IllegalArgumentException("a text column may not contain ',': " + text);
            }
            return text;
        }

        @Override
        Object decode(String text) {
            return text;
        }
    },
    /** NUMERIC(78,0): a uint256, exact both ways. */
    UINT {
        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setBigDecimal(index, new BigDecimal((BigInteger) value));
        }

        @Override
        Object read(ResultSet rs, int index) throws SQLException {
            return rs.getBigDecimal(index).toBigIntegerExact();
        }

        @Override
        String encode(Object value) {
            return value.toString();
        }

        @Override
        Object decode(String text) {
            return new BigInteger(text);
        }
    },
    /** BIGINT. */
    LONG {
        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setLong(index, (Long) value);
        }

        @Override
        Object read(ResultSet rs, int index) throws SQLException {
            return rs.getLong(index);
        }

        @Override
        String encode(Object value) {
            return value.toString();
        }

        @Override
        Object decode(String text) {
            return Long.valueOf(text);
        }
    },
    /** BOOLEAN. */
    BOOL {
        @Override
        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            ps.setBoolean(index, (Boolean) value);
        }

        @Override
        Object read(ResultSet rs, int index) throws SQLException {
            return rs.getBoolean(index);
        }

        @Override
        String encode(Object value) {
            return (Boolean) value ? "t" : "f";
        }

        @Override
        Object decode(String text) {
            return switch (text) {
                case "t" -> Boolean.TRUE;
                case "f" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not a journaled boolean: " + text);
            };
        }
    };

    abstract void bind(PreparedStatement ps, int index, Object value) throws SQLException;

    abstract Object read(ResultSet rs, int index) throws SQLException;

    /** The value as journal text. */
    abstract String encode(Object value);

    /** The inverse of {@link #encode}. */
    abstract Object decode(String text);
}
