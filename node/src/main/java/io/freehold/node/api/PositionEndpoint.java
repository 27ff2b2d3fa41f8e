package io.freehold.node.api;

import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code PositionService}: one position or pages of them, read by {@link PositionReads} (also
 * behind {@code GET /v1/positions}). The watch stream is {@link PositionFeed}'s journal through a
 * {@link PositionSubscription}, opened by {@link Watches} (also behind {@code GET
 * /v1/watch/positions}).
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class PositionEndpoint implements PositionServiceGrpc.AsyncService, BindableService {

    private final PositionReads reads;
    private final Watches watches;

    public PositionEndpoint(PositionReads reads, Watches watches) {
        this.reads = reads;
        this.watches = watches;
    }

    /**
     * The service as generated, except that its watch writes {@link Frame}s: the same bytes for
     * every stream an event goes to, serialized once ({@link Watches}); and its two reads answer in
     * bytes serialized once per position and block ({@link PositionMessages}). Clients see the same
     * messages, byte for byte.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition service =
                watches.withPositionWatch(PositionServiceGrpc.bindService(this));
        // The reads answer in bytes made once per position and block (PositionMessages).
        service =
                Frame.withUnaryFrame(
                        service,
                        PositionServiceGrpc.getGetPositionMethod(),
                        Position.parser(),
                        reads::getFrame);
        return Frame.withUnaryFrame(
                service,
                PositionServiceGrpc.getListPositionsMethod(),
                ListPositionsResponse.parser(),
                reads::listFrame);
    }

    @Override
    public void getPosition(GetPositionRequest request, StreamObserver<Position> response) {
        Calls.unary(response, () -> reads.get(request));
    }

    @Override
    public void listPositions(
            ListPositionsRequest request, StreamObserver<ListPositionsResponse> response) {
        Calls.unary(response, () -> reads.list(request));
    }
}
