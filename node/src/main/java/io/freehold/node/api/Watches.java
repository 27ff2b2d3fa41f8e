package io.freehold.node.api;

import io.freehold.node.ingest.IngestionService;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.risk.RiskService;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigInteger;

/**
 * The two watches, behind both the gRPC streams ({@link PositionEndpoint}, {@link LiquidationEndpoint})
 * and the Server-Sent Events routes ({@code /v1/watch/...}): validate the request (throwing the
 * {@link ApiException} the call ends with), then subscribe a {@link PositionSubscription} to the
 * {@link PositionFeed} with the request's resume cursor. The stream is the observer's: it is unsubscribed
 * when the observer is cancelled.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class Watches {

    private static final BigInteger ONE = BigInteger.TEN.pow(18);

    private final RiskService risk;
    private final PositionFeed feed;
    private final StreamConfiguration streams;
    private final IngestionService ingestion;
    private final LiquidationService liquidator;

    public Watches(RiskService risk, PositionFeed feed, StreamConfiguration streams, IngestionService ingestion,
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

    public void positions(WatchPositionsRequest request, ServerCallStreamObserver<PositionEvent> call) {
        PositionFilter f = request.getFilter();
        MarketId market = ApiArguments.optionalMarketId("filter.market_id", f.getMarketId());
        Address owner = ApiArguments.optionalAddress("filter.owner", f.getOwner());
        BigInteger below = ApiArguments.optionalRatio("filter.health_factor_below", f.getHealthFactorBelow());
        requireMarket(market);
        PositionSubscription<PositionEvent> subscription =
                PositionSubscription.ofPositions(market, owner, below, call, streams.buffer());
        call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
        feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
    }

    /** Throws what {@link #opportunities} would refuse the request with, without subscribing. */
    public void check(WatchOpportunitiesRequest request) {
        threshold(request);
        requireMarket(ApiArguments.optionalMarketId("market_id", request.getMarketId()));
    }

    public void opportunities(WatchOpportunitiesRequest request, ServerCallStreamObserver<OpportunityEvent> call) {
        MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
        BigInteger below = threshold(request);
        requireMarket(market);
        OpportunityView view = new OpportunityView(risk.engine(), () -> ingestion.follower().state(),
                liquidator.mode() == LiquidatorConfiguration.Mode.EXECUTE);
        PositionSubscription<OpportunityEvent> subscription =
                new PositionSubscription<>(market, null, below, call, view, streams.buffer());
        call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
        feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
    }

    /** health_factor_below: default 1.0 (liquidatable only), at most 2.0. */
    private static BigInteger threshold(WatchOpportunitiesRequest request) {
        BigInteger below = ApiArguments.optionalRatio("health_factor_below", request.getHealthFactorBelow());
        if (below == null) {
            return ONE;
        }
        if (below.compareTo(ONE.multiply(BigInteger.TWO)) > 0) {
            throw ApiException.invalid("INVALID_RATIO", "health_factor_below",
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
