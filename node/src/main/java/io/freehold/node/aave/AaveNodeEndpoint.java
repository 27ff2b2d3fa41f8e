package io.freehold.node.aave;

import io.freehold.node.api.Calls;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/** {@code NodeService} of a node following an Aave v3 pool, over {@link AaveReads}. */
@GrpcService
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveNodeEndpoint extends NodeServiceGrpc.NodeServiceImplBase {

    private final AaveReads reads;

    public AaveNodeEndpoint(AaveReads reads) {
        this.reads = reads;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<NodeStatus> response) {
        Calls.unary(response, () -> reads.status(request));
    }
}
