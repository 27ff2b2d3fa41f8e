package io.freehold.node.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The API's own meters, for both surfaces:
 *
 * <ul>
 *   <li>{@code freehold.api.grpc.calls} (timer, a Prometheus histogram): every gRPC call by full
 *       method name and status code, from its start to its close (a stream's whole life);
 *   <li>{@code freehold.api.refusals} (counter): every call or stream the API refused or ended with
 *       an ErrorInfo reason ({@code RATE_LIMITED}, {@code SLOW_CONSUMER}, {@code INVALID_ADDRESS},
 *       ...), by surface ({@code grpc}, {@code http}) and reason.
 * </ul>
 *
 * HTTP routes are timed by Micronaut as {@code http.server.requests} (by route template and
 * status); {@link MetricsFilters} turns all of these into histograms so p50/p95/p99 come from
 * {@code histogram_quantile}. docs/METRICS.md has the queries.
 */
@Singleton
public final class ApiMetrics {

    // A provider: the registry is built while beans that the gRPC server needs are, read it when
    // used.
    private final BeanProvider<MeterRegistry> registry;

    public ApiMetrics(BeanProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    public void grpcCall(String method, String code, long nanos) {
        Timer.builder("freehold.api.grpc.calls")
                .description("gRPC calls by method and status code (streams: their whole life)")
                .tag("method", method)
                .tag("code", code)
                .register(registry.get())
                .record(Duration.ofNanos(nanos));
    }

    public void refusal(String surface, String reason) {
        Counter.builder("freehold.api.refusals")
                .description(
                        "calls refused and streams ended by the API, by surface and ErrorInfo reason")
                .tag("surface", surface)
                .tag("reason", reason)
                .register(registry.get())
                .increment();
    }
}
