package io.freehold.node.api.health;

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
 * {@code GET /health/readiness} (and {@code /health}): UP exactly when the gRPC health service says
 * SERVING ({@link Serving}); DOWN, so HTTP 503, otherwise.
 */
@Singleton
@Readiness
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class ReadinessIndicator implements HealthIndicator {

    private final Serving serving;

    public ReadinessIndicator(Serving serving) {
        this.serving = serving;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Serving.Verdict v = serving.verdict();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("serving", v.serving());
        details.put("reason", v.reason());
        details.put("phase", v.phase());
        details.put("lagBlocks", v.lagBlocks());
        details.put("maxLagBlocks", serving.config().maxLagBlocks());
        return Publishers.just(
                HealthResult.builder(
                                "freehold-serving",
                                v.serving() ? HealthStatus.UP : HealthStatus.DOWN)
                        .details(details)
                        .build());
    }
}
