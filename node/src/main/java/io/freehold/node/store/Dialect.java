package io.freehold.node.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the two supported databases spell differently: insert-or-update by key, and how a large read
 * streams. Everything else the store runs is plain SQL both accept.
 */
enum Dialect {
    /** H2's own {@code MERGE ... KEY}: one index probe, no exception path, fastest on H2. */
    H2 {
        @Override
        String upsert(String table, List<Column> columns, int keyColumns) {
            return "MERGE INTO "
                    + table
                    + " ("
                    + names(columns)
                    + ") KEY ("
                    + names(columns.subList(0, keyColumns))
                    + ") VALUES ("
                    + placeholders(columns.size())
                    + ")";
        }

        /**
         * H2 buffers a whole result before returning its first row and spills it to a temporary
         * file past 40,000 rows: a million positions were written out and read back on every start.
         * Lazy execution hands rows over as the primary-key index yields them.
         */
        @Override
        void streamReads(Connection connection, boolean on) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("SET LAZY_QUERY_EXECUTION " + (on ? "TRUE" : "FALSE"));
            }
        }
    },
    /**
     * {@code INSERT ... ON CONFLICT}: one statement per row, which the PostgreSQL driver folds into
     * multi-row inserts with {@code reWriteBatchedInserts=true}. A batch never holds a key twice
     * (the store coalesces changes by key first), so the multi-row form cannot hit a key twice.
     */
    POSTGRESQL {
        @Override
        String upsert(String table, List<Column> columns, int keyColumns) {
            String insert =
                    insert(table, columns)
                            + " ON CONFLICT ("
                            + names(columns.subList(0, keyColumns))
                            + ") DO ";
            if (keyColumns == columns.size()) {
                return insert + "NOTHING";
            }
            return insert
                    + "UPDATE SET "
                    + columns.subList(keyColumns, columns.size()).stream()
                            .map(c -> c.name() + " = EXCLUDED." + c.name())
                            .collect(Collectors.joining(", "));
        }
    };

    /**
     * Makes the session's queries hand rows over as they are read ({@code on}) or puts it back.
     * Nothing to do on PostgreSQL, whose driver streams with a fetch size inside a transaction.
     */
    void streamReads(Connection connection, boolean on) throws SQLException {}

    /** The SQL that writes a whole row, inserting it or replacing the row with the same key. */
    abstract String upsert(String table, List<Column> columns, int keyColumns);

    /** The dialect of the database behind {@code connection}. */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        return switch (product) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRESQL;
            default ->
                    throw new StateStoreException(
                            "unsupported database '"
                                    + product
                                    + "': the store runs on H2 or PostgreSQL");
        };
    }

    static String names(List<Column> columns) {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /** A plain insert of every column, the same on both databases. */
    static String insert(String table, List<Column> columns) {
        return "INSERT INTO "
                + table
                + " ("
                + names(columns)
                + ") VALUES ("
                + placeholders(columns.size())
                + ")";
    }

    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
