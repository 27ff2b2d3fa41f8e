package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StateStore} over JDBC: plain SQL, batched statements, one explicit transaction per commit,
 * rollback or prune. Runs on H2 and PostgreSQL (the schema is Flyway's {@code db/migration}).
 *
 * <p>Writes are serialised in this process; across processes the checkpoint row is locked for the
 * length of a write transaction, so a second writer waits and then fails the checkpoint checks
 * instead of interleaving.
 */
@Singleton
public final class JdbcStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateStore.class);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Object writeLock = new Object();

    public JdbcStateStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.dialect = Jdbc.read(dataSource, "detecting the database", Dialect::of);
    }

    @Override
    public Optional<Checkpoint> checkpoint() {
        return Jdbc.read(dataSource, "reading the checkpoint", c -> CheckpointRow.read(c, false));
    }

    @Override
    public StateSnapshot loadAll() {
        // REPEATABLE READ is a snapshot on both databases: all tables as of one moment.
        return Jdbc.inTransaction(
                dataSource,
                "loading the state",
                Connection.TRANSACTION_REPEATABLE_READ,
                SnapshotReader::read);
    }

    @Override
    public Optional<StateSnapshot> loadSince(StateSnapshot copy) {
        return Jdbc.inTransaction(
                dataSource,
                "loading the state changed since block "
                        + copy.checkpoint().map(Checkpoint::number).orElse(-1L),
                Connection.TRANSACTION_REPEATABLE_READ,
                c -> SnapshotUpdate.read(c, copy));
    }

    @Override
    public Optional<MarketRecord> market(MarketId id) {
        return find(StateTables.MARKET, id.hex());
    }

    @Override
    public Optional<PositionRecord> position(MarketId marketId, Address account) {
        return find(StateTables.POSITION, marketId.hex(), account.hex());
    }

    @Override
    public Optional<PriceFeedRecord> priceFeed(Address token) {
        return find(StateTables.PRICE_FEED, token.hex());
    }

    @Override
    public Optional<TokenRecord> token(Address token) {
        return find(StateTables.TOKEN, token.hex());
    }

    @Override
    public boolean isFrozen(Address token, Address account) {
        return find(StateTables.FROZEN, token.hex(), account.hex()).isPresent();
    }

    @Override
    public boolean isVerified(Address account) {
        return find(StateTables.VERIFIED, account.hex()).isPresent();
    }

    @Override
    public List<LiquidationRecord> liquidations(LiquidationQuery query) {
        return Jdbc.read(dataSource, "reading liquidations", c -> LiquidationRows.newest(c, query));
    }

    @Override
    public List<BlockHeader> headers(long fromBlock) {
        return Jdbc.read(
                dataSource,
                "reading headers from block " + fromBlock,
                c -> HeaderRows.from(c, fromBlock));
    }

    @Override
    public List<ReversibleChange> reversibleChanges() {
        return Jdbc.read(dataSource, "reading the journal", JournalRows::newestChanges);
    }

    @Override
    public void commit(List<BlockChanges> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        CommitRules.checkOrder(blocks);
        long first = blocks.get(0).number();
        long last = blocks.get(blocks.size() - 1).number();
        synchronized (writeLock) {
            long start = System.nanoTime();
            String what = "committing blocks " + first + ".." + last;
            int rows;
            try {
                rows = commitOnce(what, blocks, true);
            } catch (StateStoreException e) {
                if (!Jdbc.isDuplicateKey(e) || !hasNewRows(blocks)) {
                    throw e;
                }
                // Maybe a row the follower's state said was new is in the store: the two would
                // disagree, which the follower's own checks meet. The blocks are written again with
                // each row looked up first, rather than refused on every retry (a duplicate of
                // another kind, such as a block committed twice, fails again the same way).
                LOG.warn(
                        "{}: a duplicate key with rows inserted as new ({}); writing the blocks again"
                                + " with every row as an upsert",
                        what,
                        e.getMessage());
                rows = commitOnce(what, blocks, false);
            }
            LOG.debug(
                    "committed blocks {}..{}: {} rows in {} ms",
                    first,
                    last,
                    rows,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** One transaction of {@link CommitTransaction}; {@code trustNew}: insert the new rows. */
    private int commitOnce(String what, List<BlockChanges> blocks, boolean trustNew) {
        return Jdbc.inTransaction(
                dataSource,
                what,
                Connection.TRANSACTION_READ_COMMITTED,
                c -> CommitTransaction.run(c, dialect, blocks, trustNew));
    }

    private static boolean hasNewRows(List<BlockChanges> blocks) {
        return blocks.stream().flatMap(b -> b.changes().stream()).anyMatch(StateChange::isNewRow);
    }

    @Override
    public Checkpoint rollbackTo(long blockNumber) {
        synchronized (writeLock) {
            Checkpoint result =
                    Jdbc.inTransaction(
                            dataSource,
                            "rolling back to block " + blockNumber,
                            Connection.TRANSACTION_READ_COMMITTED,
                            c -> RollbackTransaction.run(c, dialect, blockNumber));
            LOG.info("rolled back to block {} ({})", result.number(), result.hash());
            return result;
        }
    }

    @Override
    public void prune(long keepFrom) {
        synchronized (writeLock) {
            Jdbc.inTransaction(
                    dataSource,
                    "pruning below block " + keepFrom,
                    Connection.TRANSACTION_READ_COMMITTED,
                    c ->
                            JournalRows.deleteBelow(c, keepFrom)
                                    + HeaderRows.deleteBelow(c, keepFrom));
        }
    }

    @Override
    public Optional<Checkpoint> clear() {
        synchronized (writeLock) {
            Optional<Checkpoint> was =
                    Jdbc.inTransaction(
                            dataSource,
                            "clearing the state",
                            Connection.TRANSACTION_READ_COMMITTED,
                            ClearTransaction::run);
            LOG.warn(
                    "cleared the state (it was at block {})",
                    was.map(cp -> String.valueOf(cp.number())).orElse("none"));
            return was;
        }
    }

    private <R> Optional<R> find(StateTable<R> table, Object... key) {
        return Jdbc.read(
                dataSource,
                "reading " + table.name(),
                c -> {
                    try (RowLookup lookup = new RowLookup(c)) {
                        Object[] row = lookup.find(table, table.keyOf(key));
                        return Optional.ofNullable(row == null ? null : table.rowOf(row));
                    }
                });
    }
}
