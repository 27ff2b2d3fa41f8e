package io.freehold.node.api;

import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The two watches, whatever the protocol the node follows, behind both the gRPC streams and (on
 * Freehold) the Server-Sent Events routes ({@code /v1/watch/...}): validate the request (throwing
 * the {@link ApiException} the call ends with, the same codes on every protocol), then subscribe a
 * {@link PositionSubscription} to the protocol's {@link StreamFeed} with the request's resume
 * cursor. The stream is the observer's: it is unsubscribed when the observer is cancelled. What is
 * the protocol's comes in {@link Sources}: Freehold's from {@link FreeholdWatches}, an Aave pool's
 * from {@code aave.AaveWatches}.
 */
public final class Watches {

    private static final BigInteger ONE = BigInteger.TEN.pow(18);

    /**
     * What a protocol streams.
     *
     * @param positions the journal of {@code WatchPositions}
     * @param positionSnapshot every position now, for a new subscriber
     * @param opportunities the journal {@code WatchOpportunities} is a view of (Freehold: the same
     *     as {@code positions})
     * @param opportunitySnapshot what a new opportunity subscriber starts from
     * @param opportunityView turns a position event into what an opportunity stream sends (empty:
     *     nothing), once per event for every stream
     * @param knownMarket whether a market id names a market of this node (else UNKNOWN_MARKET)
     */
    public record Sources(
            StreamFeed positions,
            Supplier<StreamFeed.Snapshot> positionSnapshot,
            StreamFeed opportunities,
            Supplier<StreamFeed.Snapshot> opportunitySnapshot,
            Supplier<Function<PositionEvent, Optional<OpportunityEvent>>> opportunityView,
            Predicate<MarketId> knownMarket) {}

    private final Sources sources;
    private final StreamConfiguration streams;

    public Watches(Sources sources, StreamConfiguration streams) {
        this.sources = sources;
        this.streams = streams;
    }

    /** Open watch streams (positions and opportunities), for the stream metrics. */
    public int subscribers() {
        StreamFeed p = sources.positions();
        StreamFeed o = sources.opportunities();
        return p.subscribers() + (o == p ? 0 : o.subscribers());
    }

    /** Events queued for them and not yet sent (each queue bounded by the stream buffer). */
    public long queued() {
        StreamFeed p = sources.positions();
        StreamFeed o = sources.opportunities();
        return p.queued() + (o == p ? 0 : o.queued());
    }

    /**
     * The generated {@code PositionService}, except that its watch writes {@link Frame}s: the same
     * bytes for every stream an event goes to, serialized once. Clients see the same messages.
     */
    public ServerServiceDefinition withPositionWatch(ServerServiceDefinition generated) {
        return Frame.withFrames(
                generated,
                PositionServiceGrpc.getWatchPositionsMethod(),
                PositionEvent.parser(),
                (request, call) -> {
                    try {
                        positionFrames(request, call);
                    } catch (ApiException e) {
                        call.onError(e.toStatus());
                    }
                });
    }

    /** The generated {@code LiquidationService}, its watch writing {@link Frame}s likewise. */
    public ServerServiceDefinition withOpportunityWatch(ServerServiceDefinition generated) {
        return Frame.withFrames(
                generated,
                LiquidationServiceGrpc.getWatchOpportunitiesMethod(),
                OpportunityEvent.parser(),
                (request, call) -> {
                    try {
                        opportunityFrames(request, call);
                    } catch (ApiException e) {
                        call.onError(e.toStatus());
                    }
                });
    }

    /** Throws what {@link #positions} would refuse the request with, without subscribing. */
    public void check(WatchPositionsRequest request) {
        PositionFilter f = request.getFilter();
        requireMarket(ApiArguments.optionalMarketId("filter.market_id", f.getMarketId()));
        ApiArguments.optionalAddress("filter.owner", f.getOwner());
        ApiArguments.optionalRatio("filter.health_factor_below", f.getHealthFactorBelow());
    }

