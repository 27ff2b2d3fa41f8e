package io.freehold.node.liquidation.attempts;

import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.LiquidationPlan;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.node.liquidation.transact.LiquidatorLease;
import io.freehold.node.liquidation.transact.SentTransaction;
import io.freehold.node.store.Jdbc;
import io.freehold.node.store.StateStoreException;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.BeanContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The liquidator's record (tables {@code liquidation_attempt} and {@code liquidation_tx}, migration
 * V2) over JDBC, on H2 or PostgreSQL with the same SQL.
 *
 * <p>The rule it exists for: a liquidation is written here, with its first signed transaction,
 * before it is broadcast, and a position can have at most one attempt {@code IN_FLIGHT}. The
 * database enforces the second part (a unique key that is set only while in flight), so it holds
 * across restarts and across nodes sharing the database; {@link #begin} reports a clash as {@link
 * InFlightConflict}.
 *
 * <p>Every write is one transaction; reads see committed rows only.
 */
@Singleton
public final class AttemptStore {

    /** {@link #begin} found the position, or the nonce, already held by an attempt in flight. */
    public static final class InFlightConflict extends RuntimeException {
        private final boolean nonce;

        InFlightConflict(String message, boolean nonce, Throwable cause) {
            super(message, cause);
            this.nonce = nonce;
        }

