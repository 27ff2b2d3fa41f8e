package io.freehold.node.api;

import io.freehold.node.state.Address;
import io.freehold.node.state.MarketId;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;
import java.math.BigInteger;

/**
 * {@code PositionService}: one position or pages of them, read by {@link PositionReads} (also behind
 * {@code GET /v1/positions}). The watch stream is {@link PositionFeed}'s journal through a
 * {@link PositionSubscription}.
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class PositionEndpoint extends PositionServiceGrpc.PositionServiceImplBase {


    private final PositionReads reads;
    private final PositionFeed feed;
    private final StreamConfiguration streams;

    public PositionEndpoint(PositionReads reads, PositionFeed feed, StreamConfiguration streams) {
        this.reads = reads;
        this.feed = feed;
        this.streams = streams;
    }

    @Override
    public void watchPositions(WatchPositionsRequest request, StreamObserver<PositionEvent> response) {
        PositionFilter f = request.getFilter();
        ServerCallStreamObserver<PositionEvent> call = (ServerCallStreamObserver<PositionEvent>) response;
        try {
            MarketId market = ApiArguments.optionalMarketId("filter.market_id", f.getMarketId());
            Address owner = ApiArguments.optionalAddress("filter.owner", f.getOwner());
            BigInteger below = ApiArguments.optionalRatio("filter.health_factor_below", f.getHealthFactorBelow());
            if (market != null) {
                reads.requireMarket(market);
            }
            PositionSubscription<PositionEvent> subscription =
                    PositionSubscription.ofPositions(market, owner, below, call, streams.buffer());
            call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
            feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
        } catch (ApiException e) {
            response.onError(e.toStatus());
        }
    }

    @Override
    public void getPosition(GetPositionRequest request, StreamObserver<Position> response) {
        Calls.unary(response, () -> reads.get(request));
    }

    @Override
    public void listPositions(ListPositionsRequest request, StreamObserver<ListPositionsResponse> response) {
        Calls.unary(response, () -> reads.list(request));
    }
}
