package io.freehold.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.node.store.JdbcStateStore;
import io.freehold.node.store.StateStore;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/** An H2 file store opened as the node opens it (Hikari, Flyway, the store), with the node's URL options. */
final class BenchDatabase implements AutoCloseable {

    final String url;
    private final HikariDataSource pool = new HikariDataSource();
    final StateStore store;

    BenchDatabase(Path file) {
        this.url = url(file);
        pool.setJdbcUrl(url);
        pool.setUsername("sa"); // the node's default user (application.yml): it reopens this file
        pool.setMaximumPoolSize(4);
        Flyway.configure().dataSource(pool).load().migrate();
        store = new JdbcStateStore(pool);
    }

    /** The node's default H2 options (application.yml), on this file. */
    static String url(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public void close() {
        pool.close();
    }
}
