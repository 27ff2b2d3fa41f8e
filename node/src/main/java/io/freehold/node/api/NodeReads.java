package io.freehold.node.api;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.EndpointStatus;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.ingest.Follower;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.Checkpoint;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeStatus;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Optional;

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
    private final RiskService risk;

    public NodeReads(
            IngestionService ingestion,
            ChainRpc rpc,
            NodeConfiguration config,
            BeanProvider<LiquidationService> liquidator,
            RiskService risk) {
        this.ingestion = ingestion;
        this.risk = risk;
        this.rpc = rpc;
        this.config = config;
        this.liquidator = liquidator;
    }

    public NodeStatus status(GetStatusRequest request) {
        Follower f = ingestion.follower();
        // The block the reads serve: the older of the follower's checkpoint and the risk engine's.
        // The engine values a step after the follower applied it, so for that moment it is one
        // step behind; a client that waits for applied_block >= N and then reads a position sees
        // block N or later, never UNKNOWN_POSITION for an account block N opened.
        Optional<Checkpoint> served = served(f.state().checkpoint(), risk.engine().asOf());
        long applied = served.map(Checkpoint::number).orElse(-1L);
        NodeStatus.Builder status =
                NodeStatus.newBuilder()
                        .setChainId(config.chainId())
                        .setHead(Math.max(0, f.head()))
                        .setAppliedBlock(Math.max(0, applied))
                        .setFinalBlock(Math.max(0, Math.min(f.finalBlock(), applied)))
                        .setLagBlocks(f.head() < 0 ? 0 : Math.max(0, f.head() - applied))
                        .setPhase(ingestion.phase().name())
                        .setVersion(Version.NODE);
        served.ifPresent(cp -> status.setCursor(ApiProtos.cursor(cp)));
        liquidator.ifPresent(
                l -> status.setLiquidatorRole(l.role().name()).setLiquidatorEpoch(l.epoch()));
        addEndpoints(status, rpc);
        return status.build();
    }

    /**
     * The block the reads serve, given the follower's checkpoint and the risk engine's: the older
     * one (after a rollback the follower's is the older until the engine is reset); none until both
     * have one.
     */
    static Optional<Checkpoint> served(Optional<Checkpoint> follower, Optional<Checkpoint> engine) {
        if (follower.isEmpty() || engine.isEmpty()) {
            return Optional.empty();
        }
        return follower.get().number() <= engine.get().number() ? follower : engine;
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
