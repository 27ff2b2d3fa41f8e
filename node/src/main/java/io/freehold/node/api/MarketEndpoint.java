package io.freehold.node.api;

import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code MarketService}: the markets, read by {@link MarketReads} (also behind {@code GET
 * /v1/markets}).
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class MarketEndpoint extends MarketServiceGrpc.MarketServiceImplBase {

    private final MarketReads reads;

    public MarketEndpoint(MarketReads reads) {
        this.reads = reads;
    }

    @Override
    public void listMarkets(
            ListMarketsRequest request, StreamObserver<ListMarketsResponse> response) {
        Calls.unary(response, () -> reads.list(request));
    }

    @Override
    public void getMarket(GetMarketRequest request, StreamObserver<Market> response) {
        Calls.unary(response, () -> reads.get(request));
    }
}
