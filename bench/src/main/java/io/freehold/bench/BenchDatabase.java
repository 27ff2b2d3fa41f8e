package io.freehold.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.node.store.JdbcStateStore;
import io.freehold.node.store.StateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * An H2 file (or embedded PostgreSQL) store opened as the node opens it (Hikari, Flyway, the
 * store), with the node's URL options.
 */
final class BenchDatabase implements AutoCloseable {

    final String url;
    private final HikariDataSource pool = new HikariDataSource();
    final StateStore store;

    BenchDatabase(Path file) {
        this(url(file), "sa"); // the node's default user (application.yml): it reopens this file
    }

    private BenchDatabase(String url, String user) {
        this.url = url;
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setMaximumPoolSize(4);
        Flyway.configure().dataSource(pool).load().migrate();
        store = new JdbcStateStore(pool);
    }

    static BenchDatabase h2(Path file) {
        return new BenchDatabase(file);
    }

    /**
     * A new database on an embedded PostgreSQL, with the driver options the node's documentation
     * gives.
     */
    static BenchDatabase postgres(EmbeddedPostgres postgres, String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new BenchDatabase(
                postgres.getJdbcUrl("postgres", name) + "&reWriteBatchedInserts=true", "postgres");
    }

    /** The node's default H2 options (application.yml), on this file. */
    static String url(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * Closes the database before returning. Closing the pool alone leaves H2 to close the file (and
     * compact it) on Hikari's closer thread after the last connection goes, which then ran during
     * the next run's raw read and sync and slowed whichever it met.
     */
    @Override
    public void close() {
        if (url.startsWith("jdbc:h2:")) {
            // Its own connection, not the pool's: SHUTDOWN closes the connection it runs on.
            try (Connection c = DriverManager.getConnection(url, pool.getUsername(), "");
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException("closing the H2 file " + url, e);
            }
        }
        pool.close();
    }
}