        /**
         * True when the clash was the nonce (another attempt holds it), false when it was the
         * position.
         */
        public boolean nonce() {
            return nonce;
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    /** The lease a fenced store writes under. */
    private record Fence(String holder, long epoch, Duration idleLimit) {}

    private final DataSource dataSource;
    private final Fence fence;

    public AttemptStore(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * In the node: on the datasource named {@code liquidator} when one is configured ({@code
     * datasources.liquidator.*}, shared by replicas that keep their own state databases), else on
     * the node's default datasource.
     */
    @Inject
    public AttemptStore(BeanContext beans) {
        this(
                beans.findBean(DataSource.class, Qualifiers.byName("liquidator"))
                        .orElseGet(
                                () ->
                                        beans.getBean(
                                                DataSource.class, Qualifiers.byName("default"))),
                null);
    }

    /** Where the record lives (the lease lives there too). */
    public DataSource dataSource() {
        return dataSource;
    }

    private AttemptStore(DataSource dataSource, Fence fence) {
        this.dataSource = dataSource;
        this.fence = fence;
    }

    /**
     * This store for a replica that holds the liquidator lease at {@code epoch}: every write first
     * checks, in its own transaction, that {@code holder} still holds the lease at that epoch
     * ({@link LiquidatorLease}), and stamps the attempt it writes with the epoch. Once the lease is
     * lost every write throws {@link LiquidatorLease.LostLease} and nothing is recorded. A write's
     * transaction may sit idle no longer than the lease lasts (see {@link
     * LiquidatorLease#requireHeld}).
     */
    public AttemptStore fenced(LiquidatorLease lease, long epoch) {
        return new AttemptStore(dataSource, new Fence(lease.holder(), epoch, lease.duration()));
    }

    /** The lease epoch this store writes under, if fenced. */
    public OptionalLong epoch() {
        return fence == null ? OptionalLong.empty() : OptionalLong.of(fence.epoch());
    }

    /**
     * Fails unless this store may still write: called before a broadcast that follows no write (a
     * re-broadcast, a nonce filler), so a replica that lost the lease sends nothing. A no-op when
     * unfenced.
     *
     * @throws LiquidatorLease.LostLease if the lease was lost
     */
    public void requireLease() {
        if (fence != null) {
            inTransaction("checking the liquidator lease", c -> null);
        }
    }

    /** The lease epoch the attempt was last written under, if any. */
    public OptionalLong epochOf(long attemptId) {
        return read(
                "reading the epoch of attempt " + attemptId, c -> AttemptRows.epoch(c, attemptId));
    }

    /**
     * Records a liquidation about to be broadcast: the attempt, {@code IN_FLIGHT}, holding the
     * position and the nonce, and its first transaction.
     *
     * @return the attempt's id
     * @throws InFlightConflict if the position or the nonce is already held (nothing is written)
     */
    public long begin(LiquidationPlan plan, long nonce, SentTransaction first, Instant now) {
        try {
            return inTransaction(
                    "recording a liquidation of " + plan.candidate().position(),
                    c -> {
                        long id = AttemptRows.insertSent(c, plan, nonce, now);
                        AttemptRows.insertTransaction(c, id, first);
                        stamp(c, id);
                        return id;
                    });
        } catch (StateStoreException e) {
            if (e.getCause() instanceof SQLException sql
                    && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                String text = String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT);
                boolean nonceClash = text.contains("liquidation_one_per_nonce");
                throw new InFlightConflict(
                        nonceClash
                                ? "nonce "
                                        + nonce
                                        + " of "
                                        + plan.liquidator()
                                        + " is held by another attempt in flight"
                                : "a liquidation of "
                                        + plan.candidate().position()
                                        + " is already in flight",
                        nonceClash,
                        sql);
            }
            throw e;
        }
    }

    /** Records a replacement or a cancel, before it is broadcast. */
    public void addTransaction(long attemptId, SentTransaction tx, Instant now) {
        inTransaction(
                "recording transaction " + tx.hash() + " of attempt " + attemptId,
                c -> {
                    requireInFlight(c, attemptId);
                    AttemptRows.insertTransaction(c, attemptId, tx);
                    AttemptRows.touch(c, attemptId, now);
                    stamp(c, attemptId);
                    return null;
                });
    }

    /** Every endpoint refused transaction {@code seq}: it can never be mined. */
    public void markRejected(long attemptId, int seq, String rejection, Instant now) {
        inTransaction(
                "marking transaction " + seq + " of attempt " + attemptId + " rejected",
                c -> {
                    AttemptRows.markRejected(c, attemptId, seq, rejection);
                    AttemptRows.touch(c, attemptId, now);
                    stamp(c, attemptId);
                    return null;
                });
    }

    /**
     * The position no longer needs liquidating; a cancel is about to be sent. {@code reasonCode} (a
     * {@link SkipReason}) and {@code reason} become the attempt's when the cancel is mined.
     */
    public void givingUp(long attemptId, SkipReason reasonCode, String reason, Instant now) {
        inTransaction(
                "noting why attempt " + attemptId + " is given up",
                c -> {
                    requireInFlight(c, attemptId);
                    AttemptRows.givingUp(c, attemptId, reasonCode.name(), reason, now);
                    stamp(c, attemptId);
                    return null;
                });
    }

    /**
     * Ends an attempt in flight: sets its final status, reason and outcome and frees the position
     * and the nonce.
     *
     * @throws IllegalStateException if the attempt is not in flight (already ended, or unknown)
     */
    public void finish(
            long attemptId,
            AttemptStatus status,
            String reasonCode,
            String reason,
            Optional<Attempt.Outcome> outcome,
            Instant now) {
        if (status.holding() || status == AttemptStatus.SKIPPED) {
            throw new IllegalArgumentException(
                    "an attempt in flight ends MINED, FAILED or GAVE_UP, not " + status);
        }
        inTransaction(
                "ending attempt " + attemptId + " " + status,
                c -> {
                    if (AttemptRows.finish(c, attemptId, status, reasonCode, reason, outcome, now)
                            != 1) {
                        throw new IllegalStateException(
                                "attempt " + attemptId + " is not in flight");
                    }
                    stamp(c, attemptId);
                    return null;
                });
    }

    /**
     * A receipt for one of the attempt's transactions is in {@code at}, a block that is not final
     * yet: the attempt becomes {@link AttemptStatus#MINED_UNCONFIRMED} and keeps its position and
     * nonce.
     */
    public void provisionallyMined(long attemptId, Attempt.Inclusion at, Instant now) {
        inTransaction(
                "noting attempt " + attemptId + " mined in block " + at.block() + ", not final yet",
                c -> {
                    if (AttemptRows.provisionallyMined(c, attemptId, at, now) != 1) {
                        throw new IllegalStateException(
                                "attempt " + attemptId + " is not in flight");
                    }
                    stamp(c, attemptId);
                    return null;
                });
    }

    /**
     * A reorg orphaned the block that held the attempt's transaction: the attempt is in flight
     * again ({@link AttemptStatus#ORPHANED_RETRIED}), at the same nonce.
     */
    public void orphaned(long attemptId, Instant now) {
        inTransaction(
                "reopening attempt " + attemptId + " after a reorg",
                c -> {
                    if (AttemptRows.orphaned(c, attemptId, now) != 1) {
                        throw new IllegalStateException(
                                "attempt " + attemptId + " is not in flight");
                    }
                    stamp(c, attemptId);
                    return null;
                });
    }

    /**
     * Records that preflight refused a candidate. A refusal for the same reason as the position's
     * latest row updates that row (message, block, time) and counts it, so a position stuck on a
     * stale price does not add a row per cooldown.
     */
    public void recordSkip(
            LiquidationCandidate candidate,
            Address liquidator,
            Address receiver,
            long block,
            SkipReason reason,
            String message,
            Instant now) {
        recordSkip(
                candidate,
                liquidator,
                receiver,
                block,
                reason,
                message,
                AttemptKind.LIQUIDATE,
                now);
    }

    /** As {@link #recordSkip}, for a refused call of {@code kind}: a repeat needs the same kind. */
    public void recordSkip(
            LiquidationCandidate candidate,
            Address liquidator,
            Address receiver,
            long block,
            SkipReason reason,
            String message,
            AttemptKind kind,
            Instant now) {
        inTransaction(
                "recording a skip of " + candidate.position(),
                c -> {
                    Optional<Attempt> latest =
                            AttemptRows.latest(
                                    c, candidate.marketId(), candidate.borrower(), false);
                    if (latest.isPresent()
                            && latest.get().status() == AttemptStatus.SKIPPED
                            && latest.get().reasonCode().equals(Optional.of(reason.name()))
                            && latest.get().kind() == kind) {
                        AttemptRows.repeatSkip(
                                c, latest.get().id(), candidate, block, message, now);
                        stamp(c, latest.get().id());
                    } else {
                        stamp(
                                c,
                                AttemptRows.insertSkip(
                                        c,
                                        candidate,
                                        liquidator,
                                        receiver,
                                        block,
                                        reason,
                                        message,
                                        kind,
                                        now));
                    }
                    return null;
                });
    }

    /**
     * Every attempt that holds its position and nonce (in flight, mined but not final, reopened
     * after a reorg), oldest first, with its transactions.
     */
    public List<Attempt> inFlight() {
        return read("reading the liquidations in flight", AttemptRows::inFlight);
    }

    /** The position's newest attempt, with its transactions. */
    public Optional<Attempt> latest(MarketId marketId, Address borrower) {
        return read(
                "reading the latest attempt on " + marketId + "/" + borrower,
                c -> AttemptRows.latest(c, marketId, borrower, true));
    }

    /** Every attempt on the position, oldest first, with their transactions. */
    public List<Attempt> history(MarketId marketId, Address borrower) {
        return read(
                "reading the attempts on " + marketId + "/" + borrower,
                c -> AttemptRows.history(c, marketId, borrower));
    }

    /**
     * Attempts newest first, with ids below {@code beforeId} (for paging), optionally of one market
     * and/or borrower (null: any), at most {@code limit}.
     */
    public List<Attempt> newest(MarketId marketId, Address borrower, long beforeId, int limit) {
        return read(
                "reading recent attempts",
                c -> AttemptRows.newest(c, marketId, borrower, beforeId, limit));
    }

    public Optional<Attempt> find(long attemptId) {
        return read("reading attempt " + attemptId, c -> AttemptRows.find(c, attemptId));
    }

    private static void requireInFlight(Connection c, long attemptId) throws SQLException {
        Optional<Attempt> attempt = AttemptRows.find(c, attemptId);
        if (attempt.isEmpty() || !attempt.get().status().holding()) {
            throw new IllegalStateException("attempt " + attemptId + " is not in flight");
        }
    }

    private void stamp(Connection c, long attemptId) throws SQLException {
        if (fence != null) {
            AttemptRows.stamp(c, attemptId, fence.epoch());
        }
    }

    /**
     * One transaction; when fenced, the lease check comes first and holds the lease row to the
     * commit.
     */
    private <T> T inTransaction(String what, Jdbc.Work<T> work) {
        return Jdbc.inTransaction(
                dataSource,
                what,
                Connection.TRANSACTION_READ_COMMITTED,
                c -> {
                    if (fence != null) {
                        LiquidatorLease.requireHeld(
                                c, fence.holder(), fence.epoch(), fence.idleLimit());
                    }
                    return work.run(c);
                });
    }

    private <T> T read(String what, Jdbc.Work<T> work) {
        return Jdbc.read(dataSource, what, work);
    }
}
