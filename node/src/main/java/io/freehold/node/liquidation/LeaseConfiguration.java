package io.freehold.node.liquidation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Replicas ({@code freehold.node.liquidator.lease.*}): several nodes on one PostgreSQL, one
 * liquidator.
 *
 * @param enabled take part in the election (default false: a single node executes without a lease).
 *     Every replica sharing the database must enable it.
 * @param duration how long a lease lasts unrenewed; a dead leader is replaced within this plus one
 *     {@code poll-interval} of the liquidator (default 10 s)
 * @param replicaId this replica's name in the lease and the logs (default: host name); a random
 *     suffix makes it unique per process, so a restarted process never inherits its predecessor's
 *     epoch
 */
@ConfigurationProperties("freehold.node.liquidator.lease")
public record LeaseConfiguration(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "10s") Duration duration,
        @Nullable String replicaId) {

    public LeaseConfiguration {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(
                    "freehold.node.liquidator.lease.duration must be positive, was " + duration);
        }
    }
}
