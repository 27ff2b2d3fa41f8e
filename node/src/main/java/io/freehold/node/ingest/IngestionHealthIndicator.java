package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.EndpointStatus;
import io.freehold.node.config.NodeConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code GET /health}: the follower's part. UP while following the head; UNKNOWN while catching up
 * (the state is correct but old: nothing should act on it yet); DOWN while a failed step is being
 * retried (no endpoint answers, the database is away), while the node recovers from a reorg deeper
 * than the window (until it is back at the head), when following stopped, or when no endpoint is
 * usable. Details: chain id, head, applied and final block, lag, reorgs, and each endpoint's
 * breaker, head and last error (URLs without their paths, which may hold API keys).
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class IngestionHealthIndicator implements HealthIndicator {

    private final IngestionService ingestion;
    private final ChainRpc rpc;
    private final NodeConfiguration config;

    public IngestionHealthIndicator(
            IngestionService ingestion, ChainRpc rpc, NodeConfiguration config) {
        this.ingestion = ingestion;
        this.rpc = rpc;
        this.config = config;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(result());
    }

    HealthResult result() {
        Follower f = ingestion.follower();
        List<EndpointStatus> endpoints = rpc.status();
        boolean anyEndpointUp =
                endpoints.stream()
                        .anyMatch(
                                e ->
                                        !"OPEN".equals(e.breakerState())
                                                && !"WRONG_CHAIN".equals(e.chainCheck()));
        HealthStatus status =
                switch (ingestion.phase()) {
                    case FOLLOWING ->
                            anyEndpointUp && ingestion.lastError().isEmpty()
                                    ? HealthStatus.UP
                                    : HealthStatus.DOWN;
                    case STARTING, CATCHING_UP ->
                            anyEndpointUp ? HealthStatus.UNKNOWN : HealthStatus.DOWN;
                    case RECOVERING, RETRYING, FAILED, STOPPED -> HealthStatus.DOWN;
                };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("phase", ingestion.phase().name());
        details.put("chainId", config.chainId());
        details.put("head", f.head());
        details.put("appliedBlock", f.appliedBlock());
        details.put("finalBlock", f.finalBlock());
        details.put("lagBlocks", f.head() < 0 ? -1 : Math.max(0, f.head() - f.appliedBlock()));
        details.put("reorgs", f.reorgs());
        details.put("deepReorgs", f.deepReorgs());
        ingestion.lastError().ifPresent(e -> details.put("lastError", e));
        details.put(
                "endpoints", endpoints.stream().map(IngestionHealthIndicator::endpoint).toList());
        return HealthResult.builder("freehold-ingestion", status).details(details).build();
    }

    private static Map<String, Object> endpoint(EndpointStatus e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("url", e.url());
        m.put("breaker", e.breakerState());
        m.put("chainCheck", e.chainCheck());
        m.put("lastSeenHead", e.lastSeenHead());
        m.put("lagging", e.lagging());
        m.put("consecutiveFailures", e.consecutiveFailures());
        if (e.lastError() != null) {
            m.put("lastError", e.lastError());
            m.put("lastErrorAt", String.valueOf(e.lastErrorAt()));
        }
        return m;
    }
}
