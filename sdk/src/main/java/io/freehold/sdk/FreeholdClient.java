package io.freehold.sdk;

import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.freehold.sdk.internal.AuctionFeed;
import io.freehold.sdk.internal.Channels;
import io.freehold.sdk.internal.EventSink;
import io.freehold.sdk.internal.ObserverSink;
import io.freehold.sdk.internal.PagingSpliterator;
import io.freehold.sdk.internal.PagingSpliterator.Page;
import io.freehold.sdk.internal.PositionProtocol;
import io.freehold.sdk.internal.ProtoConverter;
import io.freehold.sdk.internal.QueueWatch;
import io.freehold.sdk.internal.ResumingStream;
import io.freehold.sdk.internal.StreamProtocol;
import io.freehold.sdk.internal.UnaryCalls;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The client of a Freehold node: markets, positions and what-ifs, as the node sees them on chain.
 * Thread-safe; create one per node and share it. Close it when done.
 *
 * <p>Every call has a blocking form that throws a {@link FreeholdException} subclass, and a form
 * ending in {@code Async} that returns a {@link CompletableFuture} failing with the same exception
 * (cancelling the future cancels the call). Calls take at most the settings' deadline; those that
 * fail with {@code UNAVAILABLE} are retried as the settings allow.
 *
 * <pre>{@code
 * FreeholdSettings settings = FreeholdSettings.builder()
 *         .target("node.example.com:443")
 *         .bearerToken(token)
 *         .build();
 * try (FreeholdClient client = FreeholdClient.create(settings)) {
 *     for (Market market : client.markets()) {
 *         System.out.println(market.marketId() + " " + market.positionsLiquidatable());
 *     }
 * }
 * }</pre>
 */
public final class FreeholdClient implements AutoCloseable {

    private final FreeholdSettings settings;
    private final ManagedChannel channel;
    private final UnaryCalls calls;
    private final Set<Subscription> watches = ConcurrentHashMap.newKeySet();
    private final Liquidations liquidations;

    private FreeholdClient(FreeholdSettings settings, ManagedChannel channel) {
        this.settings = settings;
        this.channel = channel;
        this.calls = new UnaryCalls(channel, settings.deadline());
        this.liquidations = new Liquidations(this, calls);
    }

    /**
     * A client of the node at {@code settings.target()}. Connects lazily, on the first call, so
     * this does not fail when the node is down.
     *
     * <pre>{@code
     * FreeholdClient client = FreeholdClient.create(
     *         FreeholdSettings.builder().target("localhost:50051").tls(false).build());
     * }</pre>
     *
     * @throws java.io.UncheckedIOException if the trusted CA file cannot be read
     */
    public static FreeholdClient create(FreeholdSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return new FreeholdClient(settings, Channels.create(settings));
    }

    // For tests: a transport of their choosing (in-process), with everything else from the
    // settings.
    static FreeholdClient create(FreeholdSettings settings, ManagedChannelBuilder<?> transport) {
        return new FreeholdClient(settings, Channels.configure(transport, settings).build());
    }

    /** The settings this client was created with. */
    public FreeholdSettings settings() {
        return settings;
    }

    /**
     * What the node is doing: how far it has followed the chain, through which endpoints.
     *
     * <pre>{@code
     * NodeStatus s = client.status();
     * System.out.println(s.phase() + " at block " + s.appliedBlock() + ", " + s.lagBlocks() + " behind");
     * }</pre>
     */
    public NodeStatus status() {
        return calls.blocking(
                NodeServiceGrpc.getGetStatusMethod(),
                GetStatusRequest.getDefaultInstance(),
                ProtoConverter::nodeStatus,
                "node status");
    }

    /**
     * {@link #status()} without blocking.
     *
     * <pre>{@code
     * client.statusAsync().thenAccept(s -> metrics.gauge("lag", s.lagBlocks()));
     * }</pre>
     */
    public CompletableFuture<NodeStatus> statusAsync() {
        return calls.async(
                NodeServiceGrpc.getGetStatusMethod(),
                GetStatusRequest.getDefaultInstance(),
                ProtoConverter::nodeStatus,
                "node status");
    }

    /**
     * Every market the node follows.
     *
     * <pre>{@code
     * List<Market> flagged = client.markets().stream().filter(m -> !m.flags().isEmpty()).toList();
     * }</pre>
     */
    public List<Market> markets() {
        return calls.blocking(
                MarketServiceGrpc.getListMarketsMethod(),
                ListMarketsRequest.getDefaultInstance(),
                FreeholdClient::markets,
                "market");
    }

