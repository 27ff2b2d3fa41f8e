package io.freehold.node.api;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.EndpointStatus;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.ingest.Follower;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeStatus;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * {@code NodeService}'s one read, the same numbers as {@code /health}: behind both the gRPC
 * endpoint ({@link NodeEndpoint}) and {@code GET /v1/status}.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class NodeReads {

    private final IngestionService ingestion;
    private final ChainRpc rpc;
    private final NodeConfiguration config;
    private final BeanProvider<LiquidationService> liquidator;

    public NodeReads(
            IngestionService ingestion,
            ChainRpc rpc,
            NodeConfiguration config,
            BeanProvider<LiquidationService> liquidator) {
        this.ingestion = ingestion;
        this.rpc = rpc;
        this.config = config;
        this.liquidator = liquidator;
    }

    public NodeStatus status(GetStatusRequest request) {
        Follower f = ingestion.follower();
        NodeStatus.Builder status =
                NodeStatus.newBuilder()
                        .setChainId(config.chainId())
                        .setHead(Math.max(0, f.head()))
                        .setAppliedBlock(Math.max(0, f.appliedBlock()))
                        .setFinalBlock(Math.max(0, f.finalBlock()))
                        .setLagBlocks(f.head() < 0 ? 0 : Math.max(0, f.head() - f.appliedBlock()))
                        .setPhase(ingestion.phase().name())
                        .setVersion(Version.NODE);
        f.state().checkpoint().ifPresent(cp -> status.setCursor(ApiProtos.cursor(cp)));
        liquidator.ifPresent(
                l -> status.setLiquidatorRole(l.role().name()).setLiquidatorEpoch(l.epoch()));
        addEndpoints(status, rpc);
        return status.build();
    }

    /**
     * Each JSON-RPC endpoint as the status shows it (the same on a node following an Aave pool):
     * its breaker, the last head it reported, whether it lags, its last error.
     */
    public static void addEndpoints(NodeStatus.Builder status, ChainRpc rpc) {
        for (EndpointStatus e : rpc.status()) {
            status.addEndpoints(
                    io.freehold.proto.v1.EndpointStatus.newBuilder()
                            .setName(e.name())
                            .setBreaker(e.breakerState())
                            .setLastSeenHead(Math.max(0, e.lastSeenHead()))
                            .setLagging(e.lagging())
                            .setLastError(e.lastError() == null ? "" : e.lastError()));
        }
    }
}
