package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.proto.v1.PositionRemoved;
import io.freehold.proto.v1.SnapshotEnd;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches against a stand-in node: the iterator and the observer, resuming after a dropped call
 * with the last resumable cursor, a resync turned into differences, final errors, and the bounded
 * buffer. (The same against the real node, across a real restart: node module, SdkWatchTest.)
 */
class FreeholdClientWatchTest {

    private static final String MARKET = "0x" + "11".repeat(32);
    private static final String ALICE = "0x" + "a1".repeat(20);
    private static final String BOB = "0x" + "b0".repeat(20);
    private static final String CAROL = "0x" + "c0".repeat(20);

    private FakeNode node;

    @BeforeEach
    void start() throws Exception {
        node = new FakeNode();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aDroppedCallResumesAfterTheLastCursorAndAResyncDeliversOnlyTheDifferences() {
        AtomicInteger calls = new AtomicInteger();
        node.watchPositions =
                (request, out) -> {
                    if (calls.incrementAndGet() == 1) {
                        assertThat(request.hasResumeAfter()).isFalse();
                        out.onNext(snapshot(ALICE, "10", 1));
                        out.onNext(snapshot(BOB, "20", 1));
                        out.onNext(snapshot(CAROL, "30", 1));
                        out.onNext(end(3, 1));
                        out.onNext(updated(ALICE, "11", 2));
                        out.onError(
                                Status.UNAVAILABLE
                                        .withDescription("connection reset")
                                        .asRuntimeException());
                    } else {
                        // The node restarted: it answers the cursor with a fresh snapshot. Alice
                        // unchanged, Bob
                        // changed while the client was away, Carol gone.
                        out.onNext(snapshot(ALICE, "11", 7));
                        out.onNext(snapshot(BOB, "25", 7));
                        out.onNext(end(2, 7));
                        out.onNext(
                                removed(
                                        CAROL,
                                        8)); // already reported by the resync: not passed on twice
                        out.onNext(updated(BOB, "26", 9));
                    }
                };
        try (FreeholdClient client = node.client();
                Watch<PositionEvent> watch = client.watchPositions(PositionQuery.all())) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                seen.add(describe(watch.next()));
            }
            assertThat(seen)
                    .containsExactly(
                            "snapshot " + ALICE + " 10",
                            "snapshot " + BOB + " 20",
                            "snapshot " + CAROL + " 30",
                            "in sync 3",
                            "updated " + ALICE + " 11",
                            "updated " + BOB + " 25",
                            "removed " + CAROL,
                            "updated " + BOB + " 26");
            assertThat(watch.poll(Duration.ofMillis(200))).isEmpty();
            assertThat(watch.lastCursor()).contains(new Cursor(9, hash(9), 9));
        }
        WatchPositionsRequest second = (WatchPositionsRequest) node.requests.get(1);
        assertThat(second.getResumeAfter().getSequence())
                .isEqualTo(2); // the update's, not a snapshot's
    }

    @Test
    void aCallDroppedInsideTheFirstSnapshotStartsAgainWithoutACursor() {
        AtomicInteger calls = new AtomicInteger();
        node.watchPositions =
                (request, out) -> {
                    if (calls.incrementAndGet() == 1) {
                        out.onNext(snapshot(ALICE, "10", 1));
                        out.onError(Status.UNAVAILABLE.asRuntimeException());
                    } else {
                        assertThat(request.hasResumeAfter()).isFalse();
                        out.onNext(snapshot(ALICE, "10", 3));
                        out.onNext(snapshot(BOB, "20", 3));
                        out.onNext(end(2, 3));
                    }
                };
        try (FreeholdClient client = node.client();
                Watch<PositionEvent> watch = client.watchPositions(PositionQuery.all())) {
            assertThat(
                            List.of(
                                    describe(watch.next()),
                                    describe(watch.next()),
                                    describe(watch.next())))
                    .containsExactly(
                            "snapshot " + ALICE + " 10", "snapshot " + BOB + " 20", "in sync 2");
        }
        assertThat(((WatchPositionsRequest) node.requests.get(1)).hasResumeAfter()).isFalse();
    }

    @Test
    void aRefusedQueryEndsTheWatchWithItsReasonAndIsNotRetried() throws Exception {
        node.watchPositions =
                (request, out) ->
                        out.onError(
                                FakeNode.error(
                                        Status.Code.INVALID_ARGUMENT,
                                        "INVALID_RATIO",
                                        "health_factor_below",
                                        "bad"));
        try (FreeholdClient client = node.client()) {
            Watch<PositionEvent> watch = client.watchPositions(PositionQuery.all());
            assertThatThrownBy(watch::hasNext)
                    .isInstanceOfSatisfying(
                            InvalidArgumentException.class,
                            e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_RATIO));

            CountDownLatch failed = new CountDownLatch(1);
            List<FreeholdException> errors = new ArrayList<>();
            client.watchPositions(
                    PositionQuery.all(),
                    null,
                    new WatchObserver<>() {
                        @Override
                        public void onEvent(PositionEvent event) {}

                        @Override
                        public void onError(FreeholdException error) {
                            errors.add(error);
                            failed.countDown();
                        }
                    });
            assertThat(failed.await(2, TimeUnit.MINUTES)).isTrue();
            assertThat(errors).singleElement().isInstanceOf(InvalidArgumentException.class);
        }
        assertThat(node.requests).hasSize(2); // one call per watch, no retries
    }

    @Test
    void aCallerThatStopsReadingHoldsTheNodeBackInsteadOfBuffering() throws Exception {
        int total = 5_000;
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch heldBack = new CountDownLatch(1);
        node.watchPositions =
                (request, out) -> {
                    out.onNext(end(0, 1));
                    // Like the node: send only while the transport says the client is ready.
                    Runnable pump =
                            () -> {
                                while (out.isReady() && sent.get() < total) {
                                    out.onNext(
                                            updated(
                                                    ALICE,
                                                    Integer.toString(sent.incrementAndGet()),
                                                    2));
                                }
                                if (sent.get() < total) {
                                    heldBack.countDown(); // the transport said "not ready"
                                }
                            };
                    out.setOnReadyHandler(pump);
                    pump.run();
                };
        try (FreeholdClient client = node.client();
                Watch<PositionEvent> watch = client.watchPositions(PositionQuery.all())) {
            assertThat(describe(watch.next())).isEqualTo("in sync 0");
            // The caller reads nothing: the server is held back before it has sent everything
            // (waited for, not slept on: a slow machine may take long to fill the window).
            assertThat(heldBack.await(2, TimeUnit.MINUTES))
                    .as("the transport held the server back")
                    .isTrue();
            assertThat(sent.get()).isLessThan(total).isLessThanOrEqualTo(2 * 1024);
            int read = 0;
            while (read < total) {
                watch.next();
                read++;
            }
            assertThat(sent.get()).isEqualTo(total);
        }
    }

    private static String describe(PositionEvent e) {
        if (e instanceof PositionEvent.Snapshot s) {
            return "snapshot "
                    + s.position().account().toString().toLowerCase()
                    + " "
                    + s.position().borrowShares();
        } else if (e instanceof PositionEvent.Updated u) {
            return "updated "
                    + u.position().account().toString().toLowerCase()
                    + " "
                    + u.position().borrowShares();
        } else if (e instanceof PositionEvent.Removed r) {
            return "removed " + r.account().toString().toLowerCase();
        } else if (e instanceof PositionEvent.InSync s) {
            return "in sync " + s.positions();
        }
        return e.toString();
    }

    private static io.freehold.proto.v1.PositionEvent snapshot(
            String account, String borrowShares, long seq) {
        return event(seq).setSnapshot(position(account, borrowShares, seq)).build();
    }

    private static io.freehold.proto.v1.PositionEvent updated(
            String account, String borrowShares, long seq) {
        return event(seq).setUpdated(position(account, borrowShares, seq)).build();
    }

    private static io.freehold.proto.v1.PositionEvent removed(String account, long seq) {
        return event(seq)
                .setRemoved(PositionRemoved.newBuilder().setMarketId(MARKET).setAccount(account))
                .build();
    }

    private static io.freehold.proto.v1.PositionEvent end(long n, long seq) {
        return event(seq).setSnapshotEnd(SnapshotEnd.newBuilder().setPositions(n)).build();
    }

    private static io.freehold.proto.v1.PositionEvent.Builder event(long seq) {
        return io.freehold.proto.v1.PositionEvent.newBuilder().setCursor(cursor(seq));
    }

    private static io.freehold.proto.v1.Cursor cursor(long seq) {
        return io.freehold.proto.v1.Cursor.newBuilder()
                .setBlockNumber(seq)
                .setBlockHash(hash(seq))
                .setSequence(seq)
                .build();
    }

    private static String hash(long n) {
        return String.format("0x%064x", n);
    }

    /**
     * A position valued at block {@code seq} (so equal values at different blocks differ only in
     * as_of).
     */
    private static io.freehold.proto.v1.Position position(
            String account, String borrowShares, long seq) {
        return io.freehold.proto.v1.Position.newBuilder()
                .setMarketId(MARKET)
                .setAccount(account)
                .setSupplyShares("0")
                .setSupplyAssets("0")
                .setBorrowShares(borrowShares)
                .setDebt("1")
                .setCollateral("1")
                .setCollateralValue("1")
                .setLtv("1")
                .setHealthFactor("1")
                .setLiquidationPrice("1")
                .setMaxBorrowable("0")
                .setBand(io.freehold.proto.v1.HealthBand.HEALTH_BAND_HEALTHY)
                .setHealthFactorAfterHaircut("1")
                .setAsOf(cursor(seq))
                .setAsOfTimestamp(1_700_000_000L + seq)
                .build();
    }
}
