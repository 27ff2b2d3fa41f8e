package io.freehold.node.aave;

import io.freehold.node.api.ApiArguments;
import io.freehold.node.api.ApiException;
import io.freehold.node.api.LiquidationReads;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code LiquidationService} of a node following an Aave v3 pool: {@code WatchOpportunities}
 * ({@link AaveOpportunities}) and {@code ListAttempts} (the node's own {@code liquidationCall}
 * attempts, from the liquidator's record, newest first, as on a Freehold node); the liquidation
 * history and {@code RequestLiquidation} are UNIMPLEMENTED.
 */
@GrpcService
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveLiquidationEndpoint
        extends LiquidationServiceGrpc.LiquidationServiceImplBase {

    private final AaveOpportunities opportunities;
    private final AttemptStore attempts;
    private final AaveFollowingService following;

    public AaveLiquidationEndpoint(
            AaveOpportunities opportunities,
            AttemptStore attempts,
            AaveFollowingService following) {
        this.opportunities = opportunities;
        this.attempts = attempts;
        this.following = following;
    }

    @Override
    public void watchOpportunities(
            WatchOpportunitiesRequest request, StreamObserver<OpportunityEvent> response) {
        try {
            opportunities.watch(request, response);
        } catch (ApiException e) {
            response.onError(e.toStatus());
        }
    }

    @Override
    public void listAttempts(
            ListAttemptsRequest request, StreamObserver<ListAttemptsResponse> response) {
        try {
            MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
            Address borrower = ApiArguments.optionalAddress("borrower", request.getBorrower());
            int size = ApiArguments.pageSize(request.getPageSize());
            MarketId ours = AaveReads.marketId(following.follower().market().pool());
            if (market != null && !market.equals(ours)) {
                throw ApiException.unknownMarket(market);
            }
            ListAttemptsResponse answer =
                    LiquidationReads.page(attempts, ours, borrower, size, request.getPageToken());
            response.onNext(answer);
            response.onCompleted();
        } catch (ApiException e) {
            response.onError(e.toStatus());
        }
    }
}
