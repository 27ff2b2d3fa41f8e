package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.api.StreamFeed;
import io.freehold.proto.v1.AaveAccount;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.freehold.types.Address;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code WatchPositions} and {@code WatchOpportunities} of a node following the real local Aave
 * market, with the contract of Freehold's streams: a snapshot equal to {@code GetPosition}, updates
 * after each step carrying {@code getUserAccountData}'s figures at their block, retractions after a
 * reorg, resume after a cursor with exactly the missed events and no snapshot, heartbeats on a
 * quiet stream, SLOW_CONSUMER for a client that does not read (its queue dropped), the stream caps
 * and the request refusals.
 */
class AaveWatchTest {

    private static final BigInteger TWO = BigInteger.TWO.multiply(BigInteger.TEN.pow(18));

    @TempDir Path dir;

    @Test
    void theSnapshotIsGetPositionAndUpdatesCarryThePoolsFiguresThenAReorgIsRetracted()
            throws Exception {
        try (AaveChain chain = new AaveChain()) {
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            ChainWriter holder = chain.account(3);
            market(chain, lender, borrower, 50);
            chain.fund(holder);
            chain.supply(holder, chain.property(), AaveChain.TOKEN.multiply(BigInteger.TEN));
            try (Node node =
                    new Node(chain, Map.of("freehold.node.api.streams.heartbeat", "300ms"))) {
                node.awaitHead();
                Events<PositionEvent> stream = new Events<>();
                node.positions().watchPositions(WatchPositionsRequest.getDefaultInstance(), stream);

                // The snapshot: every account the book has seen, each as GetPosition serves it.
                List<PositionEvent> snapshot = stream.until(PositionEvent::hasSnapshotEnd);
                PositionEvent end = snapshot.remove(snapshot.size() - 1);
                assertThat(snapshot).allSatisfy(e -> assertThat(e.hasSnapshot()).isTrue());
                assertThat(end.getSnapshotEnd().getPositions()).isEqualTo(snapshot.size());
                Set<String> accounts = new HashSet<>();
                for (PositionEvent e : snapshot) {
                    accounts.add(e.getSnapshot().getAccount());
                    assertThat(e.getSnapshot())
                            .isEqualTo(node.getPosition(e.getSnapshot().getAccount()));
                }
                AppliedAaveBook book = node.following().follower().applied().orElseThrow();
                assertThat(accounts)
                        .containsExactlyInAnyOrderElementsOf(
                                book.book().accounts().stream()
                                        .filter(a -> !book.book().positions(a).isEmpty())
                                        .map(Address::hex)
                                        .toList())
                        .contains(hex(lender), hex(borrower), hex(holder));

                // A borrow: an update of the borrower alone (interest moves the lender's figures
                // too, but does not make an event), with the pool's figures at its block.
                long borrowed = borrow(chain, borrower, BigInteger.valueOf(1_000));
                List<PositionEvent> step = stream.stepAt(borrowed);
                assertThat(step)
                        .extracting(e -> e.getUpdated().getAccount())
                        .containsExactly(hex(borrower));
                assertThatFiguresAreThePools(chain, step.get(0).getUpdated(), borrowed);
                assertThat(step.get(0).getUpdated()).isEqualTo(node.getPosition(hex(borrower)));

                // A price move of the property: an update of each of its holders, not the lender.
                chain.setPropertyPrice(
                        AaveLocalMarket.PROPERTY_PRICE
                                .multiply(BigInteger.valueOf(9))
                                .divide(BigInteger.TEN));
                long moved = chain.head();
                List<PositionEvent> repriced = stream.stepAt(moved);
                assertThat(repriced)
                        .extracting(e -> e.getUpdated().getAccount())
                        .containsExactlyInAnyOrder(hex(borrower), hex(holder));
                for (PositionEvent e : repriced) {
                    assertThatFiguresAreThePools(chain, e.getUpdated(), moved);
                }

                // A reorg drops a borrow: a retraction naming the block the book went back to,
                // then the borrower as the surviving chain has it there.
                Object fork = chain.snapshot();
                long doomed = borrow(chain, borrower, BigInteger.valueOf(2_000));
                PositionEvent dropped =
                        stream.next(
                                e -> e.hasUpdated() && e.getCursor().getBlockNumber() == doomed);
                chain.revert(fork);
                chain.passTime(60);
                chain.passTime(60);
                PositionEvent retracted = stream.next(PositionEvent::hasRetracted);
                long ancestor = retracted.getRetracted().getCommonAncestor().getBlockNumber();
                assertThat(ancestor).isLessThan(doomed);
                assertThat(retracted.getRetracted().getOrphanedBlocks()).isPositive();
                PositionEvent restored = stream.next(PositionEvent::hasUpdated);
                assertThat(restored.getUpdated().getAccount()).isEqualTo(hex(borrower));
                assertThat(restored.getCursor().getBlockNumber()).isEqualTo(ancestor);
                assertThatFiguresAreThePools(chain, restored.getUpdated(), ancestor);
                assertThat(restored.getUpdated().getAave().getTotalDebtBase())
                        .isNotEqualTo(dropped.getUpdated().getAave().getTotalDebtBase());
                assertThat(stream.error()).isNull();
            }
        }
    }

