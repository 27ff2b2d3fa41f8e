package io.freehold.node.aave;

import io.freehold.node.api.ApiArguments;
import io.freehold.node.api.ApiException;
import io.freehold.node.api.LiquidationReads;
import io.freehold.node.api.Watches;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
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
        implements LiquidationServiceGrpc.AsyncService, BindableService {

    private final Watches watches;
    private final AttemptStore attempts;
    private final AaveFollowingService following;

    public AaveLiquidationEndpoint(
            Watches watches, AttemptStore attempts, AaveFollowingService following) {
        this.watches = watches;
        this.attempts = attempts;
        this.following = following;
    }

    /** The service as generated, its watch served by {@link Watches} (frames, as on Freehold). */
    @Override
    public ServerServiceDefinition bindService() {
        return watches.withOpportunityWatch(LiquidationServiceGrpc.bindService(this));
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
