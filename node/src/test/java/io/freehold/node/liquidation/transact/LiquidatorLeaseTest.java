package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The liquidator lease on PostgreSQL (embedded): one holder at a time, a takeover within the lease
 * plus one poll once the holder stops renewing, and a fence that stops the old holder from
 * recording anything. Time is a clock the test moves; the database is real.
 */
class LiquidatorLeaseTest {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final MarketId MARKET = MarketId.of("0x" + "ab".repeat(32));
    private static final Address LIQUIDATOR = Address.of("0x" + "11".repeat(20));

    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T08:00:00Z"));
    private TestDatabase database;
    private AttemptStore store;

    @BeforeEach
    void open() {
        database = TestDatabase.postgres();
        database.open();
        store = new AttemptStore(database.dataSource());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void oneHolderAtATimeAndATakeoverWithinTheLeasePlusOnePoll() {
        LiquidatorLease a = new LiquidatorLease(database.dataSource(), "replica-a/1", LEASE, clock);
        LiquidatorLease b = new LiquidatorLease(database.dataSource(), "replica-b/1", LEASE, clock);

        assertThat(a.acquireOrRenew()).hasValue(1);
        assertThat(b.acquireOrRenew()).as("held by a").isEmpty();
        clock.advance(POLL);
        assertThat(a.acquireOrRenew()).as("renewed, same epoch").hasValue(1);

        // a is killed at this instant: it renews no more. b polls every POLL.
        Instant killed = clock.instant();
        OptionalLong taken = OptionalLong.empty();
        while (taken.isEmpty()) {
            clock.advance(POLL);
            taken = b.acquireOrRenew();
        }
        assertThat(taken).as("a new epoch").hasValue(2);
        assertThat(Duration.between(killed, clock.instant())).isLessThanOrEqualTo(LEASE.plus(POLL));

        // a comes back (SIGCONT): the lease is b's; a cannot take it back while b renews.
        assertThat(a.acquireOrRenew()).isEmpty();
        clock.advance(POLL);
        assertThat(b.acquireOrRenew()).hasValue(2);
    }

    @Test
    void aStaleLeaderCanNeitherRecordNorPassTheSendCheckAndEveryWriteCarriesTheEpoch() {
        LiquidatorLease a = new LiquidatorLease(database.dataSource(), "replica-a/1", LEASE, clock);
        LiquidatorLease b = new LiquidatorLease(database.dataSource(), "replica-b/1", LEASE, clock);
        AttemptStore asA = store.fenced(a, a.acquireOrRenew().orElseThrow());
        LiquidationCandidate candidate =
                new LiquidationCandidate(MARKET, Address.of("0x" + "22".repeat(20)), 10, 11);

        asA.recordSkip(
                candidate,
                LIQUIDATOR,
                LIQUIDATOR,
                11,
                SkipReason.NOT_PROFITABLE,
                "a records",
                clock.instant());
        Attempt recorded = store.latest(MARKET, candidate.borrower()).orElseThrow();
        assertThat(store.epochOf(recorded.id())).hasValue(1);
        asA.requireLease();

        clock.advance(LEASE.plus(POLL));
        AttemptStore asB = store.fenced(b, b.acquireOrRenew().orElseThrow());

        assertThatThrownBy(
                        () ->
                                asA.recordSkip(
                                        candidate,
                                        LIQUIDATOR,
                                        LIQUIDATOR,
                                        12,
                                        SkipReason.POSITION_HEALTHY,
                                        "stale",
                                        clock.instant()))
                .isInstanceOf(LiquidatorLease.LostLease.class);
        assertThatThrownBy(asA::requireLease).isInstanceOf(LiquidatorLease.LostLease.class);
        assertThat(store.history(MARKET, candidate.borrower()))
                .as("nothing recorded by the stale leader")
                .singleElement()
                .satisfies(x -> assertThat(x.reason()).hasValue("a records"));

        asB.recordSkip(
                candidate,
                LIQUIDATOR,
                LIQUIDATOR,
                12,
                SkipReason.POSITION_HEALTHY,
                "b records",
                clock.instant());
        Attempt byB = store.latest(MARKET, candidate.borrower()).orElseThrow();
        assertThat(byB.reason()).hasValue("b records");
        assertThat(store.epochOf(byB.id())).hasValue(2);

        // Even with b gone quiet and the lease expired, a's old epoch stays fenced: taking over
        // raises it.
        clock.advance(LEASE.plus(POLL));
        assertThatThrownBy(asA::requireLease).isInstanceOf(LiquidatorLease.LostLease.class);
        assertThat(a.acquireOrRenew()).hasValue(3);
        assertThatThrownBy(asB::requireLease).isInstanceOf(LiquidatorLease.LostLease.class);
    }

    /**
     * A leader frozen (SIGSTOP) inside a write's transaction holds the lease row: without a limit,
     * every takeover would wait until it woke. The server ends the frozen session once it has been
     * idle for the lease's duration (real time here: the server's clock), and the takeover goes on;
     * the frozen write, on waking, finds its transaction gone.
     */
    @Test
    void aLeaderFrozenInsideAWriteHoldsTheTakeoverNoLongerThanTheLease() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        LiquidatorLease a = new LiquidatorLease(database.dataSource(), "replica-a/1", lease, clock);
        LiquidatorLease b = new LiquidatorLease(database.dataSource(), "replica-b/1", lease, clock);
        long epoch = a.acquireOrRenew().orElseThrow();

        // a's write: the fence has run (the row is locked), then a freezes before committing.
        java.sql.Connection frozen = database.dataSource().getConnection();
        frozen.setAutoCommit(false);
        LiquidatorLease.requireHeld(frozen, a.holder(), epoch, a.duration());

        // The lease has expired by b's clock; b's takeover waits for the row, then gets it.
        clock.advance(lease.plus(POLL));
        java.util.concurrent.CompletableFuture<OptionalLong> takeover =
                java.util.concurrent.CompletableFuture.supplyAsync(b::acquireOrRenew);
        assertThat(takeover.get(60, java.util.concurrent.TimeUnit.SECONDS))
                .as("b took the lease once the frozen session was ended")
                .hasValue(epoch + 1);

        // a wakes: its transaction was ended by the server; nothing of it is committed.
        assertThatThrownBy(frozen::commit).isInstanceOf(java.sql.SQLException.class);
        frozen.close();
    }

    @Test
    void aCleanStopHandsTheLeaseOverAtOnce() {
        LiquidatorLease a = new LiquidatorLease(database.dataSource(), "replica-a/1", LEASE, clock);
        LiquidatorLease b = new LiquidatorLease(database.dataSource(), "replica-b/1", LEASE, clock);
        long epoch = a.acquireOrRenew().orElseThrow();
        a.release(epoch);
        assertThat(b.acquireOrRenew()).hasValue(epoch + 1);
    }
}
