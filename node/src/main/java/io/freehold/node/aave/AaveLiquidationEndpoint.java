package io.freehold.node.aave;

import io.freehold.node.api.ApiException;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code LiquidationService} of a node following an Aave v3 pool: {@code WatchOpportunities} only
 * ({@link AaveOpportunities}); the liquidation history and attempts are UNIMPLEMENTED.
 */
@GrpcService
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveLiquidationEndpoint
        extends LiquidationServiceGrpc.LiquidationServiceImplBase {

    private final AaveOpportunities opportunities;

    public AaveLiquidationEndpoint(AaveOpportunities opportunities) {
        this.opportunities = opportunities;
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
}
