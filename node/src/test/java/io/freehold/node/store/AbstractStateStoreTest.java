package io.freehold.node.store;

import static io.freehold.node.store.Fixtures.MAX;
import static io.freehold.node.store.Fixtures.address;
import static io.freehold.node.store.Fixtures.block;
import static io.freehold.node.store.Fixtures.forkBlock;
import static io.freehold.node.store.Fixtures.frozen;
import static io.freehold.node.store.Fixtures.header;
import static io.freehold.node.store.Fixtures.liquidation;
import static io.freehold.node.store.Fixtures.market;
import static io.freehold.node.store.Fixtures.marketId;
import static io.freehold.node.store.Fixtures.position;
import static io.freehold.node.store.Fixtures.priceFeed;
import static io.freehold.node.store.Fixtures.token;
import static io.freehold.node.store.Fixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.state.VerifiedAccount;
import io.freehold.types.Address;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link StateStore} database must do. Subclasses supply a fresh, empty database per
 * test; the store is opened on it the way the node opens it (a Hikari pool, Flyway, the store).
 */
abstract class AbstractStateStoreTest {

    private String url;
    private HikariDataSource pool;
    StateStore store;

    /** A JDBC URL of a new, empty database for one test. */
    abstract String newDatabaseUrl() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        url = newDatabaseUrl();
        open();
    }

    @AfterEach
    void closeStore() {
        pool.close();
    }

    /**
     * Closes the pool (and, for an embedded H2, the database) and opens a new store on the same
     * data.
     */
    void restart() {
        pool.close();
        open();
    }

    private void open() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(4);
        Flyway.configure().dataSource(pool).load().migrate();
        store = new JdbcStateStore(pool);
    }

    DataSource dataSource() {
        return pool;
    }

    long count(String table) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static StateSnapshot withoutHeaders(StateSnapshot s) {
        return new StateSnapshot(
                s.checkpoint(),
                List.of(),
                s.markets(),
                s.positions(),
                s.priceFeeds(),
                s.tokens(),
                s.frozenAccounts(),
                s.verifiedAccounts());
    }

    @Test
    void roundTripsEveryRecordAtUint256Max() {
        BlockHeader header =
                new BlockHeader(1, Fixtures.hash(1, 0), Fixtures.hash(0, 0), Long.MAX_VALUE);
        var bigMarket = market(1, MAX, Long.MAX_VALUE);
        var zeroMarket = market(2, BigInteger.ZERO, 0);
        var bigPosition = new PositionRecord(marketId(1), address(100), MAX, MAX, MAX, MAX, MAX);
        var zeroPosition = position(2, 100, 0);
        var feed = new PriceFeedRecord(address(1001), MAX, Long.MAX_VALUE, MAX, 10_000);
        var paused = new TokenRecord(address(1001), true, MAX, MAX, MAX, MAX);
        var running = token(1002, false, 0);

        store.commit(
                List.of(
                        new BlockChanges(
                                header,
                                false,
                                List.of(
                                        StateChange.put(bigMarket),
                                        StateChange.put(zeroMarket),
                                        StateChange.put(bigPosition),
                                        StateChange.put(zeroPosition),
                                        StateChange.put(feed),
                                        StateChange.put(paused),
                                        StateChange.put(running),
                                        StateChange.put(frozen(1001, 100)),
                                        StateChange.put(verified(100))))));

        assertThat(store.market(marketId(1))).contains(bigMarket);
        assertThat(store.market(marketId(2))).contains(zeroMarket);
        assertThat(store.market(marketId(3))).isEmpty();
        assertThat(store.position(marketId(1), address(100))).contains(bigPosition);
        assertThat(store.position(marketId(1), address(101))).isEmpty();
        assertThat(store.priceFeed(address(1001))).contains(feed);
        assertThat(store.token(address(1001))).contains(paused);
        assertThat(store.token(address(1002))).contains(running);
        assertThat(store.isFrozen(address(1001), address(100))).isTrue();
        assertThat(store.isFrozen(address(1002), address(100))).isFalse();
        assertThat(store.isVerified(address(100))).isTrue();
        assertThat(store.isVerified(address(101))).isFalse();
        assertThat(store.checkpoint()).contains(Checkpoint.of(header));
        assertThat(store.headers(0)).containsExactly(header);
        assertThat(store.loadAll())
                .isEqualTo(
                        new StateSnapshot(
                                Optional.of(Checkpoint.of(header)),
                                List.of(header),
                                List.of(bigMarket, zeroMarket),
                                List.of(bigPosition, zeroPosition),
                                List.of(feed),
                                List.of(paused, running),
                                List.of(frozen(1001, 100)),
                                List.of(verified(100))));

        // The same values through the journal: overwritten in a reversible block, then restored.
        StateSnapshot before = store.loadAll();
        store.commit(
                List.of(
                        new BlockChanges(
                                Fixtures.header(2),
                                true,
                                List.of(
                                        StateChange.put(market(1)),
                                                StateChange.put(position(1, 100, 5)),
                                        StateChange.put(priceFeed(1001, BigInteger.ONE)),
                                                StateChange.put(token(1001, false, 1)),
                                        StateChange.remove(frozen(1001, 100)),
                                                StateChange.remove(verified(100))))));
        store.rollbackTo(1);
        assertThat(store.loadAll()).isEqualTo(before);
    }

    @Test
    void rollbackRestoresEachEarlierStateExactly() throws SQLException {
        store.commit(
                List.of(
                        block(
                                10,
                                false,
                                StateChange.put(market(1)),
                                StateChange.put(market(2)),
                                StateChange.put(position(1, 100, 1)),
                                StateChange.put(position(1, 101, 2)),
                                StateChange.put(position(2, 100, 3)),
                                StateChange.put(priceFeed(1001, BigInteger.TEN)),
                                StateChange.put(token(1001, false, 0)),
                                StateChange.put(frozen(1001, 100)),
                                StateChange.put(verified(100)),
                                StateChange.put(verified(101)))));
        StateSnapshot s10 = store.loadAll();

        BlockChanges b11 =
                block(
                        11,
                        true,
                        StateChange.put(
                                market(1, BigInteger.valueOf(99), 1_700_000_100L)), // update
                        StateChange.put(position(1, 102, 4)), // insert
                        StateChange.put(position(1, 100, 5)), // update
                        StateChange.put(frozen(1001, 101)), // add to a set
                        StateChange.remove(verified(100)), // delete
                        StateChange.put(market(3)));
        BlockChanges b12 =
                block(
                        12,
                        true,
                        StateChange.put(position(1, 102, 6)), // update a row inserted in 11
                        StateChange.removePosition(
                                marketId(1), address(101)), // delete a row from before the window
                        StateChange.remove(frozen(1001, 100)),
                        StateChange.put(priceFeed(1001, BigInteger.valueOf(11))),
                        StateChange.put(position(2, 100, 7)),
                        StateChange.put(position(2, 100, 8)), // twice in one block
                        StateChange.put(token(1001, true, 5)));
        BlockChanges b13 =
                block(
                        13,
                        true,
                        StateChange.put(position(1, 101, 9)), // re-create the row deleted in 12
                        StateChange.removePosition(
                                marketId(1), address(102)), // delete the row inserted in 11
                        StateChange.put(verified(100)),
                        StateChange.put(position(2, 100, 10)),
                        StateChange.put(position(3, 200, 11)),
                        StateChange.removePosition(marketId(3), address(200)),
                        StateChange.removeMarket(marketId(3)));

        store.commit(List.of(b11));
        StateSnapshot s11 = store.loadAll();
        store.commit(List.of(b12, b13)); // several reversible blocks in one commit
        StateSnapshot s13 = store.loadAll();
        assertThat(s13).isNotEqualTo(s11);

        assertThat(store.rollbackTo(11)).isEqualTo(Checkpoint.of(header(11)));
        assertThat(store.loadAll()).isEqualTo(s11);

        store.commit(List.of(b12));
        StateSnapshot s12 = store.loadAll();
        store.commit(List.of(b13));
        assertThat(store.loadAll()).isEqualTo(s13);

        store.rollbackTo(12);
        assertThat(store.loadAll()).isEqualTo(s12);
        store.rollbackTo(10);
        assertThat(store.loadAll()).isEqualTo(s10);
        assertThat(count("journal")).isZero();

        // The replacement fork applies on top of the common ancestor.
        store.commit(List.of(forkBlock(11, 1, 0, true, StateChange.put(position(1, 100, 42)))));
        assertThat(store.checkpoint().map(Checkpoint::hash)).contains(Fixtures.hash(11, 1));
        assertThat(store.position(marketId(1), address(100))).contains(position(1, 100, 42));
    }

    @Test
    void liquidationHistoryPagesNewestFirstAndLeavesWithTheBlocksThatHadIt() {
        LiquidationRecord a = liquidation(10, 3, 1, 500, 100, BigInteger.valueOf(7));
        LiquidationRecord b = liquidation(10, 9, 2, 500, 101, MAX);
        LiquidationRecord c = liquidation(11, 0, 1, 501, 101, BigInteger.ONE);
        LiquidationRecord d = liquidation(12, 4, 1, 500, 100, BigInteger.TEN);
        store.commit(List.of(block(10, false, StateChange.put(a), StateChange.put(b))));
        store.commit(
                List.of(block(11, true, StateChange.put(c)), block(12, true, StateChange.put(d))));

        assertThat(store.liquidations(query(null, null, null, 10))).containsExactly(d, c, b, a);
        assertThat(store.liquidations(query(marketId(1), null, null, 10))).containsExactly(d, c, a);
        assertThat(store.liquidations(query(null, address(101), null, 10))).containsExactly(c, b);
        assertThat(store.liquidations(query(marketId(1), address(100), null, 10)))
                .containsExactly(d, a);
        // Keyset pages: after (12,4) comes (11,0); after (10,9) comes (10,3) of the same block.
        assertThat(
                        store.liquidations(
                                query(null, null, new LiquidationQuery.LogPosition(12, 4), 1)))
                .containsExactly(c);
        assertThat(
                        store.liquidations(
                                query(null, null, new LiquidationQuery.LogPosition(10, 9), 5)))
                .containsExactly(a);

        // A reorg that orphans block 12 takes its liquidation with it; a restart keeps the rest.
        store.rollbackTo(11);
        restart();
        assertThat(store.liquidations(query(null, null, null, 10))).containsExactly(c, b, a);
        // History is not state: loading the state for memory does not read it.
        assertThat(store.loadAll().toString()).doesNotContain(a.transactionHash());
    }

    private static LiquidationQuery query(
            MarketId market, Address borrower, LiquidationQuery.LogPosition before, int limit) {
        return new LiquidationQuery(
                Optional.ofNullable(market),
                Optional.ofNullable(borrower),
                Optional.ofNullable(before),
                limit);
    }

    @Test
    void rowsPutAsNewAreInsertedAndOnesRemovedAgainInTheSameCommitAreNeverWritten() {
        List<StateChange> first = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) { // across batch boundaries, out of key order
            first.add(StateChange.putNew(verified(10_000 - i)));
        }
        // Block 2 removes the even ones again: in one commit with block 1, nothing of them is
        // written; in the next commit the odd ones are removed from the store.
        List<StateChange> second = new ArrayList<>();
        for (int i = 0; i < 2_500; i += 2) {
            second.add(StateChange.remove(verified(10_000 - i)));
        }
        store.commit(
                List.of(
                        block(1, false, first.toArray(StateChange[]::new)),
                        block(2, false, second.toArray(StateChange[]::new))));
        List<VerifiedAccount> odd = new ArrayList<>();
        for (int i = 1; i < 2_500; i += 2) {
            odd.add(verified(10_000 - i));
        }
        assertThat(store.loadAll().verifiedAccounts()).containsExactlyInAnyOrderElementsOf(odd);
        assertThat(store.isVerified(verified(10_000).account())).isFalse();
        assertThat(store.isVerified(verified(9_999).account())).isTrue();
    }

    @Test
    void aRowPutAsNewThatTheStoreHoldsIsWrittenAllTheSame() {
        store.commit(List.of(block(1, false, StateChange.put(verified(1)))));
        // The follower's state and the store disagree: the commit must not fail on every retry.
        store.commit(
                List.of(
                        block(
                                2,
                                true,
                                StateChange.putNew(verified(1)),
                                StateChange.putNew(verified(2)))));
        assertThat(store.loadAll().verifiedAccounts())
                .containsExactlyInAnyOrder(verified(1), verified(2));
        assertThat(store.checkpoint().map(Checkpoint::number)).contains(2L);
        store.rollbackTo(1); // journaled as a put over the row that was there
        assertThat(store.loadAll().verifiedAccounts()).containsExactly(verified(1));
    }

    @Test
    void rollbackOfManyRowsCrossesBatchBoundaries() {
        List<StateChange> inserts = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            inserts.add(StateChange.put(position(1, i, i)));
        }
        store.commit(List.of(new BlockChanges(header(1), false, inserts)));
        StateSnapshot s1 = store.loadAll();

        List<StateChange> changes = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            changes.add(
                    i % 2 == 0
                            ? StateChange.removePosition(marketId(1), address(i))
                            : StateChange.put(position(1, i, i + 1_000_000)));
            changes.add(StateChange.put(position(2, i, i)));
        }
        store.commit(List.of(new BlockChanges(header(2), true, changes)));
        assertThat(store.loadAll().positions()).hasSize(1_250 + 2_500);

        store.rollbackTo(1);
        assertThat(store.loadAll()).isEqualTo(s1);
    }

    @Test
    void failureInTheMiddleOfACommitLeavesNothing() throws SQLException {
        store.commit(
                List.of(
                        block(
                                1,
                                false,
                                StateChange.put(market(1)),
                                StateChange.put(position(1, 1, 1)))));
        StateSnapshot s1 = store.loadAll();

        List<BlockChanges> blocks = new ArrayList<>();
        for (long b = 2; b <= 3; b++) {
            List<StateChange> changes = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                changes.add(StateChange.put(position(b, i, i)));
            }
            changes.add(StateChange.put(market(1, BigInteger.valueOf(b), b)));
            blocks.add(new BlockChanges(header(b), true, changes));
        }
        FailingDataSource failing = new FailingDataSource(dataSource());
        StateStore faulty = new JdbcStateStore(failing.dataSource());
        // Batches: journal 1-6 (5,002 entries), positions 7-11, market 12, headers 13. Fail in each
        // stretch.
        for (int n : new int[] {1, 4, 6, 7, 10, 12, 13}) {
            failing.failBatch(n);
            assertThatThrownBy(() -> faulty.commit(blocks))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("committing blocks 2..3")
                    .hasMessageContaining("injected failure");
            assertThat(store.loadAll()).isEqualTo(s1);
            assertThat(count("journal")).isZero();
        }

        failing.failBatch(Integer.MAX_VALUE);
        faulty.commit(blocks);
        assertThat(store.checkpoint()).contains(Checkpoint.of(header(3)));
        assertThat(store.loadAll().positions()).hasSize(1 + 5_000);
    }

    @Test
    void badRowInTheMiddleOfACommitLeavesNothing() throws SQLException {
        store.commit(List.of(block(1, false, StateChange.put(market(1)))));
        // A stray header where block 3's will go: its insert fails after the state rows were
        // written.
        execute(
                "INSERT INTO block_header (block_number, block_hash, parent_hash, block_timestamp, journaled)"
                        + " VALUES (3, '"
                        + Fixtures.hash(3, 9).hex()
                        + "', '"
                        + Fixtures.hash(2, 9).hex()
                        + "', 0, TRUE)");
        StateSnapshot before = store.loadAll();

        List<BlockChanges> blocks =
                List.of(
                        block(
                                2,
                                true,
                                StateChange.put(position(1, 1, 1)),
                                StateChange.put(verified(1))),
                        block(
                                3,
                                true,
                                StateChange.put(market(1, BigInteger.TWO, 2)),
                                StateChange.remove(verified(1))));
        assertThatThrownBy(() -> store.commit(blocks))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("committing blocks 2..3");
        assertThat(store.loadAll()).isEqualTo(before);
        assertThat(count("journal")).isZero();

        execute("DELETE FROM block_header WHERE block_number = 3");
        store.commit(blocks);
        assertThat(store.checkpoint()).contains(Checkpoint.of(header(3)));
    }

    @Test
    void rollbackPastTheWindowFailsClearlyAndChangesNothing() {
        assertThatThrownBy(() -> store.rollbackTo(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing is committed");

        List<BlockChanges> history = new ArrayList<>();
        for (long b = 1; b <= 5; b++) {
            history.add(block(b, false, StateChange.put(position(1, b, b))));
        }
        store.commit(history);
        StateSnapshot s5 = store.loadAll();
        for (long b = 6; b <= 8; b++) {
            store.commit(
                    List.of(
                            block(
                                    b,
                                    true,
                                    StateChange.put(position(1, b, b)),
                                    StateChange.removePosition(marketId(1), address(b - 5)))));
        }
        StateSnapshot s8 = store.loadAll();

        assertThatThrownBy(() -> store.rollbackTo(4))
                .isInstanceOfSatisfying(
                        RollbackTooDeepException.class,
                        e -> {
                            assertThat(e.requested()).isEqualTo(4);
                            assertThat(e.oldestTarget()).isEqualTo(5);
                        })
                .hasMessageContaining("cannot roll back to block 4")
                .hasMessageContaining("block 5 above it was written without a journal")
                .hasMessageContaining("the oldest block the store can roll back to is 5");
        assertThat(store.loadAll()).isEqualTo(s8);

        assertThatThrownBy(() -> store.rollbackTo(9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above the checkpoint, block 8");
        assertThat(store.rollbackTo(8)).isEqualTo(Checkpoint.of(header(8)));
        assertThat(store.loadAll()).isEqualTo(s8);

        store.rollbackTo(5);
        assertThat(store.loadAll()).isEqualTo(s5);
    }

    /**
     * A copy of the state at an older block ({@link SnapshotFile}, written and read back), brought
     * up to date by the journal, is exactly the full load: after reversible blocks that insert,
     * update and delete rows of every table, after a rollback and a block of another fork on top;
     * and refused whenever the journal cannot say what changed: the copy's block rolled back or
     * replaced by a fork, a block after it stored without a journal, its header pruned.
     */
    @Test
    void aSnapshotBroughtUpToDateByTheJournalIsExactlyTheFullLoad(@TempDir Path dir)
            throws IOException {
        SnapshotFile file = new SnapshotFile(dir.resolve("state"));
        store.commit(
                List.of(
                        block(
                                10,
                                false,
                                StateChange.put(market(1, MAX, Long.MAX_VALUE)),
                                StateChange.put(market(2)),
                                StateChange.put(
                                        new PositionRecord(
                                                marketId(1),
                                                address(100),
                                                MAX,
                                                MAX,
                                                MAX,
                                                MAX,
                                                MAX)),
                                StateChange.put(position(1, 101, 0)),
                                StateChange.put(position(2, 100, 3)),
                                StateChange.put(priceFeed(1001, BigInteger.TEN)),
                                StateChange.put(token(1001, false, 0)),
                                StateChange.put(token(1002, true, 1)),
                                StateChange.put(frozen(1001, 100)),
                                StateChange.put(verified(100)),
                                StateChange.put(verified(101)))));
        StateSnapshot at10 = copy(file, store.loadAll());
        assertThat(at10).isEqualTo(withoutHeaders(store.loadAll()));
        assertThat(store.loadSince(at10)).contains(store.loadAll());

        store.commit(
                List.of(
                        block(
                                11,
                                true,
                                StateChange.put(market(1, BigInteger.valueOf(99), 1_700_000_100L)),
                                StateChange.put(position(1, 102, 4)), // insert
                                StateChange.put(position(1, 100, 5)), // update
                                StateChange.put(frozen(1001, 101)),
                                StateChange.remove(verified(100)), // delete
                                StateChange.put(market(3)))));
        assertThat(store.loadSince(at10)).contains(store.loadAll());
        StateSnapshot at11 = copy(file, store.loadAll());
        store.commit(
                List.of(
                        block(
                                12,
                                true,
                                StateChange.put(position(1, 102, 6)),
                                StateChange.removePosition(marketId(1), address(101)),
                                StateChange.remove(frozen(1001, 100)),
                                StateChange.put(priceFeed(1001, BigInteger.valueOf(11))),
                                StateChange.put(token(1002, false, 5)),
                                StateChange.put(liquidation(12, 0, 1, 7, 100, BigInteger.TEN))),
                        block(
                                13,
                                true,
                                StateChange.put(position(1, 101, 9)), // back after its delete
                                StateChange.removePosition(marketId(1), address(102)),
                                StateChange.put(verified(100)),
                                StateChange.put(position(3, 200, 11)),
                                StateChange.put(position(0, 50, 12)), // sorts first
                                StateChange.removePosition(marketId(3), address(200)),
                                StateChange.removeMarket(marketId(3)))));
        assertThat(store.loadSince(at10)).contains(store.loadAll());
        assertThat(store.loadSince(at11)).contains(store.loadAll());
        StateSnapshot at13 = copy(file, store.loadAll());
        assertThat(store.loadSince(at13)).contains(store.loadAll());

        // Rolled back below the copy: the store is older than the copy.
        store.rollbackTo(11);
        assertThat(store.loadSince(at13)).isEmpty();
        assertThat(store.loadSince(at11)).contains(store.loadAll());
        assertThat(store.loadSince(at10)).contains(store.loadAll());
        // Another fork's block 11..12 on top of 10: the copy of the old block 11 is of another
        // chain.
        store.rollbackTo(10);
        store.commit(
                List.of(
                        forkBlock(11, 1, 0, true, StateChange.put(position(1, 100, 42))),
                        forkBlock(12, 1, 1, true, StateChange.put(verified(102)))));
        assertThat(store.loadSince(at11)).isEmpty();
        assertThat(store.loadSince(at13)).isEmpty();
        assertThat(store.loadSince(at10)).contains(store.loadAll());

        // The copy's header pruned: whether blocks after it changed rows is no longer known.
        store.prune(11);
        assertThat(store.loadSince(at10)).isEmpty();
    }

    @Test
    void aSnapshotIsNotUsedPastABlockStoredWithoutAJournal(@TempDir Path dir) throws IOException {
        SnapshotFile file = new SnapshotFile(dir.resolve("state"));
        store.commit(List.of(block(1, false, StateChange.put(position(1, 1, 1)))));
        StateSnapshot at1 = copy(file, store.loadAll());
        store.commit(List.of(block(2, false, StateChange.put(position(1, 1, 2)))));
        assertThat(store.loadSince(at1)).isEmpty();
        assertThat(store.loadSince(copy(file, store.loadAll()))).contains(store.loadAll());
    }

    /** {@code snapshot} through the file: written, then read back. */
    private static StateSnapshot copy(SnapshotFile file, StateSnapshot snapshot)
            throws IOException {
        file.write(snapshot);
        return file.read().orElseThrow();
    }

    @Test
    void pruneForgetsTheJournalAndHeadersBelowTheWindow() throws SQLException {
        store.commit(
                List.of(
                        block(1, false, StateChange.put(market(1))),
                        block(2, false),
                        block(3, false)));
        List<StateSnapshot> after = new ArrayList<>();
        for (long b = 4; b <= 8; b++) {
            store.commit(
                    List.of(
                            block(
                                    b,
                                    true,
                                    StateChange.put(position(1, 1, b)),
                                    StateChange.put(verified(b)))));
            after.add(store.loadAll());
        }

        store.prune(6);

        assertThat(store.headers(0)).extracting(BlockHeader::number).containsExactly(6L, 7L, 8L);
        assertThat(store.headers(7)).extracting(BlockHeader::number).containsExactly(7L, 8L);
        assertThat(count("journal")).isEqualTo(3 * 2);
        assertThatThrownBy(() -> store.rollbackTo(5))
                .isInstanceOfSatisfying(
                        RollbackTooDeepException.class,
                        e -> assertThat(e.oldestTarget()).isEqualTo(6))
                .hasMessageContaining("its header is not stored");
        store.rollbackTo(6);
        assertThat(store.checkpoint()).contains(Checkpoint.of(header(6)));
        assertThat(store.position(marketId(1), address(1))).contains(position(1, 1, 6));
        assertThat(store.isVerified(address(7))).isFalse();
        assertThat(withoutHeaders(store.loadAll())).isEqualTo(withoutHeaders(after.get(2)));
    }

    @Test
    void commitRejectsBlocksThatDoNotFollowTheCheckpoint() {
        store.commit(List.of(block(5, false, StateChange.put(market(1)))));
        StateSnapshot s5 = store.loadAll();

        assertThatThrownBy(() -> store.commit(List.of(block(5, false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already applied");
        assertThatThrownBy(() -> store.commit(List.of(forkBlock(6, 1, 1, true))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another fork");
        assertThatThrownBy(() -> store.commit(List.of(block(6, true), block(7, false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not reversible");
        assertThatThrownBy(() -> store.commit(List.of(block(7, false), block(6, false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("increasing order");
        assertThat(store.loadAll()).isEqualTo(s5);

        // A gap is fine: historical sync only commits blocks that have logs.
        store.commit(List.of(block(9, false, StateChange.put(verified(1))), block(20, true)));
        assertThat(store.checkpoint().map(Checkpoint::number)).contains(20L);
    }

    @Test
    void restartSeesExactlyTheCommittedState() {
        store.commit(
                List.of(
                        block(
                                1,
                                false,
                                StateChange.put(market(1)),
                                StateChange.put(position(1, 1, 1))),
                        block(
                                2,
                                false,
                                StateChange.put(token(1001, false, 3)),
                                StateChange.put(frozen(1001, 1)))));
        StateSnapshot s2 = store.loadAll();
        store.commit(
                List.of(
                        block(
                                3,
                                true,
                                StateChange.put(position(1, 1, 2)),
                                StateChange.put(verified(1))),
                        block(4, true, StateChange.removePosition(marketId(1), address(1)))));
        StateSnapshot s4 = store.loadAll();

        restart();

        assertThat(store.checkpoint()).contains(Checkpoint.of(header(4)));
        assertThat(store.loadAll()).isEqualTo(s4);
        // The journal survived too: the reversible blocks can still be undone.
        store.rollbackTo(2);
        assertThat(store.loadAll()).isEqualTo(s2);

        restart();
        assertThat(store.loadAll()).isEqualTo(s2);
        BlockHash tip = store.checkpoint().orElseThrow().hash();
        assertThat(tip).isEqualTo(Fixtures.hash(2, 0));
    }

    @Test
    void clearLeavesAnEmptyStoreThatSyncsAgainFromTheStart() throws SQLException {
        store.commit(
                List.of(
                        block(
                                1,
                                false,
                                StateChange.put(market(1)),
                                StateChange.put(priceFeed(1001, MAX))),
                        block(
                                2,
                                false,
                                StateChange.put(token(1001, true, 3)),
                                StateChange.put(frozen(1001, 1)))));
        store.commit(
                List.of(
                        block(
                                3,
                                true,
                                StateChange.put(position(1, 1, 2)),
                                StateChange.put(verified(1)),
                                StateChange.put(liquidation(3, 0, 1, 2, 1, BigInteger.TEN)))));

        assertThat(store.clear()).contains(Checkpoint.of(header(3)));

        assertThat(store.checkpoint()).isEmpty();
        assertThat(store.headers(0)).isEmpty();
        assertThat(store.reversibleChanges()).isEmpty();
        for (String table :
                List.of(
                        "market",
                        "position",
                        "price_feed",
                        "token_state",
                        "frozen_account",
                        "verified_account",
                        "liquidation",
                        "journal",
                        "block_header",
                        "checkpoint")) {
            assertThat(count(table)).as(table).isZero();
        }
        assertThat(store.loadAll())
                .isEqualTo(
                        new StateSnapshot(
                                Optional.empty(),
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of()));
        assertThat(store.clear()).isEmpty();

        // As new: the first commit may start anywhere, and survives a restart.
        store.commit(List.of(block(1, false, StateChange.put(market(1)))));
        restart();
        assertThat(store.checkpoint()).contains(Checkpoint.of(header(1)));
        assertThat(store.market(marketId(1))).contains(market(1));
        assertThat(store.position(marketId(1), address(1))).isEmpty();
    }
}