    /**
     * {@link #markets()} without blocking.
     *
     * <pre>{@code
     * client.marketsAsync().thenAccept(markets -> markets.forEach(System.out::println));
     * }</pre>
     */
    public CompletableFuture<List<Market>> marketsAsync() {
        return calls.async(
                MarketServiceGrpc.getListMarketsMethod(),
                ListMarketsRequest.getDefaultInstance(),
                FreeholdClient::markets,
                "market");
    }

    /**
     * One market.
     *
     * <pre>{@code
     * Market m = client.market(MarketId.fromHex("0x3f1c..."));
     * }</pre>
     *
     * @throws NotFoundException with {@link ErrorReason#UNKNOWN_MARKET} if the node knows no such
     *     market
     */
    public Market market(MarketId id) {
        Objects.requireNonNull(id, "id");
        return calls.blocking(
                MarketServiceGrpc.getGetMarketMethod(),
                ProtoConverter.getMarket(id),
                ProtoConverter::market,
                "market");
    }

    /**
     * {@link #market(MarketId)} without blocking.
     *
     * <pre>{@code
     * CompletableFuture<Market> m = client.marketAsync(id);
     * }</pre>
     */
    public CompletableFuture<Market> marketAsync(MarketId id) {
        Objects.requireNonNull(id, "id");
        return calls.async(
                MarketServiceGrpc.getGetMarketMethod(),
                ProtoConverter.getMarket(id),
                ProtoConverter::market,
                "market");
    }

