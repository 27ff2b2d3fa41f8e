package io.freehold.node.api;

import com.google.rpc.Code;
import io.freehold.node.liquidation.LiquidationCandidate;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.Address;
import io.freehold.node.state.MarketId;
import io.freehold.proto.v1.AttemptStatus;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.ListLiquidationsResponse;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.RequestLiquidationRequest;
import io.freehold.node.ingest.IngestionService;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.math.BigInteger;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;
import java.util.List;

/**
 * {@code LiquidationService}: liquidations on chain (the stored history of {@code Liquidate} logs, final
 * and unconfirmed blocks alike; a reorg removes what it orphans), the node's own attempts, newest first,
 * and (admin) a request to liquidate one position now. The request only queues the position for the executor, which runs the same
 * preflight as for anything the risk engine finds; its outcome shows in ListAttempts.
 * WatchOpportunities is the position stream seen through {@link OpportunityView}.
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class LiquidationEndpoint extends LiquidationServiceGrpc.LiquidationServiceImplBase {

    private static final BigInteger ONE = BigInteger.TEN.pow(18);

    private final LiquidationReads reads;
    private final LiquidationService liquidator;
    private final RiskService risk;
    private final IngestionService ingestion;
    private final PositionFeed feed;
    private final StreamConfiguration streams;

    public LiquidationEndpoint(LiquidationReads reads, LiquidationService liquidator, RiskService risk,
            IngestionService ingestion, PositionFeed feed, StreamConfiguration streams) {
        this.reads = reads;
        this.liquidator = liquidator;
        this.risk = risk;
        this.ingestion = ingestion;
        this.feed = feed;
        this.streams = streams;
    }

    @Override
    public void watchOpportunities(WatchOpportunitiesRequest request, StreamObserver<OpportunityEvent> response) {
        try {
            MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
            BigInteger below = ApiArguments.optionalRatio("health_factor_below", request.getHealthFactorBelow());
            if (below == null) {
                below = ONE;
            } else if (below.compareTo(ONE.multiply(BigInteger.TWO)) > 0) {
                throw ApiException.invalid("INVALID_RATIO", "health_factor_below",
                        "health_factor_below is at most 2.0 (2000000000000000000)");
            }
            if (market != null && risk.engine().market(market).isEmpty()) {
                throw ApiException.unknownMarket(market);
            }
            ServerCallStreamObserver<OpportunityEvent> call = (ServerCallStreamObserver<OpportunityEvent>) response;
            OpportunityView view = new OpportunityView(risk.engine(), () -> ingestion.follower().state(),
                    liquidator.mode() == LiquidatorConfiguration.Mode.EXECUTE);
            PositionSubscription<OpportunityEvent> subscription =
                    new PositionSubscription<>(market, null, below, call, view, streams.buffer());
            call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
            feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
        } catch (ApiException e) {
            response.onError(e.toStatus());
        }
    }

    @Override
    public void listLiquidations(ListLiquidationsRequest request, StreamObserver<ListLiquidationsResponse> response) {
        Calls.unary(response, () -> reads.liquidations(request));
    }

    @Override
    public void listAttempts(ListAttemptsRequest request, StreamObserver<ListAttemptsResponse> response) {
        Calls.unary(response, () -> reads.attempts(request));
    }

    @Override
    public void requestLiquidation(RequestLiquidationRequest request, StreamObserver<LiquidationAttempt> response) {
        Calls.unary(response, () -> {
            MarketId market = ApiArguments.marketId("market_id", request.getMarketId());
            Address borrower = ApiArguments.address("borrower", request.getBorrower());
            PositionRisk position = risk.engine().risk(market, borrower).orElseThrow(() ->
                    ApiException.unknownPosition("borrower", market, borrower));
            if (liquidator.mode() != LiquidatorConfiguration.Mode.EXECUTE) {
                throw new ApiException(Code.FAILED_PRECONDITION, "NODE_NOT_READY", null,
                        "the node's liquidator is in watch mode; set freehold.node.liquidator.mode=EXECUTE");
            }
            long block = position.asOf().number();
            liquidator.offer(List.of(new LiquidationCandidate(market, borrower, block, block)));
            return LiquidationAttempt.newBuilder().setMarketId(market.hex()).setBorrower(borrower.hex())
                    .setStatus(AttemptStatus.ATTEMPT_STATUS_UNSPECIFIED)
                    .setReason("queued for the executor; its preflight decides, see ListAttempts").build();
        });
    }

}
