package io.freehold.node.api.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;

/**
 * Latency timers published as Prometheus histograms (buckets from 1 ms to 30 s), so an operator
 * gets p50/p95/p99 per gRPC method, per HTTP route and per JSON-RPC method with {@code
 * histogram_quantile}, aggregated across replicas as a summary's quantiles could not be.
 */
@Factory
final class MetricsFilters {

    static final Set<String> LATENCIES =
            Set.of("http.server.requests", "freehold.api.grpc.calls", "freehold.rpc.calls");

    @Singleton
    MeterFilter latencyHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(
                    Meter.Id id, DistributionStatisticConfig config) {
                if (!LATENCIES.contains(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
                        .build()
                        .merge(config);
            }
        };
    }
}
