package io.freehold.node.api.health;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * When the node tells load balancers it serves: bound from {@code freehold.node.health.*}.
 *
 * @param maxLagBlocks how far behind the chain's head the applied block may be while the node still
 *     serves (gRPC health SERVING, {@code /health/readiness} UP). Default 10: a node that follows
 *     normally is 0 to 2 blocks behind; one catching up after downtime is far more, and its books
 *     are old, so clients should go elsewhere until it is back.
 * @param refreshInterval how often the gRPC health service's statuses are recomputed (HTTP health
 *     is computed on each request). Default 500ms.
 */
@ConfigurationProperties("freehold.node.health")
public record HealthConfiguration(
        @Bindable(defaultValue = "10") long maxLagBlocks,
        @Bindable(defaultValue = "500ms") Duration refreshInterval) {

    public HealthConfiguration {
        if (maxLagBlocks < 0) {
            throw new IllegalArgumentException(
                    "freehold.node.health.max-lag-blocks must be at least 0, was " + maxLagBlocks);
        }
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException(
                    "freehold.node.health.refresh-interval must be positive");
        }
    }
}
