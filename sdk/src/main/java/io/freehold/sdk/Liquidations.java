package io.freehold.sdk;

import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.ListLiquidationsResponse;
import io.freehold.proto.v1.RequestLiquidationRequest;
import io.freehold.sdk.internal.ObserverSink;
import io.freehold.sdk.internal.OpportunityProtocol;
import io.freehold.sdk.internal.PagingSpliterator;
import io.freehold.sdk.internal.PagingSpliterator.Page;
import io.freehold.sdk.internal.ProtoConverter;
import io.freehold.sdk.internal.QueueWatch;
import io.freehold.sdk.internal.UnaryCalls;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The liquidation side of a node, from {@link FreeholdClient#liquidations()}: liquidations that
 * happened on chain, the node's own attempts, an admin request to liquidate one position, and the
 * stream of opportunities bots live on. Shares the client's connection; closing the client ends its
 * watches.
 *
 * <pre>{@code
 * Liquidations liquidations = client.liquidations();
 * try (Watch<OpportunityEvent> watch = liquidations.watchOpportunities(OpportunityQuery.liquidatable())) {
 *     watch.forEachRemaining(System.out::println);
 * }
 * }</pre>
 */
public final class Liquidations {

    private final FreeholdClient client;
    private final UnaryCalls calls;

    Liquidations(FreeholdClient client, UnaryCalls calls) {
        this.client = client;
        this.calls = calls;
    }

    /**
     * Liquidations on chain, newest first, paged underneath; a reorg removes those it orphaned.
     *
     * <pre>{@code
     * BigInteger badDebt = client.liquidations().list(LiquidationQuery.all().inMarket(id))
     *         .map(Liquidation::badDebtAssets).reduce(BigInteger.ZERO, BigInteger::add);
     * }</pre>
     *
     * @throws NotFoundException (when the stream is consumed) for a market the node does not follow
     */
    public Stream<Liquidation> list(LiquidationQuery query) {
        Objects.requireNonNull(query, "query");
        return StreamSupport.stream(
                new PagingSpliterator<>(
                        token ->
                                calls.blocking(
                                        LiquidationServiceGrpc.getListLiquidationsMethod(),
                                        listRequest(query, token),
                                        Liquidations::liquidationPage,
                                        "liquidation")),
                false);
    }

    /**
     * The node's own attempts, newest first.
     *
     * <pre>{@code
     * client.liquidations().attempts(LiquidationQuery.all().ofBorrower(borrower)).findFirst()
     *         .ifPresent(a -> System.out.println(a.status() + " " + a.reason().orElse("")));
     * }</pre>
     */
    public Stream<LiquidationAttempt> attempts(LiquidationQuery query) {
        Objects.requireNonNull(query, "query");
        return StreamSupport.stream(
                new PagingSpliterator<>(
                        token ->
                                calls.blocking(
                                        LiquidationServiceGrpc.getListAttemptsMethod(),
                                        attemptsRequest(query, token),
                                        Liquidations::attemptPage,
                                        "liquidation attempt")),
                false);
    }

    /**
     * Asks the node to liquidate one position now (an admin token; the node's liquidator in execute
     * mode). The node's usual preflight decides; the outcome shows in {@link #attempts}.
     *
     * <pre>{@code
     * admin.liquidations().request(marketId, borrower);
     * }</pre>
     *
     * @throws PermissionDeniedException without an admin token
     * @throws FreeholdException with reason {@code NODE_NOT_READY} when the node only watches
     */
    public LiquidationAttempt request(MarketId market, Address borrower) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(borrower, "borrower");
        return calls.blocking(
                LiquidationServiceGrpc.getRequestLiquidationMethod(),
                RequestLiquidationRequest.newBuilder()
                        .setMarketId(market.toString())
                        .setBorrower(borrower.toChecksumHex())
                        .build(),
                ProtoConverter::attempt,
                "liquidation attempt");
    }

    /**
     * Watches liquidation opportunities: positions that are liquidatable (or, with a health filter,
     * close to it) with what liquidating them would move and whether the node will act itself.
     * Resumes by itself like {@link FreeholdClient#watchPositions(PositionQuery)}.
     *
     * <pre>{@code
     * try (Watch<OpportunityEvent> watch = client.liquidations().watchOpportunities(OpportunityQuery.liquidatable())) {
     *     while (watch.hasNext()) {
     *         if (watch.next() instanceof OpportunityEvent.Changed c && !c.opportunity().nodeWillAct()) {
     *             liquidate(c.opportunity());
     *         }
     *     }
     * }
     * }</pre>
     */
    public Watch<OpportunityEvent> watchOpportunities(OpportunityQuery query) {
        return watchOpportunities(query, null);
    }

    /**
     * {@link #watchOpportunities(OpportunityQuery)} continuing after {@code resumeAfter} (null:
     * from a snapshot).
     *
     * <pre>{@code
     * Watch<OpportunityEvent> watch = client.liquidations().watchOpportunities(OpportunityQuery.liquidatable(), savedCursor);
     * }</pre>
     */
    public Watch<OpportunityEvent> watchOpportunities(OpportunityQuery query, Cursor resumeAfter) {
        Objects.requireNonNull(query, "query");
        QueueWatch<OpportunityEvent> watch = new QueueWatch<>();
        watch.attach(
                client.stream(
                        LiquidationServiceGrpc.getWatchOpportunitiesMethod(),
                        new OpportunityProtocol(query),
                        watch,
                        resumeAfter));
        return watch;
    }

    /**
     * {@link #watchOpportunities(OpportunityQuery, Cursor)} delivering to {@code observer}.
     *
     * <pre>{@code
     * Subscription s = client.liquidations().watchOpportunities(OpportunityQuery.liquidatable(), null, bot::onOpportunity);
     * }</pre>
     */
    public Subscription watchOpportunities(
            OpportunityQuery query, Cursor resumeAfter, WatchObserver<OpportunityEvent> observer) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(observer, "observer");
        return client.stream(
                LiquidationServiceGrpc.getWatchOpportunitiesMethod(),
                new OpportunityProtocol(query),
                new ObserverSink<>(observer),
                resumeAfter);
    }

    private static ListLiquidationsRequest listRequest(LiquidationQuery query, String token) {
        ListLiquidationsRequest.Builder b =
                ListLiquidationsRequest.newBuilder().setPageToken(token);
        query.market().ifPresent(m -> b.setMarketId(m.toString()));
        query.borrower().ifPresent(a -> b.setBorrower(a.toChecksumHex()));
        return b.build();
    }

    private static ListAttemptsRequest attemptsRequest(LiquidationQuery query, String token) {
        ListAttemptsRequest.Builder b = ListAttemptsRequest.newBuilder().setPageToken(token);
        query.market().ifPresent(m -> b.setMarketId(m.toString()));
        query.borrower().ifPresent(a -> b.setBorrower(a.toChecksumHex()));
        return b.build();
    }

    private static Page<Liquidation> liquidationPage(ListLiquidationsResponse r) {
        return new Page<>(
                r.getLiquidationsList().stream().map(ProtoConverter::liquidation).toList(),
                r.getNextPageToken());
    }

    private static Page<LiquidationAttempt> attemptPage(ListAttemptsResponse r) {
        return new Page<>(
                r.getAttemptsList().stream().map(ProtoConverter::attempt).toList(),
                r.getNextPageToken());
    }
}
