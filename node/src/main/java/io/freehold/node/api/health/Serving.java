package io.freehold.node.api.health;

import io.freehold.node.ingest.Follower;
import io.freehold.node.ingest.IngestionHealthIndicator;
import io.freehold.node.ingest.IngestionService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The one answer to "should clients be sent here now?", given by both the gRPC health service
 * ({@link GrpcHealthReporter}) and HTTP {@code /health/readiness} ({@link ReadinessIndicator}), so
 * they never disagree. Serving means: the follower is past its start, its own health (chain
 * endpoints, last step, recovery) is not DOWN, and the applied block is at most {@code
 * max-lag-blocks} behind the head. Not serving while starting, while catching up beyond the lag,
 * while a failed step is retried, and after following stopped.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class Serving {

    /** The verdict and why, for probes and logs. */
    public record Verdict(boolean serving, String reason, String phase, long lagBlocks) {}

    private final IngestionService ingestion;
    private final IngestionHealthIndicator follower;
    private final HealthConfiguration config;

    public Serving(
            IngestionService ingestion,
            IngestionHealthIndicator follower,
            HealthConfiguration config) {
        this.ingestion = ingestion;
        this.follower = follower;
        this.config = config;
    }

    public Verdict verdict() {
        IngestionService.Phase phase = ingestion.phase();
        Follower f = ingestion.follower();
        long lag = f.head() < 0 ? -1 : Math.max(0, f.head() - f.appliedBlock());
        String reason;
        switch (phase) {
            case STARTING -> reason = "starting";
            case RECOVERING -> reason = "recovering from a reorg deeper than the window";
            case RETRYING ->
                    reason =
                            "a step failed and is being retried: "
                                    + ingestion.lastError().orElse("");
            case FAILED, STOPPED -> reason = "following stopped";
            default -> {
                if (lag < 0) {
                    reason = "the chain's head is not known yet";
                } else if (lag > config.maxLagBlocks()) {
                    reason =
                            "catching up: "
                                    + lag
                                    + " blocks behind the head (serving from "
                                    + config.maxLagBlocks()
                                    + ")";
                } else if (statusOf(follower) == HealthStatus.DOWN) {
                    reason = "the follower's health is DOWN (see /health)";
                } else {
                    reason = null;
                }
            }
        }
        return new Verdict(reason == null, reason == null ? "serving" : reason, phase.name(), lag);
    }

    public HealthConfiguration config() {
        return config;
    }

    /** The indicator's status: its publisher answers at once (Publishers.just). */
    private static HealthStatus statusOf(IngestionHealthIndicator indicator) {
        AtomicReference<HealthResult> result = new AtomicReference<>();
        indicator
                .getResult()
                .subscribe(
                        new Subscriber<>() {
                            @Override
                            public void onSubscribe(Subscription s) {
                                s.request(1);
                            }

                            @Override
                            public void onNext(HealthResult r) {
                                result.set(r);
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onComplete() {}
                        });
        return result.get() == null ? HealthStatus.DOWN : result.get().getStatus();
    }
}
