package io.freehold.node.api.health;

import io.freehold.node.ingest.IngestionService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code GET /health/liveness}: whether restarting the process could help. UP while the node runs,
 * also while it starts, catches up or retries (restarting would only start the catch-up again);
 * DOWN once following has FAILED for good (a reorg deeper than the confirmations, a state that
 * diverged from the chain): then only an operator, or a restart onto a rebuilt store, helps.
 */
@Singleton
@Liveness
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class LivenessIndicator implements HealthIndicator {

    private final IngestionService ingestion;

    public LivenessIndicator(IngestionService ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        IngestionService.Phase phase = ingestion.phase();
        return Publishers.just(
                HealthResult.builder(
                                "freehold-liveness",
                                phase == IngestionService.Phase.FAILED
                                        ? HealthStatus.DOWN
                                        : HealthStatus.UP)
                        .details(Map.of("phase", phase.name()))
                        .build());
    }
}
