package io.freehold.node.liquidation.attempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.bindings.PoolViews;
import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.LiquidationPlan;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.node.liquidation.transact.Fees;
import io.freehold.node.liquidation.transact.SentTransaction;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the attempt store must do on every supported database: record before sending, one
 * liquidation in flight per position and per nonce, transactions in order, final states, coalesced
 * skips, and all of it still there after the database is reopened.
 */
abstract class AbstractAttemptStoreTest {

    static final MarketId MARKET = MarketId.of("0x" + "ab".repeat(32));
    static final Address BORROWER = Address.of("0x" + "02".repeat(20));
    static final Address OTHER_BORROWER = Address.of("0x" + "04".repeat(20));
    static final Address LIQUIDATOR = Address.of("0x" + "03".repeat(20));
    static final Address POOL = Address.of("0x" + "0f".repeat(20));
    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    TestDatabase database;
    AttemptStore store;

    abstract TestDatabase newDatabase();

    @BeforeEach
    void open() {
        database = newDatabase();
        database.open();
        store = new AttemptStore(database.dataSource());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aLiquidationIsRecordedInFlightWithItsTransaction() {
        long id =
                store.begin(
                        plan(BORROWER, 100), 7, tx(0, "01", SentTransaction.Kind.LIQUIDATION), T0);
        Attempt a = store.find(id).orElseThrow();
        assertThat(a.status()).isEqualTo(AttemptStatus.IN_FLIGHT);
        assertThat(a.nonce()).hasValue(7);
        assertThat(a.liquidator()).isEqualTo(LIQUIDATOR);
        assertThat(a.unhealthySinceBlock()).isEqualTo(90);
        assertThat(a.detectedAtBlock()).isEqualTo(95);
        assertThat(a.preflightBlock()).isEqualTo(100);
        assertThat(a.expected())
                .get()
                .satisfies(
                        e -> {
                            assertThat(e.requestedRepay()).isEqualTo(MAX);
                            assertThat(e.repaidAssets())
                                    .isEqualTo(BigInteger.valueOf(12_000_000_000L));
                            assertThat(e.profit())
                                    .isEqualTo(BigInteger.valueOf(-5)); // numbers may be negative
                        });
        assertThat(a.transactions())
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.hash()).isEqualTo(hash("01"));
                            assertThat(t.fees())
                                    .isEqualTo(
                                            new Fees(
                                                    BigInteger.ONE,
                                                    BigInteger.TWO,
                                                    BigInteger.TEN));
                            assertThat(t.rawTransaction()).isEqualTo("0x02f8raw01");
                            assertThat(t.sentAt()).isEqualTo(T0);
                            assertThat(t.rejection()).isEmpty();
                        });
        assertThat(store.inFlight()).extracting(Attempt::id).containsExactly(id);
        assertThat(store.latest(MARKET, BORROWER)).get().extracting(Attempt::id).isEqualTo(id);
    }

    @Test
    void onePositionHasAtMostOneLiquidationInFlight() {
        store.begin(plan(BORROWER, 100), 7, tx(0, "01", SentTransaction.Kind.LIQUIDATION), T0);
        assertThatThrownBy(
                        () ->
                                store.begin(
                                        plan(BORROWER, 101),
                                        8,
                                        tx(0, "02", SentTransaction.Kind.LIQUIDATION),
                                        T0))
                .isInstanceOfSatisfying(
                        AttemptStore.InFlightConflict.class, e -> assertThat(e.nonce()).isFalse());
        assertThat(store.history(MARKET, BORROWER)).hasSize(1);
        // Another position may go ahead, but not on the same nonce.
        assertThatThrownBy(
                        () ->
                                store.begin(
                                        plan(OTHER_BORROWER, 101),
                                        7,
                                        tx(0, "03", SentTransaction.Kind.LIQUIDATION),
                                        T0))
                .isInstanceOfSatisfying(
                        AttemptStore.InFlightConflict.class, e -> assertThat(e.nonce()).isTrue());
        store.begin(
                plan(OTHER_BORROWER, 101), 8, tx(0, "04", SentTransaction.Kind.LIQUIDATION), T0);
        assertThat(store.inFlight()).hasSize(2);
    }

    @Test
    void finishingFreesThePositionAndTheNonce() {
        long first =
                store.begin(
                        plan(BORROWER, 100), 7, tx(0, "01", SentTransaction.Kind.LIQUIDATION), T0);
        Attempt.Outcome outcome =
                new Attempt.Outcome(
                        105,
                        hash("01"),
                        BigInteger.valueOf(12_000_000_123L),
                        BigInteger.valueOf(341),
                        BigInteger.ZERO,
                        150_000,
                        BigInteger.valueOf(2_000_000_000L),
                        BigInteger.valueOf(971_000_000L));
        store.finish(
                first,
                AttemptStatus.MINED,
                null,
                "liquidated",
                Optional.of(outcome),
                T0.plusSeconds(5));
        Attempt mined = store.find(first).orElseThrow();
        assertThat(mined.status()).isEqualTo(AttemptStatus.MINED);
        assertThat(mined.outcome()).contains(outcome);
        assertThat(mined.finishedAt()).contains(T0.plusSeconds(5));
        assertThat(store.inFlight()).isEmpty();
        assertThatThrownBy(
                        () ->
                                store.finish(
                                        first,
                                        AttemptStatus.FAILED,
                                        "REVERTED",
                                        "again",
                                        Optional.empty(),
                                        T0))
                .isInstanceOf(IllegalStateException.class);

        // The position and the nonce are free again (a partial liquidation leaves a position to
        // liquidate).
        long second =
                store.begin(
                        plan(BORROWER, 110), 7, tx(0, "02", SentTransaction.Kind.LIQUIDATION), T0);
        store.finish(second, AttemptStatus.FAILED, "REJECTED", "refused", Optional.empty(), T0);
        assertThat(store.find(second).orElseThrow().outcome()).isEmpty();
        assertThat(store.history(MARKET, BORROWER))
                .extracting(Attempt::status)
                .containsExactly(AttemptStatus.MINED, AttemptStatus.FAILED);
    }

    @Test
    void replacementsAndACancelAreKeptInOrder() {
        long id =
                store.begin(
                        plan(BORROWER, 100), 7, tx(0, "01", SentTransaction.Kind.LIQUIDATION), T0);
        store.addTransaction(id, tx(1, "02", SentTransaction.Kind.LIQUIDATION), T0.plusSeconds(30));
        store.markRejected(id, 1, "replacement transaction underpriced", T0.plusSeconds(30));
        store.givingUp(
                id, SkipReason.POSITION_HEALTHY, "liquidated by someone else", T0.plusSeconds(60));
        store.addTransaction(id, tx(2, "03", SentTransaction.Kind.CANCEL), T0.plusSeconds(60));
        Attempt a = store.find(id).orElseThrow();
        assertThat(a.transactions()).extracting(SentTransaction::seq).containsExactly(0, 1, 2);
        assertThat(a.transactions().get(1).rejection())
                .contains("replacement transaction underpriced");
        assertThat(a.current())
                .get()
                .extracting(SentTransaction::kind)
                .isEqualTo(SentTransaction.Kind.CANCEL);
        assertThat(a.giveUpReason()).contains("liquidated by someone else");
        assertThat(a.reasonCode()).contains("POSITION_HEALTHY");
        assertThat(a.updatedAt()).isEqualTo(T0.plusSeconds(60));

        store.finish(
                id,
                AttemptStatus.GAVE_UP,
                a.reasonCode().get(),
                a.giveUpReason().get(),
                Optional.empty(),
                T0);
        assertThatThrownBy(
                        () ->
                                store.addTransaction(
                                        id, tx(3, "04", SentTransaction.Kind.CANCEL), T0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeepersCallIsRecordedWithItsKindTargetAndCallData() {
        Address auction = Address.of("0x" + "0a".repeat(20));
        LiquidationPlan liquidation = plan(BORROWER, 100);
        String calldata = "0x1234abcd" + "00".repeat(32);
        LiquidationPlan start =
                new LiquidationPlan(
                        liquidation.candidate(),
                        liquidation.block(),
                        liquidation.liquidator(),
                        liquidation.receiver(),
                        liquidation.loanToken(),
                        liquidation.collateralToken(),
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        120_000,
                        liquidation.fees(),
                        BigInteger.ONE,
                        BigInteger.ONE.negate(),
                        calldata,
                        AttemptKind.START_AUCTION,
                        auction);
        long id = store.begin(start, 7, tx(0, "01", SentTransaction.Kind.LIQUIDATION), T0);
        Attempt a = store.find(id).orElseThrow();
        assertThat(a.kind()).isEqualTo(AttemptKind.START_AUCTION);
        assertThat(a.target()).contains(auction);
        assertThat(a.calldata()).contains(calldata);
        // The one-in-flight-per-position rule holds across kinds.
        assertThatThrownBy(
                        () ->
                                store.begin(
                                        plan(BORROWER, 101),
                                        8,
                                        tx(0, "02", SentTransaction.Kind.LIQUIDATION),
                                        T0))
                .isInstanceOf(AttemptStore.InFlightConflict.class);

        // A liquidation keeps its call in its own columns, as before the keeper.
        long other =
                store.begin(
                        plan(OTHER_BORROWER, 100),
                        9,
                        tx(0, "03", SentTransaction.Kind.LIQUIDATION),
                        T0);
        Attempt l = store.find(other).orElseThrow();
        assertThat(l.kind()).isEqualTo(AttemptKind.LIQUIDATE);
        assertThat(l.target()).isEmpty();
        assertThat(l.calldata()).isEmpty();

        // Skips carry the kind that would have been sent; another kind is another row.
        LiquidationCandidate c = new LiquidationCandidate(MARKET, OTHER_BORROWER, 90, 95);
        store.finish(other, AttemptStatus.MINED, null, "done", Optional.empty(), T0);
        store.recordSkip(
                c,
                LIQUIDATOR,
                LIQUIDATOR,
                110,
                SkipReason.CURE_WINDOW_OPEN,
                "window open",
                AttemptKind.START_AUCTION,
                T0);
        store.recordSkip(
                c,
                LIQUIDATOR,
                LIQUIDATOR,
                111,
                SkipReason.CURE_WINDOW_OPEN,
                "window open",
                AttemptKind.LIQUIDATE,
                T0);
        assertThat(store.history(MARKET, OTHER_BORROWER))
                .extracting(Attempt::kind)
                .containsExactly(
                        AttemptKind.LIQUIDATE, AttemptKind.START_AUCTION, AttemptKind.LIQUIDATE);
    }

    @Test
    void repeatedSkipsForOneReasonCountOnOneRow() {
        LiquidationCandidate c = new LiquidationCandidate(MARKET, BORROWER, 90, 95);
        store.recordSkip(
                c, LIQUIDATOR, LIQUIDATOR, 100, SkipReason.STALE_PRICE, "stale at 100", T0);
        store.recordSkip(
                c,
                LIQUIDATOR,
                LIQUIDATOR,
                130,
                SkipReason.STALE_PRICE,
                "stale at 130",
                T0.plusSeconds(60));
        Attempt skip = store.latest(MARKET, BORROWER).orElseThrow();
        assertThat(skip.status()).isEqualTo(AttemptStatus.SKIPPED);
        assertThat(skip.skipCount()).isEqualTo(2);
        assertThat(skip.reason()).contains("stale at 130");
        assertThat(skip.preflightBlock()).isEqualTo(130);
        assertThat(skip.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(skip.createdAt()).isEqualTo(T0);
        assertThat(skip.nonce()).isEmpty();
        assertThat(skip.expected()).isEmpty();

        store.recordSkip(
                c,
                LIQUIDATOR,
                LIQUIDATOR,
                140,
                SkipReason.COLLATERAL_PAUSED,
                "paused",
                T0.plusSeconds(120));
        assertThat(store.history(MARKET, BORROWER))
                .extracting(Attempt::reasonCode)
                .containsExactly(Optional.of("STALE_PRICE"), Optional.of("COLLATERAL_PAUSED"));
    }

    @Test
    void everythingIsThereAfterTheDatabaseIsReopened() {
        long id =
                store.begin(
                        plan(BORROWER, 100), 7, tx(0, "01", SentTransaction.Kind.LIQUIDATION), T0);
        store.recordSkip(
                new LiquidationCandidate(MARKET, OTHER_BORROWER, 90, 95),
                LIQUIDATOR,
                LIQUIDATOR,
                100,
                SkipReason.NOT_PROFITABLE,
                "too small",
                T0);
        database.close();
        database.open();
        AttemptStore reopened = new AttemptStore(database.dataSource());
        assertThat(reopened.inFlight())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.id()).isEqualTo(id);
                            assertThat(a.transactions()).hasSize(1);
                        });
        assertThat(reopened.latest(MARKET, OTHER_BORROWER))
                .get()
                .extracting(Attempt::status)
                .isEqualTo(AttemptStatus.SKIPPED);
        // The rule survives the restart too.
        assertThatThrownBy(
                        () ->
                                reopened.begin(
                                        plan(BORROWER, 120),
                                        9,
                                        tx(0, "05", SentTransaction.Kind.LIQUIDATION),
                                        T0))
                .isInstanceOf(AttemptStore.InFlightConflict.class);
    }

    static LiquidationPlan plan(Address borrower, long block) {
        Fees fees = new Fees(BigInteger.ONE, BigInteger.TWO, BigInteger.TEN);
        return new LiquidationPlan(
                new LiquidationCandidate(MARKET, borrower, 90, 95),
                block,
                LIQUIDATOR,
                LIQUIDATOR,
                Address.of("0x" + "05".repeat(20)),
                Address.of("0x" + "06".repeat(20)),
                MAX,
                BigInteger.valueOf(12_000_000_000L),
                new BigInteger("341000000000000000000"),
                BigInteger.ZERO,
                new BigInteger("38000000000000000000000000"),
                BigInteger.valueOf(12_958_000_000L),
                BigInteger.valueOf(12_001_000_000L),
                150_000,
                fees,
                BigInteger.valueOf(5),
                BigInteger.valueOf(-5),
                PoolViews.liquidate(MARKET, borrower, MAX, LIQUIDATOR).data());
    }

    static SentTransaction tx(int seq, String tag, SentTransaction.Kind kind) {
        return new SentTransaction(
                seq,
                hash(tag),
                kind,
                new Fees(BigInteger.ONE, BigInteger.TWO, BigInteger.TEN),
                kind == SentTransaction.Kind.CANCEL ? 21_000 : 500_000,
                "0x02f8raw" + tag,
                T0,
                100,
                Optional.empty());
    }

    static String hash(String tag) {
        return "0x" + "0".repeat(64 - tag.length()) + tag;
    }
}
