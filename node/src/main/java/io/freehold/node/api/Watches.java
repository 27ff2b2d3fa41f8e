package io.freehold.node.api;

import io.freehold.node.ingest.IngestionService;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.risk.RiskService;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.stub.ServerCallStreamObserver;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigInteger;

/**
 * The two watches, behind both the gRPC streams ({@link PositionEndpoint}, {@link
 * LiquidationEndpoint}) and the Server-Sent Events routes ({@code /v1/watch/...}): validate the
 * request (throwing the {@link ApiException} the call ends with), then subscribe a {@link
 * PositionSubscription} to the {@link PositionFeed} with the request's resume cursor. The stream is
 * the observer's: it is unsubscribed when the observer is cancelled.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class Watches {

    private static final BigInteger ONE = BigInteger.TEN.pow(18);

    private final RiskService risk;
    private final PositionFeed feed;
    private final StreamConfiguration streams;
    private final IngestionService ingestion;
    private final LiquidationService liquidator;

    public Watches(
            RiskService risk,
            PositionFeed feed,
            StreamConfiguration streams,
            IngestionService ingestion,
            LiquidationService liquidator) {
        this.risk = risk;
        this.feed = feed;
        this.streams = streams;
        this.ingestion = ingestion;
        this.liquidator = liquidator;
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
        positions(request, call, PositionSubscription.View.of(java.util.Optional::of), false);
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
        call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
        feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
    }

    /** Throws what {@link #opportunities} would refuse the request with, without subscribing. */
    public void check(WatchOpportunitiesRequest request) {
        threshold(request);
        requireMarket(ApiArguments.optionalMarketId("market_id", request.getMarketId()));
    }

    /** Events as messages, one per event (the Server-Sent Events route). */
    public void opportunities(
            WatchOpportunitiesRequest request, ServerCallStreamObserver<OpportunityEvent> call) {
        opportunities(request, call, PositionSubscription.View.of(opportunityView()), false);
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
                PositionSubscription.View.opportunityFrames(opportunityView()),
                request.getBatched());
    }

    private OpportunityView opportunityView() {
        return new OpportunityView(
                risk.engine(),
                () -> ingestion.follower().state(),
                liquidator.mode() == LiquidatorConfiguration.Mode.EXECUTE);
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
        call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
        feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
    }

    /** health_factor_below: default 1.0 (liquidatable only), at most 2.0. */
    private static BigInteger threshold(WatchOpportunitiesRequest request) {
        BigInteger below =
                ApiArguments.optionalRatio("health_factor_below", request.getHealthFactorBelow());
        if (below == null) {
            return ONE;
        }
        if (below.compareTo(ONE.multiply(BigInteger.TWO)) > 0) {
            throw ApiException.invalid(
                    "INVALID_RATIO",
                    "health_factor_below",
                    "health_factor_below is at most 2.0 (2000000000000000000)");
        }
        return below;
    }

    private void requireMarket(MarketId market) {
        if (market != null && risk.engine().market(market).isEmpty()) {
            throw ApiException.unknownMarket(market);
        }
    }
}