    /**
     * Events as messages, one per event (the Server-Sent Events route; {@code batched} is not
     * offered there).
     */
    public void positions(
            WatchPositionsRequest request, ServerCallStreamObserver<PositionEvent> call) {
        positions(request, call, PositionSubscription.View.of(Optional::of), false);
    }

    /** Events as frames, serialized once for every stream (gRPC); batched if the request asks. */
    void positionFrames(
            WatchPositionsRequest request, ServerCallStreamObserver<Frame<PositionEvent>> call) {
        positions(request, call, PositionSubscription.View.POSITION_FRAMES, request.getBatched());
    }

    private <T> void positions(
            WatchPositionsRequest request,
            ServerCallStreamObserver<T> call,
            PositionSubscription.View<T> view,
            boolean batched) {
        PositionFilter f = request.getFilter();
        MarketId market = ApiArguments.optionalMarketId("filter.market_id", f.getMarketId());
        Address owner = ApiArguments.optionalAddress("filter.owner", f.getOwner());
        BigInteger below =
                ApiArguments.optionalRatio("filter.health_factor_below", f.getHealthFactorBelow());
        requireMarket(market);
        PositionSubscription<T> subscription =
                new PositionSubscription<>(
                        market, owner, below, call, view, batched, streams.buffer());
        StreamFeed feed = sources.positions();
        call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
        feed.subscribe(
                subscription,
                request.hasResumeAfter() ? request.getResumeAfter() : null,
                sources.positionSnapshot());
    }

    /** Throws what {@link #opportunities} would refuse the request with, without subscribing. */
    public void check(WatchOpportunitiesRequest request) {
        threshold(request);
        requireMarket(ApiArguments.optionalMarketId("market_id", request.getMarketId()));
    }

    /** Events as messages, one per event (the Server-Sent Events route). */
    public void opportunities(
            WatchOpportunitiesRequest request, ServerCallStreamObserver<OpportunityEvent> call) {
        opportunities(
                request,
                call,
                PositionSubscription.View.of(sources.opportunityView().get()),
                false);
    }

    /**
     * Events as frames, each opportunity computed and serialized once for every stream (gRPC);
     * batched if asked.
     */
    void opportunityFrames(
            WatchOpportunitiesRequest request,
            ServerCallStreamObserver<Frame<OpportunityEvent>> call) {
        opportunities(
                request,
                call,
                PositionSubscription.View.opportunityFrames(sources.opportunityView().get()),
                request.getBatched());
    }

    private <T> void opportunities(
            WatchOpportunitiesRequest request,
            ServerCallStreamObserver<T> call,
            PositionSubscription.View<T> view,
            boolean batched) {
        MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
        BigInteger below = threshold(request);
        requireMarket(market);
        PositionSubscription<T> subscription =
                new PositionSubscription<>(
                        market, null, below, call, view, batched, streams.buffer());
        StreamFeed feed = sources.opportunities();
        call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
        feed.subscribe(
                subscription,
                request.hasResumeAfter() ? request.getResumeAfter() : null,
                sources.opportunitySnapshot());
    }

    /** health_factor_below: default 1.0 (liquidatable only), at most 2.0. */
    private static BigInteger threshold(WatchOpportunitiesRequest request) {
        BigInteger below =
                ApiArguments.optionalRatio("health_factor_below", request.getHealthFactorBelow());
        if (below == null) {
            return ONE;
        }
        if (below.compareTo(MAX_OPPORTUNITY_THRESHOLD) > 0) {
            throw ApiException.invalid(
                    "INVALID_RATIO",
                    "health_factor_below",
                    "health_factor_below is at most 2.0 (2000000000000000000)");
        }
        return below;
    }

    /**
     * The highest {@code health_factor_below} an opportunity stream accepts (WAD): a feed of
     * opportunities need only value the positions below it.
     */
    public static final BigInteger MAX_OPPORTUNITY_THRESHOLD = ONE.multiply(BigInteger.TWO);

    private void requireMarket(MarketId market) {
        if (market != null && !sources.knownMarket().test(market)) {
            throw ApiException.unknownMarket(market);
        }
    }
}
