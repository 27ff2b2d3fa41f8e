package io.freehold.node.aave;

import io.freehold.node.api.Calls;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/** {@code MarketService} of a node following an Aave v3 pool: the pool as one market. */
@GrpcService
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveMarketEndpoint extends MarketServiceGrpc.MarketServiceImplBase {

    private final AaveReads reads;

    public AaveMarketEndpoint(AaveReads reads) {
        this.reads = reads;
    }

    @Override
    public void listMarkets(
            ListMarketsRequest request, StreamObserver<ListMarketsResponse> response) {
        Calls.unary(response, () -> reads.listMarkets(request));
    }

    @Override
    public void getMarket(GetMarketRequest request, StreamObserver<Market> response) {
        Calls.unary(response, () -> reads.getMarket(request));
    }
}
