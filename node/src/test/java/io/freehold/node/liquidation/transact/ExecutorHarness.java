package io.freehold.node.liquidation.transact;

import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.node.liquidation.LiquidationMetrics;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.types.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One test's liquidator: a database, an RPC client, a clock the test moves, and executors built on
 * them (a second one over the same database is a restarted node).
 */
public final class ExecutorHarness implements AutoCloseable {

    static final BigInteger TIP = LiquidationChain.GWEI;
    static final BigInteger CAP = LiquidationChain.GWEI.multiply(BigInteger.valueOf(100));
    static final Duration STUCK_AFTER = Duration.ofSeconds(30);
    public static final Duration COOLDOWN = Duration.ofSeconds(60);

    final LiquidationChain chain;
    final TestDatabase database;
    public final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
    public final LiquidationMetrics metrics = new LiquidationMetrics();
    final LiquidatorRpc rpc;
    public LiquidatorConfiguration config;
    public AttemptStore store;

    /**
     * Blocks on top of a receipt before an attempt is final; 0 (final at once) unless a test sets
     * it.
     */
    long finality;

    ExecutorHarness(LiquidationChain chain, Path dir) {
        this(chain, TestDatabase.h2(dir));
    }

    /**
     * Over {@code database} (H2 in a folder, or a PostgreSQL database), opened here and closed with
     * this.
     */
    ExecutorHarness(LiquidationChain chain, TestDatabase database) {
        this.chain = chain;
        this.database = database;
        database.open();
        this.store = new AttemptStore(database.dataSource());
        this.rpc = chain.rpc();
        this.config =
                LiquidatorConfiguration.defaults()
                        .withMode(LiquidatorConfiguration.Mode.EXECUTE)
                        .withFees(TIP, CAP, new BigDecimal("12.5"))
                        .withTiming(STUCK_AFTER, COOLDOWN);
    }

    /** A new executor on this harness's store, as a node (re)started now would build it. */
    public LiquidationExecutor executor() {
        return new LiquidationExecutor(
                config,
                LiquidatorKey.of(chain.liquidator),
                chain.pool,
                chain.anvil.chainId(),
                rpc,
                store,
                metrics,
                clock,
                finality);
    }

    /** An executor writing through {@code store} (a fenced one: a replica holding the lease). */
    public LiquidationExecutor executor(AttemptStore store) {
        return new LiquidationExecutor(
                config,
                LiquidatorKey.of(chain.liquidator),
                chain.pool,
                chain.anvil.chainId(),
                rpc,
                store,
                metrics,
                clock,
                finality);
    }

    /** The database closed and opened again, as after a process restart. */
    void reopenDatabase() {
        database.close();
        database.open();
        store = new AttemptStore(database.dataSource());
    }

    /**
     * Tracks until nothing is in flight: see {@link #trackUntilSettled(LiquidationExecutor,
     * AttemptStore)}.
     */
    public void trackUntilSettled(LiquidationExecutor executor) throws InterruptedException {
        trackUntilSettled(executor, store);
    }

    /**
     * Tracks until the store has nothing in flight, for at most two minutes (a deadline only a
     * broken run reaches; a loaded machine may take seconds to seal the block). With automine,
     * anvil answers {@code eth_sendRawTransaction} before the block holding the transaction is
     * sealed, so one {@code track()} right after sending may still find it pending.
     */
    public static void trackUntilSettled(LiquidationExecutor executor, AttemptStore store)
            throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        do {
            executor.track();
            if (store.inFlight().isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < giveUp);
        throw new AssertionError("still in flight after 2 minutes: " + store.inFlight());
    }

    public Attempt latest(Address borrower) {
        return store.latest(chain.market, borrower).orElseThrow();
    }

    @Override
    public void close() {
        rpc.close();
        database.close();
    }
}
