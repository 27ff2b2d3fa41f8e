package io.freehold.node.liquidation.attempts;

import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.LiquidationPlan;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.node.liquidation.transact.Fees;
import io.freehold.node.liquidation.transact.SentTransaction;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SQL of {@link AttemptStore}: statements and row mapping, plain SQL that H2 and PostgreSQL
 * both run.
 */
final class AttemptRows {

    private static final String COLUMNS =
            "attempt_id, market_id, borrower, liquidator, receiver, status, reason_code,"
                    + " reason, give_up_reason, skip_count, unhealthy_since_block, detected_at_block, preflight_block, nonce,"
                    + " requested_repay, expected_repaid, expected_seized, expected_profit, price, included_block,"
                    + " included_tx_hash, repaid_assets, seized_collateral, bad_debt_assets, gas_used, effective_gas_price,"
                    + " profit, created_at_ms, updated_at_ms, finished_at_ms, included_block_hash, orphaned_count,"
                    + " kind, target, calldata";
    private static final String TX_COLUMNS =
            "seq, tx_hash, kind, max_fee_per_gas, max_priority_fee_per_gas,"
                    + " base_fee_per_gas, gas_limit, raw_tx, sent_at_ms, sent_at_block, rejection";

    private AttemptRows() {}

    /** Stamps the attempt with the lease epoch of the replica writing it. */
    static void stamp(Connection c, long attemptId, long epoch) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_attempt SET epoch = ? WHERE attempt_id = ?")) {
            s.setLong(1, epoch);
            s.setLong(2, attemptId);
            s.executeUpdate();
        }
    }

    /** The attempt's lease epoch, if a replica with a lease wrote it. */
    static OptionalLong epoch(Connection c, long attemptId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT epoch FROM liquidation_attempt WHERE attempt_id = ?")) {
            s.setLong(1, attemptId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return OptionalLong.empty();
                }
                long epoch = r.getLong(1);
                return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(epoch);
            }
        }
    }

    static long insertSent(Connection c, LiquidationPlan plan, long nonce, Instant now)
            throws SQLException {
        LiquidationCandidate candidate = plan.candidate();
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO liquidation_attempt (market_id, borrower,"
                                + " liquidator, receiver, status, skip_count, unhealthy_since_block, detected_at_block, preflight_block,"
                                + " nonce, requested_repay, expected_repaid, expected_seized, expected_profit, price, created_at_ms,"
                                + " updated_at_ms, in_flight_position, in_flight_nonce, kind, target, calldata)"
                                + " VALUES (?, ?, ?, ?, 'IN_FLIGHT', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            s.setString(i++, candidate.marketId().hex());
            s.setString(i++, candidate.borrower().hex());
            s.setString(i++, plan.liquidator().hex());
            s.setString(i++, plan.receiver().hex());
            s.setLong(i++, candidate.unhealthySinceBlock());
            s.setLong(i++, candidate.detectedAtBlock());
            s.setLong(i++, plan.block());
            s.setLong(i++, nonce);
            s.setBigDecimal(i++, new BigDecimal(plan.requestedRepay()));
            s.setBigDecimal(i++, new BigDecimal(plan.repaidAssets()));
            s.setBigDecimal(i++, new BigDecimal(plan.seizedCollateral()));
            s.setBigDecimal(i++, new BigDecimal(plan.expectedProfit()));
            s.setBigDecimal(i++, new BigDecimal(plan.price()));
            s.setLong(i++, now.toEpochMilli());
            s.setLong(i++, now.toEpochMilli());
            s.setString(i++, candidate.position());
            s.setString(i++, plan.liquidator().hex() + "/" + nonce);
            s.setString(i++, plan.kind().name());
            // A liquidation's call is rebuilt from its columns, as before V13; the keeper's are
            // kept.
            boolean liquidation = plan.kind() == AttemptKind.LIQUIDATE;
            setString(s, i++, liquidation || plan.target() == null ? null : plan.target().hex());
            setString(s, i, liquidation ? null : plan.calldata());
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no attempt_id");
                }
                return keys.getLong("attempt_id");
            }
        }
    }

    static long insertSkip(
            Connection c,
            LiquidationCandidate candidate,
            Address liquidator,
            Address receiver,
            long block,
            SkipReason reason,
            String message,
            AttemptKind kind,
            Instant now)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO liquidation_attempt (market_id, borrower,"
                                + " liquidator, receiver, status, reason_code, reason, skip_count, unhealthy_since_block,"
                                + " detected_at_block, preflight_block, created_at_ms, updated_at_ms, finished_at_ms, kind)"
                                + " VALUES (?, ?, ?, ?, 'SKIPPED', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            s.setString(i++, candidate.marketId().hex());
            s.setString(i++, candidate.borrower().hex());
            s.setString(i++, liquidator.hex());
            s.setString(i++, receiver.hex());
            s.setString(i++, reason.name());
            s.setString(i++, clip(message));
            s.setLong(i++, candidate.unhealthySinceBlock());
            s.setLong(i++, candidate.detectedAtBlock());
            s.setLong(i++, block);
            s.setLong(i++, now.toEpochMilli());
            s.setLong(i++, now.toEpochMilli());
            s.setLong(i++, now.toEpochMilli());
            s.setString(i, kind.name());
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no attempt_id");
                }
                return keys.getLong("attempt_id");
            }
        }
    }

    static void repeatSkip(
            Connection c,
            long attemptId,
            LiquidationCandidate candidate,
            long block,
            String message,
            Instant now)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_attempt SET reason = ?,"
                                + " skip_count = skip_count + 1, detected_at_block = ?, preflight_block = ?, updated_at_ms = ?,"
                                + " finished_at_ms = ? WHERE attempt_id = ?")) {
            s.setString(1, clip(message));
            s.setLong(2, candidate.detectedAtBlock());
            s.setLong(3, block);
            s.setLong(4, now.toEpochMilli());
            s.setLong(5, now.toEpochMilli());
            s.setLong(6, attemptId);
            s.executeUpdate();
        }
    }

    static void insertTransaction(Connection c, long attemptId, SentTransaction tx)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "INSERT INTO liquidation_tx (attempt_id, "
                                + TX_COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            s.setLong(i++, attemptId);
            s.setInt(i++, tx.seq());
            s.setString(i++, tx.hash());
            s.setString(i++, tx.kind().name());
            s.setBigDecimal(i++, new BigDecimal(tx.fees().maxFeePerGas()));
            s.setBigDecimal(i++, new BigDecimal(tx.fees().maxPriorityFeePerGas()));
            s.setBigDecimal(i++, new BigDecimal(tx.fees().baseFeePerGas()));
            s.setLong(i++, tx.gasLimit());
            s.setString(i++, tx.rawTransaction());
            s.setLong(i++, tx.sentAt().toEpochMilli());
            s.setLong(i++, tx.sentAtBlock());
            if (tx.rejection().isPresent()) {
                s.setString(i, clip(tx.rejection().get()));
            } else {
                s.setNull(i, Types.VARCHAR);
            }
            s.executeUpdate();
        }
    }

    static void markRejected(Connection c, long attemptId, int seq, String rejection)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_tx SET rejection = ? WHERE attempt_id = ? AND seq = ?")) {
            s.setString(1, clip(rejection));
            s.setLong(2, attemptId);
            s.setInt(3, seq);
            s.executeUpdate();
        }
    }

    static void touch(Connection c, long attemptId, Instant now) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_attempt SET updated_at_ms = ? WHERE attempt_id = ?")) {
            s.setLong(1, now.toEpochMilli());
            s.setLong(2, attemptId);
            s.executeUpdate();
        }
    }

    static void givingUp(
            Connection c, long attemptId, String reasonCode, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_attempt SET reason_code = ?,"
                                + " give_up_reason = ?, updated_at_ms = ? WHERE attempt_id = ?")) {
            s.setString(1, reasonCode);
            s.setString(2, clip(reason));
            s.setLong(3, now.toEpochMilli());
            s.setLong(4, attemptId);
            s.executeUpdate();
        }
    }

    /**
     * @return rows changed: 1, or 0 when the attempt was not in flight
     */
    static int finish(
            Connection c,
            long attemptId,
            AttemptStatus status,
            String reasonCode,
            String reason,
            Optional<Attempt.Outcome> outcome,
            Instant now)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_attempt SET status = ?, reason_code = ?,"
                                + " reason = ?, included_block = ?, included_tx_hash = ?, repaid_assets = ?, seized_collateral = ?,"
                                + " bad_debt_assets = ?, gas_used = ?, effective_gas_price = ?, profit = ?, updated_at_ms = ?,"
                                + " finished_at_ms = ?, included_block_hash = NULL, in_flight_position = NULL, in_flight_nonce = NULL"
                                + " WHERE attempt_id = ? AND status = 'IN_FLIGHT'")) {
            int i = 1;
            s.setString(i++, status.name());
            setString(s, i++, reasonCode);
            setString(s, i++, reason == null ? null : clip(reason));
            if (outcome.isPresent()) {
                Attempt.Outcome o = outcome.get();
                s.setLong(i++, o.includedBlock());
                s.setString(i++, o.txHash());
                s.setBigDecimal(i++, new BigDecimal(o.repaidAssets()));
                s.setBigDecimal(i++, new BigDecimal(o.seizedCollateral()));
                s.setBigDecimal(i++, new BigDecimal(o.badDebtAssets()));
                s.setLong(i++, o.gasUsed());
                s.setBigDecimal(i++, new BigDecimal(o.effectiveGasPrice()));
                s.setBigDecimal(i++, new BigDecimal(o.profit()));
            } else {
                s.setNull(i++, Types.BIGINT);
                s.setNull(i++, Types.VARCHAR);
                for (int n = 0; n < 3; n++) {
                    s.setNull(i++, Types.NUMERIC);
                }
                s.setNull(i++, Types.BIGINT);
                s.setNull(i++, Types.NUMERIC);
                s.setNull(i++, Types.NUMERIC);
            }
            s.setLong(i++, now.toEpochMilli());
            s.setLong(i++, now.toEpochMilli());
            s.setLong(i, attemptId);
            return s.executeUpdate();
        }
    }

    /** A receipt of the attempt's transaction was seen in a block that is not final yet. */
    static int provisionallyMined(Connection c, long attemptId, Attempt.Inclusion at, Instant now)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_attempt SET included_block = ?,"
                                + " included_block_hash = ?, included_tx_hash = ?, updated_at_ms = ?"
                                + " WHERE attempt_id = ? AND status = 'IN_FLIGHT'")) {
            s.setLong(1, at.block());
            s.setString(2, at.blockHash());
            s.setString(3, at.txHash());
            s.setLong(4, now.toEpochMilli());
            s.setLong(5, attemptId);
            return s.executeUpdate();
        }
    }

    /**
     * The provisional block was orphaned: the attempt is plainly in flight again, one orphaning
     * more.
     */
    static int orphaned(Connection c, long attemptId, Instant now) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE liquidation_attempt SET included_block = NULL,"
                                + " included_block_hash = NULL, included_tx_hash = NULL, orphaned_count = orphaned_count + 1,"
                                + " updated_at_ms = ? WHERE attempt_id = ? AND status = 'IN_FLIGHT'")) {
            s.setLong(1, now.toEpochMilli());
            s.setLong(2, attemptId);
            return s.executeUpdate();
        }
    }

    static Optional<Attempt> find(Connection c, long attemptId) throws SQLException {
        List<Attempt> found = select(c, "WHERE attempt_id = ?", attemptId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    static List<Attempt> inFlight(Connection c) throws SQLException {
        return select(c, "WHERE status = 'IN_FLIGHT' ORDER BY attempt_id");
    }

    static Optional<Attempt> latest(
            Connection c, MarketId marketId, Address borrower, boolean withTransactions)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT "
                                + COLUMNS
                                + " FROM liquidation_attempt"
                                + " WHERE market_id = ? AND borrower = ? ORDER BY attempt_id DESC FETCH FIRST 1 ROWS ONLY")) {
            s.setString(1, marketId.hex());
            s.setString(2, borrower.hex());
            List<Attempt> rows = rows(c, s, withTransactions);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    static List<Attempt> history(Connection c, MarketId marketId, Address borrower)
            throws SQLException {
        return select(
                c,
                "WHERE market_id = ? AND borrower = ? ORDER BY attempt_id",
                marketId.hex(),
                borrower.hex());
    }

    /**
     * Newest first, below {@code beforeId}, optionally of one market and/or borrower, at most
     * {@code limit}.
     */
    static List<Attempt> newest(
            Connection c, MarketId marketId, Address borrower, long beforeId, int limit)
            throws SQLException {
        List<Object> parameters = new ArrayList<>(List.of(beforeId));
        StringBuilder where = new StringBuilder("WHERE attempt_id < ?");
        if (marketId != null) {
            where.append(" AND market_id = ?");
            parameters.add(marketId.hex());
        }
        if (borrower != null) {
            where.append(" AND borrower = ?");
            parameters.add(borrower.hex());
        }
        where.append(" ORDER BY attempt_id DESC LIMIT ").append(limit);
        return select(c, where.toString(), parameters.toArray());
    }

    private static List<Attempt> select(Connection c, String where, Object... parameters)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT " + COLUMNS + " FROM liquidation_attempt " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            return rows(c, s, true);
        }
    }

    private static List<Attempt> rows(Connection c, PreparedStatement s, boolean withTransactions)
            throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                attempts.add(attempt(r, List.of()));
            }
        }
        if (!withTransactions) {
            return attempts;
        }
        List<Attempt> complete = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            complete.add(
                    a.status() == AttemptStatus.SKIPPED
                            ? a
                            : withTransactions(a, transactions(c, a.id())));
        }
        return complete;
    }

    private static List<SentTransaction> transactions(Connection c, long attemptId)
            throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT "
                                + TX_COLUMNS
                                + " FROM liquidation_tx WHERE attempt_id = ? ORDER BY seq")) {
            s.setLong(1, attemptId);
            List<SentTransaction> txs = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    txs.add(
                            new SentTransaction(
                                    r.getInt("seq"),
                                    r.getString("tx_hash"),
                                    SentTransaction.Kind.valueOf(r.getString("kind")),
                                    new Fees(
                                            number(r, "base_fee_per_gas"),
                                            number(r, "max_priority_fee_per_gas"),
                                            number(r, "max_fee_per_gas")),
                                    r.getLong("gas_limit"),
                                    r.getString("raw_tx"),
                                    Instant.ofEpochMilli(r.getLong("sent_at_ms")),
                                    r.getLong("sent_at_block"),
                                    Optional.ofNullable(r.getString("rejection"))));
                }
            }
            return txs;
        }
    }

    private static Attempt attempt(ResultSet r, List<SentTransaction> txs) throws SQLException {
        Optional<Attempt.Expected> expected =
                r.getBigDecimal("expected_repaid") == null
                        ? Optional.empty()
                        : Optional.of(
                                new Attempt.Expected(
                                        number(r, "requested_repay"),
                                        number(r, "expected_repaid"),
                                        number(r, "expected_seized"),
                                        number(r, "expected_profit"),
                                        number(r, "price")));
        Optional<Attempt.Outcome> outcome =
                r.getBigDecimal("repaid_assets") == null
                        ? Optional.empty()
                        : Optional.of(
                                new Attempt.Outcome(
                                        r.getLong("included_block"),
                                        r.getString("included_tx_hash"),
                                        number(r, "repaid_assets"),
                                        number(r, "seized_collateral"),
                                        number(r, "bad_debt_assets"),
                                        r.getLong("gas_used"),
                                        number(r, "effective_gas_price"),
                                        number(r, "profit")));
        long nonce = r.getLong("nonce");
        OptionalLong maybeNonce = r.wasNull() ? OptionalLong.empty() : OptionalLong.of(nonce);
        long finished = r.getLong("finished_at_ms");
        Optional<Instant> finishedAt =
                r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
        AttemptStatus status = AttemptStatus.valueOf(r.getString("status"));
        int orphaned = r.getInt("orphaned_count");
        Optional<Attempt.Inclusion> provisional = Optional.empty();
        if (status == AttemptStatus.IN_FLIGHT) {
            // The store keeps one held status; the two finer ones are read from what it recorded.
            if (r.getString("included_block_hash") != null) {
                provisional =
                        Optional.of(
                                new Attempt.Inclusion(
                                        r.getLong("included_block"),
                                        r.getString("included_block_hash"),
                                        r.getString("included_tx_hash")));
                status = AttemptStatus.MINED_UNCONFIRMED;
            } else if (orphaned > 0) {
                status = AttemptStatus.ORPHANED_RETRIED;
            }
        }
        return new Attempt(
                r.getLong("attempt_id"),
                MarketId.of(r.getString("market_id")),
                Address.of(r.getString("borrower")),
                Address.of(r.getString("liquidator")),
                Address.of(r.getString("receiver")),
                status,
                Optional.ofNullable(r.getString("reason_code")),
                Optional.ofNullable(r.getString("reason")),
                Optional.ofNullable(r.getString("give_up_reason")),
                r.getInt("skip_count"),
                r.getLong("unhealthy_since_block"),
                r.getLong("detected_at_block"),
                r.getLong("preflight_block"),
                maybeNonce,
                expected,
                outcome,
                Instant.ofEpochMilli(r.getLong("created_at_ms")),
                Instant.ofEpochMilli(r.getLong("updated_at_ms")),
                finishedAt,
                txs,
                provisional,
                orphaned,
                AttemptKind.valueOf(r.getString("kind")),
                Optional.ofNullable(r.getString("target")).map(Address::of),
                Optional.ofNullable(r.getString("calldata")));
    }

    private static Attempt withTransactions(Attempt a, List<SentTransaction> txs) {
        return new Attempt(
                a.id(),
                a.marketId(),
                a.borrower(),
                a.liquidator(),
                a.receiver(),
                a.status(),
                a.reasonCode(),
                a.reason(),
                a.giveUpReason(),
                a.skipCount(),
                a.unhealthySinceBlock(),
                a.detectedAtBlock(),
                a.preflightBlock(),
                a.nonce(),
                a.expected(),
                a.outcome(),
                a.createdAt(),
                a.updatedAt(),
                a.finishedAt(),
                txs,
                a.provisional(),
                a.orphanedCount(),
                a.kind(),
                a.target(),
                a.calldata());
    }

    private static BigInteger number(ResultSet r, String column) throws SQLException {
        BigDecimal value = r.getBigDecimal(column);
        return value == null ? null : value.toBigIntegerExact();
    }

    private static void setString(PreparedStatement s, int index, String value)
            throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    /** Reasons are for people; a node's error text can be long. */
    private static String clip(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
    }
}