    @Test
    void aResumeAfterACursorGetsExactlyTheMissedEventsAndNoSnapshot() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            market(chain, lender, borrower, 80); // health about 1.34: an opportunity below 2
            try (Node node =
                    new Node(chain, Map.of("freehold.node.api.streams.heartbeat", "300ms"))) {
                node.awaitHead();
                WatchOpportunitiesRequest belowTwo =
                        WatchOpportunitiesRequest.newBuilder()
                                .setHealthFactorBelow(TWO.toString())
                                .build();
                // Live streams that stay open: what the resumed ones must equal.
                Events<PositionEvent> livePositions = new Events<>();
                node.positions()
                        .watchPositions(WatchPositionsRequest.getDefaultInstance(), livePositions);
                Events<OpportunityEvent> liveOpportunities = new Events<>();
                node.liquidations().watchOpportunities(belowTwo, liveOpportunities);
                livePositions.until(PositionEvent::hasSnapshotEnd);
                liveOpportunities.until(OpportunityEvent::hasSnapshotEnd);

                // Streams that see a first borrow, then go away.
                Context.CancellableContext first = Context.current().withCancellation();
                Events<PositionEvent> positions = new Events<>();
                Events<OpportunityEvent> opportunities = new Events<>();
                first.run(
                        () -> {
                            node.positions()
                                    .watchPositions(
                                            WatchPositionsRequest.getDefaultInstance(), positions);
                            node.liquidations().watchOpportunities(belowTwo, opportunities);
                        });
                positions.until(PositionEvent::hasSnapshotEnd);
                opportunities.until(OpportunityEvent::hasSnapshotEnd);
                long firstBorrow = borrow(chain, borrower, BigInteger.valueOf(100));
                Cursor positionCursor =
                        positions
                                .next(
                                        e ->
                                                e.hasUpdated()
                                                        && e.getCursor().getBlockNumber()
                                                                == firstBorrow)
                                .getCursor();
                Cursor opportunityCursor =
                        opportunities
                                .next(
                                        e ->
                                                e.hasOpportunity()
                                                        && e.getCursor().getBlockNumber()
                                                                == firstBorrow)
                                .getCursor();
                first.cancel(null);

                // Missed: a second borrow and a price move.
                long secondBorrow = borrow(chain, borrower, BigInteger.valueOf(200));
                chain.setPropertyPrice(
                        AaveLocalMarket.PROPERTY_PRICE
                                .multiply(BigInteger.valueOf(95))
                                .divide(BigInteger.valueOf(100)));
                long moved = chain.head();
                livePositions.stepAt(moved);
                liveOpportunities.next(
                        e -> e.hasHeartbeat() && e.getCursor().getBlockNumber() >= moved);

                Events<PositionEvent> resumedPositions = new Events<>();
                node.positions()
                        .watchPositions(
                                WatchPositionsRequest.newBuilder()
                                        .setResumeAfter(positionCursor)
                                        .build(),
                                resumedPositions);
                List<PositionEvent> missed = resumedPositions.until(PositionEvent::hasHeartbeat);
                missed.remove(missed.size() - 1);
                assertThat(missed).noneMatch(e -> e.hasSnapshot() || e.hasSnapshotEnd());
                assertThat(missed)
                        .isEqualTo(
                                livePositions.seen().stream()
                                        .filter(
                                                e ->
                                                        !e.hasHeartbeat()
                                                                && after(
                                                                        e.getCursor(),
                                                                        positionCursor))
                                        .toList());
                // Events are per follower step: the second borrow and the price move may be one
                // step (at the later block) or two.
                assertThat(missed)
                        .extracting(e -> e.getCursor().getBlockNumber())
                        .allMatch(b -> b >= secondBorrow && b <= moved)
                        .contains(moved);

                Events<OpportunityEvent> resumedOpportunities = new Events<>();
                node.liquidations()
                        .watchOpportunities(
                                belowTwo.toBuilder().setResumeAfter(opportunityCursor).build(),
                                resumedOpportunities);
                List<OpportunityEvent> missedOpportunities =
                        resumedOpportunities.until(OpportunityEvent::hasHeartbeat);
                missedOpportunities.remove(missedOpportunities.size() - 1);
                assertThat(missedOpportunities)
                        .noneMatch(e -> e.hasSnapshot() || e.hasSnapshotEnd());
                assertThat(missedOpportunities)
                        .isEqualTo(
                                liveOpportunities.seen().stream()
                                        .filter(
                                                e ->
                                                        !e.hasHeartbeat()
                                                                && after(
                                                                        e.getCursor(),
                                                                        opportunityCursor))
                                        .toList());
                assertThat(missedOpportunities)
                        .extracting(e -> e.getCursor().getBlockNumber())
                        .allMatch(b -> b >= secondBorrow && b <= moved)
                        .contains(moved);
            }
        }
    }

    @Test
    void quietStreamsGetHeartbeatsAtTheAppliedBlock() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            market(chain, chain.account(1), chain.account(2), 50);
            try (Node node =
                    new Node(chain, Map.of("freehold.node.api.streams.heartbeat", "200ms"))) {
                node.awaitHead();
                Events<PositionEvent> positions = new Events<>();
                node.positions()
                        .watchPositions(WatchPositionsRequest.getDefaultInstance(), positions);
                Events<OpportunityEvent> opportunities = new Events<>();
                node.liquidations()
                        .watchOpportunities(
                                WatchOpportunitiesRequest.getDefaultInstance(), opportunities);
                long head = chain.head();
                for (int i = 0; i < 2; i++) {
                    Cursor beat = positions.next(PositionEvent::hasHeartbeat).getCursor();
                    assertThat(beat.getBlockNumber()).isEqualTo(head);
                    assertThat(beat.getStepEnd()).isTrue();
                    Cursor quiet = opportunities.next(OpportunityEvent::hasHeartbeat).getCursor();
                    assertThat(quiet.getBlockNumber()).isEqualTo(head);
                    assertThat(quiet.getStepEnd()).isTrue();
                }
            }
        }
    }

    @Test
    void aClientThatDoesNotReadIsEndedWithSlowConsumerAndItsQueueDropped() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            market(chain, lender, borrower, 80);
            for (int i = 3; i < 7; i++) { // more holders: more events per price move
                ChainWriter holder = chain.account(i);
                chain.fund(holder);
                chain.supply(holder, chain.property(), AaveChain.TOKEN.multiply(BigInteger.TEN));
            }
            int buffer =
                    10; // above the snapshot (the accounts and its end), which is queued at once
            try (Node node = new Node(chain, Map.of("freehold.node.api.streams.buffer", buffer))) {
                node.awaitHead();
                // Clients with a tiny flow-control window that read one message and then nothing.
                ManagedChannel slowChannel =
                        NettyChannelBuilder.forAddress("127.0.0.1", node.port)
                                .usePlaintext()
                                .flowControlWindow(1024)
                                .build();
                try {
                    Stuck<WatchPositionsRequest, PositionEvent> slowPositions =
                            new Stuck<>(
                                    slowChannel,
                                    PositionServiceGrpc.getWatchPositionsMethod(),
                                    WatchPositionsRequest.getDefaultInstance());
                    Stuck<WatchOpportunitiesRequest, OpportunityEvent> slowOpportunities =
                            new Stuck<>(
                                    slowChannel,
                                    LiquidationServiceGrpc.getWatchOpportunitiesMethod(),
                                    WatchOpportunitiesRequest.newBuilder()
                                            .setHealthFactorBelow(TWO.toString())
                                            .build());
                    Events<PositionEvent> reader = new Events<>();
                    node.positions()
                            .watchPositions(WatchPositionsRequest.getDefaultInstance(), reader);
                    reader.until(PositionEvent::hasSnapshotEnd);
                    StreamFeed positionFeed = node.bean(AavePositionFeed.class).feed();
                    StreamFeed opportunityFeed = node.bean(AaveOpportunities.class).feed();
                    await(
                            () ->
                                    positionFeed.subscribers() == 2
                                            && opportunityFeed.subscribers() == 1);
                    // The stream gauges count both feeds, as on a Freehold node.
                    assertThat(streamGauge(node, "freehold.api.stream.subscribers")).isEqualTo(3.0);

                    // Price moves until both stuck streams are ended; a queue never holds more
                    // than the buffer.
                    long lastMove = 0;
                    for (int i = 0;
                            i < 200
                                    && (positionFeed.subscribers() > 1
                                            || opportunityFeed.subscribers() > 0);
                            i++) {
                        chain.setPropertyPrice(
                                AaveLocalMarket.PROPERTY_PRICE.subtract(
                                        BigInteger.valueOf(1_000_000L * (i + 1))));
                        lastMove = chain.head();
                        long head = lastMove;
                        await(() -> node.following().follower().appliedBlock() >= head);
                        // Per queue: the reading client may have events on their way too.
                        assertThat(positionFeed.longestQueue()).isLessThanOrEqualTo(buffer);
                        assertThat(opportunityFeed.longestQueue()).isLessThanOrEqualTo(buffer);
                    }
                    assertThat(positionFeed.subscribers())
                            .as("only the reading client is left")
                            .isEqualTo(1);
                    assertThat(opportunityFeed.subscribers()).isZero();
                    assertThat(streamGauge(node, "freehold.api.stream.subscribers")).isEqualTo(1.0);
                    // The dropped queues count no more: once the reading client has taken what it
                    // was sent, nothing is queued anywhere (a stuck queue still counted would
                    // stay).
                    await(
                            () ->
                                    positionFeed.queued() == 0
                                            && opportunityFeed.queued() == 0
                                            && streamGauge(node, "freehold.api.stream.queued")
                                                    == 0);

                    // Reading now, each stuck client gets what the transport held, then the end.
                    for (Stuck<?, ?> stuck : List.of(slowPositions, slowOpportunities)) {
                        Status status = stuck.drainAndClose();
                        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(reason(status.asRuntimeException(stuck.trailers)))
                                .isEqualTo("SLOW_CONSUMER");
                    }
                    // The reading client goes on.
                    long last = lastMove;
                    reader.next(e -> e.hasUpdated() && e.getCursor().getBlockNumber() == last);
                    assertThat(reader.error()).isNull();
                } finally {
                    slowChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void refusalsAndStreamCapsAreFreeholds() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            market(chain, chain.account(1), chain.account(2), 50);
            try (Node node =
                    new Node(chain, Map.of("freehold.node.api.max-streams-per-token", 2))) {
                node.awaitHead();
                var positions = PositionServiceGrpc.newBlockingStub(node.channel);
                var liquidations = LiquidationServiceGrpc.newBlockingStub(node.channel);

                // Two streams open (the cap per caller), a third is refused until one ends.
                Context.CancellableContext open = Context.current().withCancellation();
                Events<PositionEvent> one = new Events<>();
                Events<OpportunityEvent> two = new Events<>();
                open.run(
                        () -> {
                            node.positions()
                                    .watchPositions(
                                            WatchPositionsRequest.getDefaultInstance(), one);
                            node.liquidations()
                                    .watchOpportunities(
                                            WatchOpportunitiesRequest.getDefaultInstance(), two);
                        });
                one.until(PositionEvent::hasSnapshotEnd);
                two.until(OpportunityEvent::hasSnapshotEnd);
                refused(
                        () -> positions.watchPositions(WatchPositionsRequest.getDefaultInstance()),
                        Status.Code.RESOURCE_EXHAUSTED,
                        "TOO_MANY_STREAMS");
                refused(
                        () ->
                                liquidations.watchOpportunities(
                                        WatchOpportunitiesRequest.getDefaultInstance()),
                        Status.Code.RESOURCE_EXHAUSTED,
                        "TOO_MANY_STREAMS");
                open.cancel(null);
                await(() -> opens(positions));

                // The requests a Freehold node refuses, refused with the same codes and reasons.
                String otherMarket = "0x" + "00".repeat(32);
                refused(
                        () ->
                                positions.watchPositions(
                                        watch(PositionFilter.newBuilder().setMarketId("0x12"))),
                        Status.Code.INVALID_ARGUMENT,
                        "INVALID_MARKET_ID");
                refused(
                        () ->
                                positions.watchPositions(
                                        watch(
                                                PositionFilter.newBuilder()
                                                        .setMarketId(otherMarket))),
                        Status.Code.NOT_FOUND,
                        "UNKNOWN_MARKET");
                refused(
                        () ->
                                positions.watchPositions(
                                        watch(PositionFilter.newBuilder().setOwner("0x1234"))),
                        Status.Code.INVALID_ARGUMENT,
                        "INVALID_ADDRESS");
                refused(
                        () ->
                                positions.watchPositions(
                                        watch(
                                                PositionFilter.newBuilder()
                                                        .setHealthFactorBelow("1.5"))),
                        Status.Code.INVALID_ARGUMENT,
                        "INVALID_RATIO");
                refused(
                        () ->
                                liquidations.watchOpportunities(
                                        WatchOpportunitiesRequest.newBuilder()
                                                .setMarketId("0x12")
                                                .build()),
                        Status.Code.INVALID_ARGUMENT,
                        "INVALID_MARKET_ID");
                refused(
                        () ->
                                liquidations.watchOpportunities(
                                        WatchOpportunitiesRequest.newBuilder()
                                                .setMarketId(otherMarket)
                                                .build()),
                        Status.Code.NOT_FOUND,
                        "UNKNOWN_MARKET");
                refused(
                        () ->
                                liquidations.watchOpportunities(
                                        WatchOpportunitiesRequest.newBuilder()
                                                .setHealthFactorBelow(
                                                        TWO.add(BigInteger.ONE).toString())
                                                .build()),
                        Status.Code.INVALID_ARGUMENT,
                        "INVALID_RATIO");
            }
        }
    }

    // --- the chain ---

    /** A lender's USDC, and a borrower on property at {@code percent} % of its borrowing power. */
    private static void market(
            AaveChain chain, ChainWriter lender, ChainWriter borrower, int percent)
            throws Exception {
        chain.fund(lender);
        chain.fund(borrower);
        chain.openLoan(lender, 10_000_000, borrower, 1_000, percent);
    }

    /** Borrows {@code usd} dollars of USDC; the block it was mined in. */
    private static long borrow(AaveChain chain, ChainWriter who, BigInteger usd) throws Exception {
        chain.borrow(who, AaveChain.USDC.multiply(usd));
        return chain.head();
    }

    private static void assertThatFiguresAreThePools(AaveChain chain, Position p, long block)
            throws Exception {
        AaveAccount a = p.getAave();
        assertThat(p.getAsOf().getBlockNumber()).isEqualTo(block);
        assertThat(
                        new AccountData(
                                new BigInteger(a.getTotalCollateralBase()),
                                new BigInteger(a.getTotalDebtBase()),
                                new BigInteger(a.getAvailableBorrowsBase()),
                                new BigInteger(a.getCurrentLiquidationThreshold()),
                                new BigInteger(a.getLtv()),
                                new BigInteger(a.getHealthFactor())))
                .as(p.getAccount() + " at block " + block)
                .isEqualTo(chain.accountData(p.getAccount(), block));
    }

    private static double streamGauge(Node node, String name) {
        return node.bean(MeterRegistry.class).get(name).gauge().value();
    }

    private static String hex(ChainWriter who) {
        return Address.of(who.address()).hex();
    }

    private static boolean after(Cursor c, Cursor than) {
        return c.getSequence() > than.getSequence();
    }

    private static WatchPositionsRequest watch(PositionFilter.Builder filter) {
        return WatchPositionsRequest.newBuilder().setFilter(filter).build();
    }

    /** A stream refused: its first read throws the status the node ended it with. */
    private static void refused(Supplier<Iterator<?>> call, Status.Code code, String reason) {
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            assertThatThrownBy(() -> context.call(() -> call.get().next()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> {
                                assertThat(e.getStatus().getCode()).isEqualTo(code);
                                assertThat(reason(e)).isEqualTo(reason);
                            });
        } finally {
            context.cancel(null);
        }
    }

    /** Whether a new position stream opens now (its snapshot ends); it is closed again. */
    private static boolean opens(PositionServiceGrpc.PositionServiceBlockingStub positions) {
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            return context.call(
                    () -> {
                        Iterator<PositionEvent> stream =
                                positions.watchPositions(
                                        WatchPositionsRequest.getDefaultInstance());
                        while (!stream.next().hasSnapshotEnd()) {
                            // the snapshot
                        }
                        return true;
                    });
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                return false;
            }
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            context.cancel(null);
        }
    }

    private static String reason(StatusRuntimeException e) {
        try {
            return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class).getReason();
        } catch (Exception x) {
            throw new AssertionError("no ErrorInfo in " + e, x);
        }
    }

    /** Waits for {@code condition}; fails after two minutes. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("condition not met within two minutes");
            }
            Thread.sleep(20);
        }
    }

    // --- the node and its streams ---

    /** A node following the chain's market, gRPC on a free port, and a channel to it. */
    private final class Node implements AutoCloseable {
        final EmbeddedServer server;
        final int port;
        final ManagedChannel channel;
        private final AaveChain chain;

        Node(AaveChain chain, Map<String, Object> extra) {
            Map<String, Object> props = chain.nodeProperties(dir);
            props.putAll(extra);
            this.chain = chain;
            this.server = ApplicationContext.run(EmbeddedServer.class, props);
            this.port = server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
            this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }

        <B> B bean(Class<B> type) {
            return server.getApplicationContext().getBean(type);
        }

        AaveFollowingService following() {
            return bean(AaveFollowingService.class);
        }

        void awaitHead() throws Exception {
            long head = chain.head();
            await(() -> following().follower().appliedBlock() >= head);
        }

        PositionServiceGrpc.PositionServiceStub positions() {
            return PositionServiceGrpc.newStub(channel);
        }

        LiquidationServiceGrpc.LiquidationServiceStub liquidations() {
            return LiquidationServiceGrpc.newStub(channel);
        }

        Position getPosition(String account) {
            String market = AaveReads.marketId(following().follower().market().pool()).hex();
            return PositionServiceGrpc.newBlockingStub(channel)
                    .getPosition(
                            GetPositionRequest.newBuilder()
                                    .setMarketId(market)
                                    .setAccount(account)
                                    .build());
        }

        @Override
        public void close() throws Exception {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.getApplicationContext().close();
        }
    }

    /** What a stream delivered, read as the test goes; its end, if it ended. */
    private static final class Events<E> implements StreamObserver<E> {
        private final BlockingQueue<E> queue = new LinkedBlockingQueue<>();
        private final List<E> seen = new ArrayList<>();
        private volatile Throwable error;

        @Override
        public void onNext(E value) {
            synchronized (seen) {
                seen.add(value);
            }
            queue.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {}

        Throwable error() {
            return error;
        }

        List<E> seen() {
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }

        /** The next event matching {@code wanted}, skipping others; fails after two minutes. */
        E next(Predicate<E> wanted) throws InterruptedException {
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < giveUp) {
                E e = queue.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && wanted.test(e)) {
                    return e;
                }
                if (e == null && error != null) {
                    throw new AssertionError("the stream ended", error);
                }
            }
            throw new AssertionError("no such event within two minutes");
        }

        /** Every event up to and including the first matching {@code last}. */
        List<E> until(Predicate<E> last) throws InterruptedException {
            List<E> out = new ArrayList<>();
            E e;
            do {
                e = next(x -> true);
                out.add(e);
            } while (!last.test(e));
            return out;
        }

        /**
         * The position updates of the step that applied {@code block}: its events, up to the
         * heartbeat after them (a heartbeat is only sent on a quiet stream, after the step).
         */
        @SuppressWarnings("unchecked")
        List<PositionEvent> stepAt(long block) throws InterruptedException {
            List<PositionEvent> out = new ArrayList<>();
            while (true) {
                PositionEvent e = (PositionEvent) next(x -> true);
                if (e.hasUpdated() && e.getCursor().getBlockNumber() == block) {
                    out.add(e);
                } else if (e.hasHeartbeat() && e.getCursor().getBlockNumber() >= block) {
                    if (!out.isEmpty()) {
                        return out;
                    }
                }
            }
        }
    }

    /**
     * A stream whose client asks for one message and then reads nothing (and whose transport window
     * is tiny): the node's queue for it fills.
     */
    private static final class Stuck<Q, R> {
        private final ClientCall<Q, R> call;
        private final CompletableFuture<Status> closed = new CompletableFuture<>();
        volatile Metadata trailers;

        Stuck(ManagedChannel channel, MethodDescriptor<Q, R> method, Q request) {
            call = channel.newCall(method, CallOptions.DEFAULT);
            call.start(
                    new ClientCall.Listener<>() {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            Stuck.this.trailers = trailers;
                            closed.complete(status);
                        }
                    },
                    new Metadata());
            call.sendMessage(request);
            call.halfClose();
            call.request(1);
        }

        /** Reads everything now; the status the stream ended with. */
        Status drainAndClose() throws Exception {
            call.request(Integer.MAX_VALUE);
            return closed.get(2, TimeUnit.MINUTES);
        }
    }
}
