package io.freehold.node.aave;

import io.freehold.node.api.health.HealthConfiguration;
import io.freehold.node.chain.ChainRpc;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code GET /health/readiness} of a node following an Aave pool: UP once a block is applied, while
 * following has not stopped and the applied block is at most {@code
 * freehold.node.health.max-lag-blocks} behind the best head the endpoints reported; DOWN (HTTP 503)
 * otherwise. (The gRPC health service's per-service statuses are Freehold's only.)
 */
@Singleton
@Readiness
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveReadiness implements HealthIndicator {

    private final AaveFollowingService following;
    private final ChainRpc rpc;
    private final HealthConfiguration config;

    public AaveReadiness(AaveFollowingService following, ChainRpc rpc, HealthConfiguration config) {
        this.following = following;
        this.rpc = rpc;
        this.config = config;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        AaveFollowingService.Phase phase = following.phase();
        boolean applied = following.follower().applied().isPresent();
        long lag = Math.max(0, rpc.bestHead() - following.follower().appliedBlock());
        boolean serving =
                applied
                        && phase != AaveFollowingService.Phase.FAILED
                        && phase != AaveFollowingService.Phase.STOPPED
                        && lag <= config.maxLagBlocks();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("serving", serving);
        details.put("protocol", "aave-v3");
        details.put("phase", phase.name());
        details.put("appliedBlock", following.follower().appliedBlock());
        details.put("lagBlocks", lag);
        details.put("maxLagBlocks", config.maxLagBlocks());
        following.lastError().ifPresent(e -> details.put("lastError", e));
        return Publishers.just(
                HealthResult.builder(
                                "freehold-serving", serving ? HealthStatus.UP : HealthStatus.DOWN)
                        .details(details)
                        .build());
    }
}
