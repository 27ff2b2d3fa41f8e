package io.freehold.node.api;

import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code NodeService}: the node's own state, read by {@link NodeReads} (also behind {@code GET
 * /v1/status}).
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class NodeEndpoint extends NodeServiceGrpc.NodeServiceImplBase {

    private final NodeReads reads;

    public NodeEndpoint(NodeReads reads) {
        this.reads = reads;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<NodeStatus> response) {
        Calls.unary(response, () -> reads.status(request));
    }
}
