package io.freehold.node.liquidation.transact;

import io.freehold.node.store.Jdbc;
import io.freehold.node.store.StateStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The lease that makes one replica of several on one database the liquidator (table {@code
 * liquidator_lease}, migration V5). PostgreSQL is the coordination engine: no other service.
 *
 * <p>A replica calls {@link #acquireOrRenew} every poll. It holds the lease while its row says so;
 * when the holder stops renewing (killed, paused, cut off from the database) the lease expires
 * after {@code duration} and the next replica to poll takes it and raises the <em>epoch</em>. The
 * epoch is a fencing token: {@link #requireHeld} runs inside every write of the liquidator's record
 * and fails unless the writer still holds the lease at its epoch, so a replica that wakes up after
 * losing the lease can neither record nor send (it records before it sends). Expiry uses the
 * replicas' clocks; keep them in NTP sync — a skewed clock costs an early takeover, never a second
 * writer, because of the fence.
 */
public final class LiquidatorLease {

    /** The lease was lost: the writer is no longer the liquidator. */
    public static final class LostLease extends IllegalStateException {
        LostLease(String message) {
            super(message);
        }
    }

    static final String NAME = "liquidator";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final String holder;
    private final Duration duration;
    private final Clock clock;

    /**
     * @param holder this replica's id; unique per process (a restarted process is a new holder)
     * @param duration how long the lease lasts without renewal
     */
    public LiquidatorLease(DataSource dataSource, String holder, Duration duration, Clock clock) {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("lease duration must be positive, was " + duration);
        }
        this.dataSource = dataSource;
        this.holder = holder;
        this.duration = duration;
        this.clock = clock;
    }

    public String holder() {
        return holder;
    }

    public Duration duration() {
        return duration;
    }

    /**
     * Renews the lease if this replica holds it, takes it (with the next epoch) if it is free or
     * expired.
     *
     * @return the epoch this replica holds now, or empty if another replica holds the lease
     */
    public OptionalLong acquireOrRenew() {
        long now = clock.millis();
        long until = now + duration.toMillis();
        try {
            return Jdbc.inTransaction(
                    dataSource,
                    "renewing the liquidator lease",
                    Connection.TRANSACTION_READ_COMMITTED,
                    c -> {
                        limitIdle(c, duration);
                        try (PreparedStatement s =
                                c.prepareStatement(
                                        "SELECT holder, epoch, expires_at_ms FROM"
                                                + " liquidator_lease WHERE lease_name = ? FOR UPDATE")) {
                            s.setString(1, NAME);
                            try (ResultSet r = s.executeQuery()) {
                                if (!r.next()) {
                                    insert(c, until);
                                    return OptionalLong.of(1);
                                }
                                String current = r.getString("holder");
                                long epoch = r.getLong("epoch");
                                long expires = r.getLong("expires_at_ms");
                                if (current.equals(holder)) {
                                    update(c, epoch, until);
                                    return OptionalLong.of(epoch);
                                }
                                if (expires <= now) {
                                    update(c, epoch + 1, until);
                                    return OptionalLong.of(epoch + 1);
                                }
                                return OptionalLong.empty();
                            }
                        }
                    });
        } catch (StateStoreException e) {
            if (e.getCause() instanceof SQLException sql
                    && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return OptionalLong.empty(); // another replica created the row first
            }
            throw e;
        }
    }

    /** Gives the lease up at once (a clean stop), if this replica holds it at {@code epoch}. */
    public void release(long epoch) {
        Jdbc.inTransaction(
                dataSource,
                "releasing the liquidator lease",
                Connection.TRANSACTION_READ_COMMITTED,
                c -> {
                    try (PreparedStatement s =
                            c.prepareStatement(
                                    "UPDATE liquidator_lease SET expires_at_ms = 0"
                                            + " WHERE lease_name = ? AND holder = ? AND epoch = ?")) {
                        s.setString(1, NAME);
                        s.setString(2, holder);
                        s.setLong(3, epoch);
                        s.executeUpdate();
                    }
                    return null;
                });
    }

    /**
     * The fence, run first inside a write's transaction: fails unless {@code holder} holds the
     * lease at {@code epoch}. The row stays locked to the end of the transaction, so a takeover
     * waits for the write and a write after a takeover fails.
     *
     * <p>A takeover waits for the write, but not for ever: a replica frozen inside the transaction
     * (a stopped process, a paused VM) would otherwise hold the row, and with it every other
     * replica's takeover, until it wakes. On PostgreSQL the transaction may sit idle at most {@code
     * idleLimit} (the lease's duration: a write idle that long has lost the lease anyway); then the
     * server ends the frozen session, its row lock goes, and the takeover proceeds. What the frozen
     * write had not committed is rolled back: the record is written before any broadcast, so
     * nothing was sent for it.
     *
     * @throws LostLease if another replica holds the lease, or a newer epoch
     */
    public static void requireHeld(Connection c, String holder, long epoch, Duration idleLimit)
            throws SQLException {
        limitIdle(c, idleLimit);
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidator_lease SET holder = holder"
                                + " WHERE lease_name = ? AND holder = ? AND epoch = ?")) {
            s.setString(1, NAME);
            s.setString(2, holder);
            s.setLong(3, epoch);
            if (s.executeUpdate() != 1) {
                throw new LostLease(
                        holder
                                + " no longer holds the liquidator lease at epoch "
                                + epoch
                                + ": another replica is the liquidator; nothing recorded, nothing sent");
            }
        }
    }

    /**
     * On PostgreSQL, ends this transaction's session if it sits idle longer than {@code limit}
     * ({@code SET LOCAL}: this transaction only). Other databases (H2 runs one node, no replicas)
     * have no such setting and need none.
     */
    private static void limitIdle(Connection c, Duration limit) throws SQLException {
        if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            return;
        }
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(
                    "SET LOCAL idle_in_transaction_session_timeout = "
                            + Math.max(1, limit.toMillis()));
        }
    }

    private void insert(Connection c, long until) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO liquidator_lease (lease_name, holder, epoch,"
                                + " expires_at_ms) VALUES (?, ?, 1, ?)")) {
            s.setString(1, NAME);
            s.setString(2, holder);
            s.setLong(3, until);
            s.executeUpdate();
        }
    }

    private void update(Connection c, long epoch, long until) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidator_lease SET holder = ?, epoch = ?,"
                                + " expires_at_ms = ? WHERE lease_name = ?")) {
            s.setString(1, holder);
            s.setLong(2, epoch);
            s.setLong(3, until);
            s.setString(4, NAME);
            s.executeUpdate();
        }
    }
}