    /**
     * One account's position in one market.
     *
     * <pre>{@code
     * Position p = client.position(marketId, Address.fromHex("0xf39f..."));
     * p.healthFactor();  // e.g. 1.0523
     * }</pre>
     *
     * @throws NotFoundException with {@link ErrorReason#UNKNOWN_POSITION} if the account has
     *     nothing in the market, or {@link ErrorReason#UNKNOWN_MARKET}
     */
    public Position position(MarketId market, Address account) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(account, "account");
        return calls.blocking(
                PositionServiceGrpc.getGetPositionMethod(),
                ProtoConverter.getPosition(market, account),
                ProtoConverter::position,
                "position");
    }

    /**
     * {@link #position(MarketId, Address)} without blocking.
     *
     * <pre>{@code
     * client.positionAsync(marketId, account).thenAccept(p -> alertIf(p.healthFactor().isLiquidatable()));
     * }</pre>
     */
    public CompletableFuture<Position> positionAsync(MarketId market, Address account) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(account, "account");
        return calls.async(
                PositionServiceGrpc.getGetPositionMethod(),
                ProtoConverter.getPosition(market, account),
                ProtoConverter::position,
                "position");
    }

    /**
     * The positions that match, in (market id, account) order, fetched a page at a time as the
     * stream is consumed; each page is one call with its own deadline and retries. A failed page
     * throws its {@link FreeholdException} from the stream operation that reached it.
     *
     * <p>Pages are separate reads: a listing that spans blocks may see a position before and
     * another after a change. Each position's {@link Position#asOf()} says which block it is from.
     *
     * <pre>{@code
     * PositionQuery query = PositionQuery.builder().healthFactorBelow(Wad.ONE).build();
     * try (Stream<Position> liquidatable = client.positions(query)) {
     *     liquidatable.limit(50).forEach(bot::consider);
     * }
     * }</pre>
     */
    public Stream<Position> positions(PositionQuery query) {
        Objects.requireNonNull(query, "query");
        PagingSpliterator<Position> pages =
                new PagingSpliterator<>(
                        token ->
                                calls.blocking(
                                        PositionServiceGrpc.getListPositionsMethod(),
                                        ProtoConverter.listPositions(query, token),
                                        FreeholdClient::page,
                                        "position"));
        return StreamSupport.stream(pages, false);
    }

    /**
     * What a change would do to a position, computed by the node with the contract's math: no
     * transaction is sent.
     *
     * <pre>{@code
     * SimulationResult r = client.simulate(Simulation.withdrawCollateral(marketId, me, amount));
     * if (!r.wouldRevert() && r.after().healthFactor().compareTo(safety) >= 0) { ... }
     * }</pre>
     */
    public SimulationResult simulate(Simulation simulation) {
        Objects.requireNonNull(simulation, "simulation");
        return calls.blocking(
                SimulationServiceGrpc.getSimulateMethod(),
                ProtoConverter.simulate(simulation),
                ProtoConverter::simulationResult,
                "simulation");
    }

    /**
     * {@link #simulate(Simulation)} without blocking.
     *
     * <pre>{@code
     * client.simulateAsync(Simulation.borrow(marketId, me, amount)).thenAccept(this::show);
     * }</pre>
     */
    public CompletableFuture<SimulationResult> simulateAsync(Simulation simulation) {
        Objects.requireNonNull(simulation, "simulation");
        return calls.async(
                SimulationServiceGrpc.getSimulateMethod(),
                ProtoConverter.simulate(simulation),
                ProtoConverter::simulationResult,
                "simulation");
    }

    /**
     * Watches the positions that match {@code query}: a snapshot, then every change, as a blocking
     * iterator. Resumes by itself after a dropped connection or a node restart, with nothing missed
     * and nothing repeated (see {@link PositionEvent}). Close it to stop; closing the client closes
     * it too.
     *
     * <pre>{@code
     * try (Watch<PositionEvent> watch = client.watchPositions(
     *         PositionQuery.builder().healthFactorBelow(Wad.parse("1.1")).build())) {
     *     while (watch.hasNext()) {
     *         System.out.println(watch.next());
     *     }
     * }
     * }</pre>
     *
     * @throws InvalidArgumentException from {@code hasNext}/{@code next} if the node refuses the
     *     query
     */
    public Watch<PositionEvent> watchPositions(PositionQuery query) {
        return watchPositions(query, null);
    }

    /**
     * {@link #watchPositions(PositionQuery)} continuing after {@code resumeAfter} (the cursor of an
     * event a previous watch delivered, e.g. saved before this process restarted; not that of a
     * {@link PositionEvent.Snapshot}); null starts with a snapshot.
     *
     * <pre>{@code
     * Watch<PositionEvent> watch = client.watchPositions(PositionQuery.all(), savedCursor);
     * }</pre>
     */
    public Watch<PositionEvent> watchPositions(PositionQuery query, Cursor resumeAfter) {
        Objects.requireNonNull(query, "query");
        QueueWatch<PositionEvent> watch = new QueueWatch<>();
        watch.attach(
                stream(
                        PositionServiceGrpc.getWatchPositionsMethod(),
                        new PositionProtocol(ProtoConverter.filter(query)),
                        watch,
                        resumeAfter));
        return watch;
    }

    /**
     * {@link #watchPositions(PositionQuery, Cursor)} delivering to {@code observer} on a gRPC
     * thread, one event at a time.
     *
     * <pre>{@code
     * Subscription s = client.watchPositions(PositionQuery.all(), null, event -> book.apply(event));
     * }</pre>
     */
    public Subscription watchPositions(
            PositionQuery query, Cursor resumeAfter, WatchObserver<PositionEvent> observer) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(observer, "observer");
        return stream(
                PositionServiceGrpc.getWatchPositionsMethod(),
                new PositionProtocol(ProtoConverter.filter(query)),
                new ObserverSink<>(observer),
                resumeAfter);
    }

    /**
     * The positions of {@code market} that are in a Dutch auction now (markets created with auction
     * liquidation), each with its auction ({@code actionability().auction()}): the price a take
     * pays at the position's block, the lot and tab left. Pages through the market's positions
     * ({@link #positions(PositionQuery)}) and keeps those in auction: the node has no filter for
     * it, and a position in auction may be healthy again.
     *
     * <pre>{@code
     * try (Stream<Position> inAuction = client.positionsInAuction(marketId)) {
     *     inAuction.forEach(p -> {
     *         Auction a = p.actionability().auction().orElseThrow();
     *         System.out.println(p.account() + ": " + a.lotLeft() + " left at " + a.currentPrice().orElse(null));
     *     });
     * }
     * }</pre>
     */
    public Stream<Position> positionsInAuction(MarketId market) {
        Objects.requireNonNull(market, "market");
        return positions(
                        PositionQuery.builder()
                                .market(market)
                                .pageSize(PositionQuery.MAX_PAGE_SIZE)
                                .build())
                .filter(p -> p.actionability().auction().isPresent());
    }

    /**
     * Watches the Dutch auctions of {@code market}: those running, then every start, change and end
     * ({@link AuctionEvent}), as a blocking iterator. Built on {@link
     * #watchPositions(PositionQuery)} of the market's positions, so it resumes by itself in the
     * same way; closing the client closes it.
     *
     * <pre>{@code
     * try (Watch<AuctionEvent> auctions = client.watchAuctions(marketId)) {
     *     while (auctions.hasNext()) {
     *         if (auctions.next() instanceof AuctionEvent.Started s) {
     *             TakePreview p = s.auction().previewTake(Uint256.MAX);
     *             System.out.println("all of it for " + p.paid() + " at " + p.price());
     *         }
     *     }
     * }
     * }</pre>
     */
    public Watch<AuctionEvent> watchAuctions(MarketId market) {
        Objects.requireNonNull(market, "market");
        return watchAuctions(market, null);
    }

    /**
     * The Dutch auctions of every market the node follows, as {@link #watchAuctions(MarketId)}
     * (every position of every market is watched underneath: prefer one market when you know it).
     *
     * <pre>{@code
     * Watch<AuctionEvent> auctions = client.watchAuctions();
     * }</pre>
     */
    public Watch<AuctionEvent> watchAuctions() {
        return watchAuctions(null, null);
    }

    /**
     * {@link #watchAuctions(MarketId)} of {@code market} (null: every market) continuing after
     * {@code resumeAfter} (null: from a snapshot). A resumed watch knows nothing of the auctions
     * before the cursor: the first change of each comes as {@link AuctionEvent.Started}.
     *
     * <pre>{@code
     * Watch<AuctionEvent> auctions = client.watchAuctions(marketId, savedCursor);
     * }</pre>
     */
    public Watch<AuctionEvent> watchAuctions(MarketId market, Cursor resumeAfter) {
        QueueWatch<AuctionEvent> watch = new QueueWatch<>();
        watch.attach(
                stream(
                        PositionServiceGrpc.getWatchPositionsMethod(),
                        new PositionProtocol(ProtoConverter.filter(auctionQuery(market))),
                        new AuctionFeed(watch),
                        resumeAfter));
        return watch;
    }

    /**
     * {@link #watchAuctions(MarketId, Cursor)} delivering to {@code observer} on a gRPC thread, one
     * event at a time.
     *
     * <pre>{@code
     * Subscription s = client.watchAuctions(marketId, null, event -> bot.onAuction(event));
     * }</pre>
     */
    public Subscription watchAuctions(
            MarketId market, Cursor resumeAfter, WatchObserver<AuctionEvent> observer) {
        Objects.requireNonNull(observer, "observer");
        return stream(
                PositionServiceGrpc.getWatchPositionsMethod(),
                new PositionProtocol(ProtoConverter.filter(auctionQuery(market))),
                new AuctionFeed(new ObserverSink<>(observer)),
                resumeAfter);
    }

    private static PositionQuery auctionQuery(MarketId market) {
        return market == null
                ? PositionQuery.all()
                : PositionQuery.builder().market(market).build();
    }

    /**
     * Liquidations: on chain, the node's own attempts, an admin request, and the opportunities
     * stream.
     *
     * <pre>{@code
     * client.liquidations().list(LiquidationQuery.all()).limit(10).forEach(System.out::println);
     * }</pre>
     */
    public Liquidations liquidations() {
        return liquidations;
    }

    <Q, R, T> Subscription stream(
            MethodDescriptor<Q, R> method,
            StreamProtocol<Q, R, T> protocol,
            EventSink<T> sink,
            Cursor resumeAfter) {
        ResumingStream<Q, R, T>[] self = new ResumingStream[1];
        self[0] =
                new ResumingStream<>(
                        channel,
                        method,
                        protocol,
                        sink,
                        resumeAfter,
                        () -> watches.remove(self[0]));
        watches.add(self[0]);
        return self[0].start();
    }

    /**
     * Closes the connection: waits up to five seconds for calls in flight, then cancels them.
     *
     * <pre>{@code
     * try (FreeholdClient client = FreeholdClient.create(settings)) { ... }  // closed here
     * }</pre>
     */
    @Override
    public void close() {
        List.copyOf(watches).forEach(Subscription::close);
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static List<Market> markets(ListMarketsResponse response) {
        return response.getMarketsList().stream().map(ProtoConverter::market).toList();
    }

    private static Page<Position> page(ListPositionsResponse response) {
        return new Page<>(
                response.getPositionsList().stream().map(ProtoConverter::position).toList(),
                response.getNextPageToken());
    }
}
