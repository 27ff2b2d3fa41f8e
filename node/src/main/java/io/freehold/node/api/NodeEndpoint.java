package io.freehold.node.api;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.EndpointStatus;
import io.freehold.node.ingest.Follower;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.state.Checkpoint;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/** {@code NodeService}: the node's own state, the same numbers as {@code /health}. */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class NodeEndpoint extends NodeServiceGrpc.NodeServiceImplBase {

    private final IngestionService ingestion;
    private final ChainRpc rpc;
    private final NodeConfiguration config;

    private final io.micronaut.context.BeanProvider<io.freehold.node.liquidation.LiquidationService> liquidator;

    public NodeEndpoint(IngestionService ingestion, ChainRpc rpc, NodeConfiguration config,
            io.micronaut.context.BeanProvider<io.freehold.node.liquidation.LiquidationService> liquidator) {
        this.ingestion = ingestion;
        this.rpc = rpc;
        this.config = config;
        this.liquidator = liquidator;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<NodeStatus> response) {
        Follower f = ingestion.follower();
        NodeStatus.Builder status = NodeStatus.newBuilder()
                .setChainId(config.chainId())
                .setHead(Math.max(0, f.head()))
                .setAppliedBlock(Math.max(0, f.appliedBlock()))
                .setFinalBlock(Math.max(0, f.finalBlock()))
                .setLagBlocks(f.head() < 0 ? 0 : Math.max(0, f.head() - f.appliedBlock()))
                .setPhase(ingestion.phase().name())
                .setVersion(Version.NODE);
        f.state().checkpoint().ifPresent(cp -> status.setCursor(cursor(cp)));
        liquidator.ifPresent(l -> status.setLiquidatorRole(l.role().name()).setLiquidatorEpoch(l.epoch()));
        for (EndpointStatus e : rpc.status()) {
            status.addEndpoints(io.freehold.proto.v1.EndpointStatus.newBuilder()
                    .setName(e.name())
                    .setBreaker(e.breakerState())
                    .setLastSeenHead(Math.max(0, e.lastSeenHead()))
                    .setLagging(e.lagging())
                    .setLastError(e.lastError() == null ? "" : e.lastError()));
        }
        response.onNext(status.build());
        response.onCompleted();
    }

    static Cursor cursor(Checkpoint cp) {
        return Cursor.newBuilder().setBlockNumber(cp.number()).setBlockHash(cp.hash().hex()).build();
    }
}
