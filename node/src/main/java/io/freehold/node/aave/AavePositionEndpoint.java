package io.freehold.node.aave;

import io.freehold.node.api.Calls;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code PositionService} of a node following an Aave v3 pool: its accounts as positions. {@code
 * WatchPositions} is not served yet (UNIMPLEMENTED, the base class's answer).
 */
@GrpcService
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AavePositionEndpoint extends PositionServiceGrpc.PositionServiceImplBase {

    private final AaveReads reads;

    public AavePositionEndpoint(AaveReads reads) {
        this.reads = reads;
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
