package io.freehold.node.ingest;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.node.store.JdbcStateStore;
import io.freehold.node.store.StateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A store database for ingestion tests, opened as the node opens it (Hikari, Flyway, the store): an
 * H2 file, or a fresh database on an embedded PostgreSQL shared by the JVM.
 */
public final class TestDatabase implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    final String url;
    private HikariDataSource pool;

    private TestDatabase(String url) {
        this.url = url;
    }

    public static TestDatabase h2(Path dir) {
        return new TestDatabase(
                "jdbc:h2:file:"
                        + dir.resolve("freehold")
                        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
    }

    /**
     * A new database on the JVM's embedded PostgreSQL (started on first use, stopped at JVM exit).
     */
    public static synchronized TestDatabase postgres() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                EmbeddedPostgres started = postgres;
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            try {
                                                started.close();
                                            } catch (IOException e) {
                                                // the JVM is exiting; the data directory is
                                                // temporary
                                            }
                                        }));
            }
            String name = "ingest_test_" + DATABASES.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return new TestDatabase(
                    postgres.getJdbcUrl("postgres", name) + "&reWriteBatchedInserts=true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens (or reopens, after {@link #close()}) the store. */
    public StateStore open() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(4);
        Flyway.configure().dataSource(pool).load().migrate();
        return new JdbcStateStore(pool);
    }

    /** The open pool (after {@link #open()}), for stores other than the state store. */
    public DataSource dataSource() {
        if (pool == null) {
            throw new IllegalStateException("open() the database first");
        }
        return pool;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
