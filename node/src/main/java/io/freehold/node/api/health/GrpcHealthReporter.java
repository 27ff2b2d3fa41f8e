package io.freehold.node.api.health;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}, what grpc_health_probe and load
 * balancers ask) told the truth: overall ({@code ""}) and per data service, SERVING exactly when
 * {@link Serving} says so, the same verdict as {@code /health/readiness}; NOT_SERVING from the
 * first moment (the library's default is SERVING) and for good once the node stops. {@code
 * NodeService} stays SERVING while the node runs: its status call is how a client learns why the
 * rest is not.
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class GrpcHealthReporter {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcHealthReporter.class);

    /**
     * The services whose answers come from the books, which are stale while the node is behind. The
     * whole server ("") comes last: set in this order, a client that sees the overall status change
     * finds every data service already changed with it.
     */
    static final List<String> DATA_SERVICES =
            List.of(
                    "freehold.v1.MarketService",
                    "freehold.v1.PositionService",
                    "freehold.v1.LiquidationService",
                    "freehold.v1.SimulationService",
                    "");

    private final HealthStatusManager health;
    private final Serving serving;
    private final ScheduledExecutorService timer;
    private volatile Boolean last;

    public GrpcHealthReporter(
            HealthStatusManager health, Serving serving, HealthConfiguration config) {
        this.health = health;
        this.serving = serving;
        DATA_SERVICES.forEach(s -> health.setStatus(s, ServingStatus.NOT_SERVING));
        health.setStatus("freehold.v1.NodeService", ServingStatus.SERVING);
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "grpc-health");
                            t.setDaemon(true);
                            return t;
                        });
        long every = config.refreshInterval().toMillis();
        timer.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
    }

    void refresh() {
        try {
            Serving.Verdict v = serving.verdict();
            ServingStatus status = v.serving() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            DATA_SERVICES.forEach(s -> health.setStatus(s, status));
            if (last == null || last != v.serving()) {
                LOG.info("gRPC health: {} ({})", status, v.reason());
                last = v.serving();
            }
        } catch (RuntimeException e) {
            LOG.warn("gRPC health could not be updated", e);
        }
    }

    @PreDestroy
    public void stop() {
        timer.shutdownNow();
        health.enterTerminalState(); // NOT_SERVING for every service, whatever is set later
    }
}
