package io.freehold.node.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Connection and transaction handling: every store operation is one of these two shapes. Shared by
 * the node's stores (the state store here, the liquidation attempts in {@code
 * io.freehold.node.liquidation}).
 */
public final class Jdbc {

    /**
     * Work on a connection; may throw SQLException, which becomes a {@link StateStoreException}.
     */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Jdbc() {}

    /**
     * Runs {@code work} in one transaction at the given isolation level: committed if it returns,
     * rolled back if it throws anything. The connection's settings are restored before it goes back
     * to the pool.
     *
     * @param what what the work does, for the message of a failure
     */
    public static <T> T inTransaction(
            DataSource dataSource, String what, int isolation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int previousIsolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            if (isolation != previousIsolation) {
                c.setTransactionIsolation(isolation);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                if (isolation != previousIsolation) {
                    c.setTransactionIsolation(previousIsolation);
                }
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StateStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode: single reads. */
    public static <T> T read(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StateStoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code e} comes of a primary or unique key met twice (SQLSTATE 23505 on H2 and
     * PostgreSQL, also inside a batch's chained exceptions).
     */
    static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if ("23505".equals(s.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
