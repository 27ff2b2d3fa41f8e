package io.freehold.node.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.RunningNode;
import io.freehold.node.ingest.IngestionService;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.Opportunity;
import io.freehold.sdk.OpportunityEvent;
import io.freehold.sdk.OpportunityQuery;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionEvent;
import io.freehold.sdk.PositionQuery;
import io.freehold.sdk.Subscription;
import io.freehold.sdk.Wad;
import io.freehold.sdk.WatchObserver;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The SDK's watches against the real node on anvil, through a TCP relay that can drop the
 * connection: they resume by themselves after a dropped connection and after a node restart, and
 * what they delivered has no gap (the positions they hold equal the node's and the chain's) and no
 * repeat (no position is delivered twice with the same values).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SdkWatchTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir static Path dir;

    private static RunningNode node;
    private static TcpRelay relay;
    private static FreeholdClient client;
    private static MarketId det;
    private static Address borrower;

    @BeforeAll
    static void start() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.confirmations",
                                16,
                                "freehold.node.api.streams.heartbeat",
                                "300ms"));
        relay = new TcpRelay(node::grpcPort); // the node's port of the moment: a restart moves it
        client =
                FreeholdClient.create(
                        FreeholdSettings.builder()
                                .target("127.0.0.1:" + relay.port())
                                .tls(false)
                                .build());
        det = MarketId.fromHex(node.deployment.market("FH-DET-0412").id());
        borrower = Address.fromHex(node.deployment.accounts().borrower());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void positionsResumeAfterADroppedConnectionAndANodeRestartWithoutGapsOrRepeats()
            throws Exception {
        Recorder<PositionEvent> events = new Recorder<>();
        try (Subscription watch = client.watchPositions(PositionQuery.all(), null, events)) {
            await(() -> events.any(PositionEvent.InSync.class));

            borrow(100);
            await(() -> heldBorrowShares(events).equals(chainBorrowShares()));

            // The network goes down; the chain moves on; the network comes back.
            relay.refuse(true);
            relay.cut();
            borrow(200);
            awaitApplied();
            relay.refuse(false);
            await(() -> heldBorrowShares(events).equals(chainBorrowShares()));
            assertThat(events.reconnects.get()).isPositive();

            // The node goes down; the chain moves on without it; the node comes back on the same
            // database.
            relay.refuse(true);
            relay.cut();
            node.stopNode();
            borrow(300);
            node.restart();
            relay.refuse(false);
            awaitApplied();
            await(() -> heldBorrowShares(events).equals(chainBorrowShares()));

            // No gap: what the watch holds is what the node holds, position for position.
            Map<String, Position> held = book(events.all());
            Map<String, Position> nodeHas =
                    client.positions(PositionQuery.all())
                            .collect(Collectors.toMap(SdkWatchTest::key, p -> p));
            assertThat(held.keySet()).isEqualTo(nodeHas.keySet());
            held.forEach(
                    (k, p) -> {
                        assertThat(p.borrowShares()).as(k).isEqualTo(nodeHas.get(k).borrowShares());
                        assertThat(p.supplyShares()).as(k).isEqualTo(nodeHas.get(k).supplyShares());
                        assertThat(p.collateral()).as(k).isEqualTo(nodeHas.get(k).collateral());
                    });
            // No repeat: one snapshot, and never the same values twice in a row for a position.
            assertThat(events.all()).filteredOn(PositionEvent.InSync.class::isInstance).hasSize(1);
            assertNoRepeats(
                    events.all().stream()
                            .filter(
                                    e ->
                                            e instanceof PositionEvent.Snapshot
                                                    || e instanceof PositionEvent.Updated)
                            .map(
                                    e ->
                                            e instanceof PositionEvent.Snapshot s
                                                    ? s.position()
                                                    : ((PositionEvent.Updated) e).position())
                            .toList());
            assertThat(events.errors).isEmpty();
        }
    }

    @Test
    @Order(2)
    void opportunitiesResumeAcrossARestartWithoutRepeatsAndShowAPriceDrop() throws Exception {
        Recorder<OpportunityEvent> events = new Recorder<>();
        OpportunityQuery query =
                OpportunityQuery.liquidatable().inMarket(det).withHealthFactorBelow(Wad.parse("2"));
        try (Subscription watch = client.liquidations().watchOpportunities(query, null, events)) {
            await(() -> events.any(OpportunityEvent.InSync.class));
            assertThat(events.all())
                    .filteredOn(OpportunityEvent.Snapshot.class::isInstance)
                    .map(e -> ((OpportunityEvent.Snapshot) e).opportunity().position().account())
                    .containsExactly(borrower);
            int before = events.all().size();

            // A restart with nothing changed on chain: the node resends its snapshot, the watch
            // passes on nothing.
            node.restart();
            await(() -> events.reconnects.get() > 0 && appliedBlock() >= head());

            // The appraisal falls below the liquidation price: the opportunity changes to
            // liquidatable.
            AppraisalOracle.load(
                            node.deployment.oracle(),
                            node.anvil.web3j(),
                            node.anvil.transactionManager(node.anvil.credentials(0)),
                            LocalSystem.GAS)
                    .forceAppraisal(
                            node.deployment.market("FH-DET-0412").propertyToken(),
                            LocalSystem.priceOfCents(3_000),
                            "test: comparable sold far below")
                    .send();
            await(() -> liquidatable(events).isPresent());
            // The stream is ordered: a (wrong) repeat of the resent snapshot would have come
            // before the fall's change. Waiting for that change, not a time, makes room for it.
            List<OpportunityEvent> seen = events.all();
            List<OpportunityEvent> afterRestart = seen.subList(before, seen.size());
            assertThat(afterRestart)
                    .as("after the restart, only the fall's change")
                    .isNotEmpty()
                    .allSatisfy(
                            e ->
                                    assertThat(e)
                                            .isInstanceOfSatisfying(
                                                    OpportunityEvent.Changed.class,
                                                    c ->
                                                            assertThat(
                                                                            c.opportunity()
                                                                                    .liquidatable())
                                                                    .isTrue()));
            Opportunity now = liquidatable(events).orElseThrow();
            assertThat(now.maxRepay()).isPositive();
            assertThat(now.seizedCollateral()).isPositive();
            assertThat(now.nodeWillAct()).isFalse(); // the node runs in watch mode here
            assertThat(now.nodeSkipReason()).isPresent();
            assertThat(events.errors).isEmpty();
        }
    }

    private static java.util.Optional<Opportunity> liquidatable(Recorder<OpportunityEvent> events) {
        return events.all().stream()
                .filter(OpportunityEvent.Changed.class::isInstance)
                .map(e -> ((OpportunityEvent.Changed) e).opportunity())
                .filter(Opportunity::liquidatable)
                .findFirst();
    }

    /** An observer that keeps every event, and counts reconnections and errors. */
    static final class Recorder<T> implements WatchObserver<T> {
        private final List<T> events = new ArrayList<>();
        final AtomicInteger reconnects = new AtomicInteger();
        final List<FreeholdException> errors = new ArrayList<>();

        @Override
        public synchronized void onEvent(T event) {
            events.add(event);
        }

        @Override
        public synchronized void onError(FreeholdException error) {
            errors.add(error);
        }

        @Override
        public void onReconnecting(FreeholdException cause, int attempt) {
            reconnects.incrementAndGet();
        }

        synchronized List<T> all() {
            return List.copyOf(events);
        }

        boolean any(Class<?> kind) {
            return all().stream().anyMatch(kind::isInstance);
        }
    }

    /** What a client holds after applying the events in order. */
    private static Map<String, Position> book(List<PositionEvent> events) {
        Map<String, Position> book = new HashMap<>();
        for (PositionEvent e : events) {
            if (e instanceof PositionEvent.Snapshot s) {
                book.put(key(s.position()), s.position());
            } else if (e instanceof PositionEvent.Updated u) {
                book.put(key(u.position()), u.position());
            } else if (e instanceof PositionEvent.Removed r) {
                book.remove(r.marketId() + "/" + r.account());
            }
        }
        return book;
    }

    private static void assertNoRepeats(List<Position> delivered) {
        Map<String, Position> last = new HashMap<>();
        for (Position p : delivered) {
            Position values = withoutCursor(p);
            assertThat(values)
                    .as("delivered twice with the same values: " + key(p))
                    .isNotEqualTo(last.get(key(p)));
            last.put(key(p), values);
        }
    }

    private static Position withoutCursor(Position p) {
        return new Position(
                p.marketId(),
                p.account(),
                p.supplyShares(),
                p.supplyAssets(),
                p.borrowShares(),
                p.debt(),
                p.collateral(),
                p.collateralValue(),
                p.ltv(),
                p.healthFactor(),
                p.liquidationPrice(),
                p.maxBorrowable(),
                p.band(),
                p.healthFactorAfterHaircut(),
                p.marketFlagged(),
                p.unconfirmedSinceBlock(),
                null,
                null);
    }

    private static String key(Position p) {
        return p.marketId() + "/" + p.account();
    }

    private static BigInteger heldBorrowShares(Recorder<PositionEvent> events) {
        Position p = book(events.all()).get(det + "/" + borrower);
        return p == null ? BigInteger.ZERO : p.borrowShares();
    }

    private static BigInteger chainBorrowShares() throws Exception {
        LendingPool pool = LocalSystem.pool(node.anvil, node.deployment, node.anvil.credentials(0));
        return pool.positionShares(
                        Numeric.hexStringToByteArray(det.toString()), borrower.toString())
                .send()
                .borrowShares;
    }

    private static void borrow(long dollars) throws Exception {
        LocalSystem.pool(node.anvil, node.deployment, node.anvil.credentials(2))
                .borrow(
                        Numeric.hexStringToByteArray(det.toString()),
                        LocalSystem.usd(dollars),
                        borrower.toString())
                .send();
    }

    /** The node's applied block as the SDK reports it; -1 while the node is still starting. */
    private static long appliedBlock() {
        try {
            return client.status().appliedBlock();
        } catch (FreeholdException e) {
            return -1;
        }
    }

    private static long head() throws Exception {
        return node.head();
    }

    private static void awaitApplied() throws Exception {
        long head = head();
        await(
                () ->
                        node.server
                                        .getApplicationContext()
                                        .getBean(IngestionService.class)
                                        .follower()
                                        .appliedBlock()
                                >= head);
    }

    private static boolean await(CheckedCondition condition) throws Exception {
        long giveUp = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < giveUp) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + DEADLINE);
    }

    @FunctionalInterface
    interface CheckedCondition {
        boolean holds() throws Exception;
    }
}
