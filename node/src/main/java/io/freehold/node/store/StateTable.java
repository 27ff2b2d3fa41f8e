package io.freehold.node.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One table of state rows, described once so that writing, reading, journaling and restoring work
 * the same way for every record type. A row is handled as an {@code Object[]} of column values in
 * declaration order; the first {@code keyColumns} of them are the primary key.
 *
 * @param <R> the domain record a row holds
 */
final class StateTable<R> {

    /**
     * Primary keys ({@link #keyOf}) column by column, each column in its type's natural order: the
     * order the store reads rows in (text keys are lower-case hex, which sorts the same as text).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final Comparator<List<Object>> KEY_ORDER =
            (a, b) -> {
                for (int i = 0; i < a.size(); i++) {
                    int c = ((Comparable) a.get(i)).compareTo(b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            };

    private final String name;
    private final List<Column> columns;
    private final int keyColumns;
    private final Function<R, Object[]> toColumns;
    private final Function<Object[], R> fromColumns;
    private final String selectAll;
    private final String selectByKey;
    private final String deleteByKey;
    private final String insert;

    StateTable(
            String name,
            List<Column> columns,
            int keyColumns,
            Function<R, Object[]> toColumns,
            Function<Object[], R> fromColumns) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.keyColumns = keyColumns;
        this.toColumns = toColumns;
        this.fromColumns = fromColumns;
        String keyNames = Dialect.names(this.columns.subList(0, keyColumns));
        String keyMatch =
                String.join(
                        " AND ",
                        this.columns.subList(0, keyColumns).stream()
                                .map(c -> c.name() + " = ?")
                                .toList());
        this.selectAll =
                "SELECT " + Dialect.names(this.columns) + " FROM " + name + " ORDER BY " + keyNames;
        this.selectByKey =
                "SELECT " + Dialect.names(this.columns) + " FROM " + name + " WHERE " + keyMatch;
        this.deleteByKey = "DELETE FROM " + name + " WHERE " + keyMatch;
        this.insert = Dialect.insert(name, this.columns);
    }

    String name() {
        return name;
    }

    List<Column> columns() {
        return columns;
    }

    String selectAllSql() {
        return selectAll;
    }

    String selectByKeySql() {
        return selectByKey;
    }

    String deleteSql() {
        return deleteByKey;
    }

    /** A plain insert of a whole row: for rows the table cannot hold yet. */
    String insertSql() {
        return insert;
    }

    String upsertSql(Dialect dialect) {
        return dialect.upsert(name, columns, keyColumns);
    }

    Object[] columnsOf(R row) {
        Object[] values = toColumns.apply(row);
        if (values.length != columns.size()) {
            throw new IllegalStateException(
                    name
                            + ": mapped "
                            + values.length
                            + " values for "
                            + columns.size()
                            + " columns");
        }
        return values;
    }

    R rowOf(Object[] values) {
        return fromColumns.apply(values);
    }

    /** The primary key of a row, or of a key-only value array; usable as a map key. */
    List<Object> keyOf(Object[] values) {
        return List.of(Arrays.copyOf(values, keyColumns));
    }

    void bindRow(PreparedStatement ps, Object[] values) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).type().bind(ps, i + 1, values[i]);
        }
    }

    void bindKey(PreparedStatement ps, List<Object> key) throws SQLException {
        for (int i = 0; i < keyColumns; i++) {
            columns.get(i).type().bind(ps, i + 1, key.get(i));
        }
    }

    /** Reads the current row of {@code rs}, selected with all columns in declaration order. */
    Object[] read(ResultSet rs) throws SQLException {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).type().read(rs, i + 1);
        }
        return values;
    }

    /** A key as journal text: its columns' text joined by commas. */
    String encodeKey(List<Object> key) {
        return encode(key.toArray(), keyColumns);
    }

    List<Object> decodeKey(String text) {
        return keyOf(decode(text, keyColumns));
    }

    /** A whole row as journal text. */
    String encodeRow(Object[] values) {
        return encode(values, columns.size());
    }

    Object[] decodeRow(String text) {
        return decode(text, columns.size());
    }

    private String encode(Object[] values, int count) {
        StringBuilder out = new StringBuilder(count * 24);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(columns.get(i).type().encode(values[i]));
        }
        return out.toString();
    }

    private Object[] decode(String text, int count) {
        String[] parts = text.split(",", -1);
        if (parts.length != count) {
            throw new StateStoreException(
                    "corrupt journal entry for "
                            + name
                            + ": expected "
                            + count
                            + " values, found "
                            + parts.length
                            + " in '"
                            + text
                            + "'");
        }
        Object[] values = new Object[count];
        for (int i = 0; i < count; i++) {
            values[i] = columns.get(i).type().decode(parts[i]);
        }
        return values;
    }

    @Override
    public String toString() {
        return name;
    }
}
