package io.freehold.node.store;

import static io.freehold.node.store.Fixtures.address;
import static io.freehold.node.store.Fixtures.header;
import static io.freehold.node.store.Fixtures.market;
import static io.freehold.node.store.Fixtures.marketId;
import static io.freehold.node.store.Fixtures.position;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row changes per second into the store, printed, never asserted (timed assertions are flaky). Run
 * with {@code -Dfreehold.bench=true -Dtest=StoreThroughputBenchmark}. {@code -Dfreehold.bench.rows}
 * sets the size (default 200,000); {@code -Dfreehold.bench.h2} the H2 URL options; {@code
 * -Dfreehold.bench.blocks} the blocks per historical commit (default 100, of 1,000 changes each).
 * Only commits are timed: the changes are built before the clock starts.
 */
@EnabledIfSystemProperty(named = "freehold.bench", matches = "true")
class StoreThroughputBenchmark {

    private static final int ROWS = Integer.getInteger("freehold.bench.rows", 200_000);
    private static final int BLOCKS_PER_COMMIT = Integer.getInteger("freehold.bench.blocks", 100);
    private static final int CHANGES_PER_BLOCK = 1_000;

    @TempDir Path dir;

    private long block;

    @Test
    void h2() throws Exception {
        String options =
                System.getProperty("freehold.bench.h2", ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        run("H2", "jdbc:h2:file:" + dir.resolve("freehold") + options);
        try (var files = Files.walk(dir)) {
            long bytes =
                    files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            System.out.printf(
                    "H2         file size after the run: %,d MB (options %s)%n",
                    bytes >> 20, options);
        }
    }

    @Test
    void postgres() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            run(
                    "PostgreSQL",
                    pg.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
        }
    }

    private void run(String name, String url) {
        System.out.printf(
                "%-10s load average at start: %.2f%n",
                name, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            Flyway.configure().dataSource(pool).load().migrate();
            JdbcStateStore store = new JdbcStateStore(pool);
            block = 0;

            // Historical sync from genesis: every change a new position (nothing coalesces), no
            // journal.
            timeCommits(
                    store,
                    name,
                    "historical: new positions",
                    historical(i -> StateChange.put(position(1 + i % 10, i, i))));

            // Historical sync later on: positions updated in random order, and their market per
            // block.
            timeCommits(
                    store,
                    name,
                    "historical: random updates",
                    historical(
                            i -> {
                                long account = (i * 104_729L) % ROWS;
                                return StateChange.put(position(1 + account % 10, account, i + 1));
                            }));

            // Realistic mix: each event moves one random position and accrues its market (2
            // changes).
            timeCommits(
                    store,
                    name,
                    "historical: events (position + market)",
                    historical(
                            i -> {
                                long account = (i * 7_919L) % ROWS;
                                return i % 2 == 0
                                        ? StateChange.put(
                                                position(1 + account % 10, account, i + 2))
                                        : StateChange.put(
                                                market(1 + account % 10, BigInteger.valueOf(i), i));
                            }));

            // At the head: one reversible block per commit, every change journaled, 10% removals.
            long windowStart = block;
            List<List<BlockChanges>> head = new ArrayList<>();
            int headRows = Math.min(ROWS / 4, 50_000);
            for (int done = 0; done < headRows; done += CHANGES_PER_BLOCK) {
                List<StateChange> changes = new ArrayList<>(CHANGES_PER_BLOCK);
                for (int i = 0; i < CHANGES_PER_BLOCK; i++) {
                    long account = ((block + 1) * 31L + i * 7_919L) % ROWS;
                    changes.add(
                            i % 10 == 0
                                    ? StateChange.removePosition(
                                            marketId(1 + account % 10), address(account))
                                    : StateChange.put(
                                            position(1 + account % 10, account, block * 3 + i)));
                }
                head.add(List.of(new BlockChanges(header(++block), true, changes)));
            }
            timeCommits(store, name, "reversible (journaled), 1 block per commit", head);

            long start = System.nanoTime();
            store.rollbackTo(windowStart);
            report(name, "rollback of " + (block - windowStart) + " blocks", headRows, start);

            start = System.nanoTime();
            int loaded = store.loadAll().positions().size();
            report(name, "loadAll (positions)", loaded, start);
        }
    }

    private List<List<BlockChanges>> historical(
            java.util.function.LongFunction<StateChange> change) {
        List<List<BlockChanges>> commits = new ArrayList<>();
        long i = 0;
        while (i < ROWS) {
            List<BlockChanges> blocks = new ArrayList<>();
            for (int b = 0; b < BLOCKS_PER_COMMIT && i < ROWS; b++) {
                List<StateChange> changes = new ArrayList<>(CHANGES_PER_BLOCK);
                for (int c = 0; c < CHANGES_PER_BLOCK; c++) {
                    changes.add(change.apply(i++));
                }
                blocks.add(new BlockChanges(header(++block), false, changes));
            }
            commits.add(blocks);
        }
        return commits;
    }

    private static void timeCommits(
            StateStore store, String db, String what, List<List<BlockChanges>> commits) {
        long changes =
                commits.stream().flatMap(List::stream).mapToLong(b -> b.changes().size()).sum();
        long start = System.nanoTime();
        for (List<BlockChanges> commit : commits) {
            store.commit(commit);
        }
        report(db, what, changes, start);
    }

    private static void report(String db, String what, long rows, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf(
                "%-10s %-45s %,9d row changes in %6.2f s = %,8.0f /s%n",
                db, what, rows, seconds, rows / seconds);
    }
}
