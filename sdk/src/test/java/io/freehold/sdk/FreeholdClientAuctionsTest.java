package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.PositionRemoved;
import io.freehold.proto.v1.SnapshotEnd;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The auction conveniences against a stand-in node: the positions in auction of a market, the
 * auction watch built on the position watch (started, changed, ended, in sync), and the offline
 * take preview's rule and bounds. (Against the contract on anvil, to the wei: sdk-onchain's
 * AuctionTakePreviewTest.)
 */
class FreeholdClientAuctionsTest {

    private static final String MARKET = "0x" + "11".repeat(32);
    private static final String ALICE = "0x" + "a1".repeat(20);
    private static final String BOB = "0x" + "b0".repeat(20);
    private static final BigInteger E36 = BigInteger.TEN.pow(36);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);

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
    void positionsInAuctionAreTheMarketsPositionsWithAnAuction() {
        node.listPositions =
                r ->
                        ListPositionsResponse.newBuilder()
                                .addPositions(position(ALICE, 1, null))
                                .addPositions(position(BOB, 1, auction(7, "400", "15000")))
                                .build();
        try (FreeholdClient client = node.client();
                Stream<Position> inAuction =
                        client.positionsInAuction(io.freehold.types.MarketId.fromHex(MARKET))) {
            List<Position> found = inAuction.toList();
            assertThat(found).hasSize(1);
            assertThat(found.get(0).account().hex()).isEqualTo(BOB);
            assertThat(found.get(0).actionability().auction().orElseThrow().auctionId())
                    .isEqualTo(7);
        }
        ListPositionsRequest asked = (ListPositionsRequest) node.requests.get(0);
        assertThat(asked.getFilter().getMarketId()).isEqualToIgnoringCase(MARKET);
        assertThat(asked.getFilter().getHealthFactorBelow())
                .as("a position in auction may be healthy again")
                .isEmpty();
    }

    @Test
    void theAuctionWatchHandsOnStartsChangesAndEndsOnly() {
        node.watchPositions =
                (request, out) -> {
                    out.onNext(snapshot(ALICE, 1, null));
                    out.onNext(snapshot(BOB, 1, auction(7, "400", "15000")));
                    out.onNext(end(2, 1));
                    out.onNext(updated(ALICE, 2, null)); // nothing to do with auctions
                    out.onNext(updated(BOB, 3, auction(7, "350", "12000"))); // a take
                    out.onNext(updated(BOB, 3, auction(7, "350", "12000"))); // no change
                    out.onNext(updated(ALICE, 4, auction(8, "400", "9000"))); // a start
                    out.onNext(updated(BOB, 5, null)); // the last take
                    out.onNext(removed(ALICE, 6)); // gone from the watch
                };
        List<String> seen = new CopyOnWriteArrayList<>();
        try (FreeholdClient client = node.client();
                Watch<AuctionEvent> watch =
                        client.watchAuctions(io.freehold.types.MarketId.fromHex(MARKET))) {
            for (int i = 0; i < 6; i++) {
                seen.add(describe(watch.next()));
            }
            assertThat(watch.poll(Duration.ofMillis(200))).isEmpty();
            assertThat(watch.lastCursor().orElseThrow().sequence()).isEqualTo(6);
        }
        assertThat(seen)
                .containsExactly(
                        "started 7 " + BOB + " lot 400",
                        "in sync 1",
                        "changed 7 " + BOB + " lot 350",
                        "started 8 " + ALICE + " lot 400",
                        "ended 7 " + BOB + " with position",
                        "ended 8 " + ALICE + " without position");
        WatchPositionsRequest asked = (WatchPositionsRequest) node.requests.get(0);
        assertThat(asked.getFilter().getMarketId()).isEqualToIgnoringCase(MARKET);
    }

    @Test
    void theObserverFormDeliversTheSameEvents() throws Exception {
        node.watchPositions =
                (request, out) -> {
                    out.onNext(snapshot(BOB, 1, auction(7, "400", "15000")));
                    out.onNext(end(1, 1));
                };
        List<AuctionEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        try (FreeholdClient client = node.client();
                Subscription s =
                        client.watchAuctions(
                                null,
                                null,
                                e -> {
                                    seen.add(e);
                                    two.countDown();
                                })) {
            assertThat(two.await(2, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isInstanceOf(AuctionEvent.Started.class);
        assertThat(seen.get(1)).isEqualTo(new AuctionEvent.InSync(1, seen.get(1).cursor()));
        assertThat(((WatchPositionsRequest) node.requests.get(0)).getFilter().getMarketId())
                .as("every market")
                .isEmpty();
    }

    @Test
    void thePreviewPricesTheTakeOnTheLinearCurveWithTheContractsRounding() {
        // From $60 to $30 a token (start 6e25, floor 3e25 at 6 decimals / 18) over 6,000 s.
        BigInteger start = new BigInteger("60000000").multiply(E36).divide(TOKEN);
        BigInteger floor = new BigInteger("30000000").multiply(E36).divide(TOKEN);
        Instant startedAt = Instant.ofEpochSecond(1_700_000_000L);
        Instant asOf = startedAt.plusSeconds(1_000);
        Auction a =
                new Auction(
                        7,
                        startedAt,
                        startedAt.plusSeconds(6_000),
                        0,
                        start,
                        floor,
                        java.util.Optional.<BigInteger>empty(),
                        Duration.ofSeconds(5_000),
                        TOKEN.multiply(BigInteger.valueOf(400)),
                        new BigInteger("15000000000"), // $15,000 owed
                        false);
        assertThat(a.asOf()).isEqualTo(asOf);

        // 1,000 s in: 60 - 30 x 1/6 = $55 a token; 50 tokens for $2,750.
        TakePreview part = a.previewTake(TOKEN.multiply(BigInteger.valueOf(50)));
        assertThat(part.at()).isEqualTo(asOf);
        assertThat(part.price()).isEqualTo(new BigInteger("55000000").multiply(E36).divide(TOKEN));
        assertThat(part.bought()).isEqualTo(TOKEN.multiply(BigInteger.valueOf(50)));
        assertThat(part.paid()).isEqualTo(new BigInteger("2750000000"));
        assertThat(part.closesDebt()).isFalse();

        // One base unit is paid rounded up: 1e-18 token at $55 costs 1 base unit, not 0.
        assertThat(a.previewTake(BigInteger.ONE).paid()).isEqualTo(BigInteger.ONE);

        // All of it at the floor time, the last second with a price: 400 tokens x $30 = $12,000,
        // short of the $15,000 owed.
        TakePreview all = a.previewTake(Uint256.MAX, startedAt.plusSeconds(6_000));
        assertThat(all.price()).isEqualTo(floor);
        assertThat(all.bought()).isEqualTo(TOKEN.multiply(BigInteger.valueOf(400)));
        assertThat(all.paid()).isEqualTo(new BigInteger("12000000000"));
        assertThat(all.closesDebt()).isFalse();

        // Past the floor time there is no price, nor before the values' moment.
        assertThatThrownBy(() -> a.previewTake(TOKEN, startedAt.plusSeconds(6_001)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.previewTake(TOKEN, asOf.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.previewTake(BigInteger.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTakeThatClearsTheDebtBuysOnlyWhatTheDebtNeeds() {
        BigInteger price = new BigInteger("40000000").multiply(E36).divide(TOKEN); // $40
        Instant startedAt = Instant.ofEpochSecond(1_700_000_000L);
        Auction a =
                new Auction(
                        9,
                        startedAt,
                        startedAt.plusSeconds(3_600),
                        0,
                        price,
                        price,
                        java.util.Optional.of(price),
                        Duration.ofSeconds(3_600),
                        TOKEN.multiply(BigInteger.valueOf(400)),
                        new BigInteger("10000000001"), // $10,000.000001
                        false);
        TakePreview all = a.previewTake(Uint256.MAX);
        assertThat(all.closesDebt()).isTrue();
        assertThat(all.paid()).isEqualTo(new BigInteger("10000000001"));
        // ⌈10,000.000001 / 40⌉ tokens in base units: 250.000000025 tokens.
        assertThat(all.bought()).isEqualTo(new BigInteger("250000000025000000000"));
    }

    private static String describe(AuctionEvent e) {
        if (e instanceof AuctionEvent.Started s) {
            return "started "
                    + s.auction().auctionId()
                    + " "
                    + s.position().account().hex()
                    + " lot "
                    + s.auction().lotLeft();
        } else if (e instanceof AuctionEvent.Changed c) {
            return "changed "
                    + c.auction().auctionId()
                    + " "
                    + c.position().account().hex()
                    + " lot "
                    + c.auction().lotLeft();
        } else if (e instanceof AuctionEvent.Ended end) {
            return "ended "
                    + end.last().auctionId()
                    + " "
                    + end.account().hex()
                    + (end.position().isPresent() ? " with position" : " without position");
        } else if (e instanceof AuctionEvent.InSync s) {
            return "in sync " + s.auctions();
        }
        return e.toString();
    }

    private static io.freehold.proto.v1.Auction auction(long id, String lot, String tab) {
        return io.freehold.proto.v1.Auction.newBuilder()
                .setAuctionId(id)
                .setStartedAt(1_700_000_000L)
                .setEndsAt(1_700_021_600L)
                .setStartPrice("60000000000000000000000000")
                .setFloorPrice("30000000000000000000000000")
                .setCurrentPrice("50000000000000000000000000")
                .setSecondsToFloor(10_000)
                .setLotLeft(lot)
                .setTabLeft(tab)
                .build();
    }

    private static io.freehold.proto.v1.PositionEvent snapshot(
            String account, long seq, io.freehold.proto.v1.Auction auction) {
        return event(seq).setSnapshot(position(account, seq, auction)).build();
    }

    private static io.freehold.proto.v1.PositionEvent updated(
            String account, long seq, io.freehold.proto.v1.Auction auction) {
        return event(seq).setUpdated(position(account, seq, auction)).build();
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
                .setBlockHash(String.format("0x%064x", seq))
                .setSequence(seq)
                .build();
    }

    /** A borrower's position at block {@code seq}, in {@code auction} when given. */
    private static io.freehold.proto.v1.Position position(
            String account, long seq, io.freehold.proto.v1.Auction auction) {
        io.freehold.proto.v1.Position.Builder b =
                io.freehold.proto.v1.Position.newBuilder()
                        .setMarketId(MARKET)
                        .setAccount(account)
                        .setSupplyShares("0")
                        .setSupplyAssets("0")
                        .setBorrowShares("1000")
                        .setDebt("1")
                        .setCollateral("1")
                        .setCollateralValue("1")
                        .setLtv("1")
                        .setHealthFactor("1")
                        .setLiquidationPrice("1")
                        .setMaxBorrowable("0")
                        .setBand(io.freehold.proto.v1.HealthBand.HEALTH_BAND_LIQUIDATABLE)
                        .setHealthFactorAfterHaircut("1")
                        .setAsOf(cursor(seq))
                        .setAsOfTimestamp(1_700_011_600L);
        if (auction != null) {
            b.setInAuction(true).setAuction(auction);
        }
        return b.build();
    }
}
