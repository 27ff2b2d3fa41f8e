package io.freehold.node.aave;

import io.freehold.node.api.Calls;
import io.freehold.node.api.Watches;
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
 * {@code PositionService} of a node following an Aave v3 pool: its accounts as positions, and
 * {@code WatchPositions} ({@link AavePositionFeed} through the protocol-neutral {@link Watches}).
 */
@GrpcService
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AavePositionEndpoint
        implements PositionServiceGrpc.AsyncService, BindableService {

    private final AaveReads reads;
    private final Watches watches;

    public AavePositionEndpoint(AaveReads reads, Watches watches) {
        this.reads = reads;
        this.watches = watches;
    }

    /** The service as generated, its watch served by {@link Watches} (frames, as on Freehold). */
    @Override
    public ServerServiceDefinition bindService() {
        return watches.withPositionWatch(PositionServiceGrpc.bindService(this));
    }

    @Override
    public void getPosition(GetPositionRequest request, StreamObserver<Position> response) {
        Calls.unary(response, () -> reads.getPosition(request));
    }

    @Override
    public void listPositions(
            ListPositionsRequest request, StreamObserver<ListPositionsResponse> response) {
        Calls.unary(response, () -> reads.listPositions(request));
    }
}
