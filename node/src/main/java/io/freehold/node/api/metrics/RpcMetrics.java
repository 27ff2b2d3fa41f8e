package io.freehold.node.api.metrics;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcResilience;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The chain layer's numbers. {@code freehold.rpc.calls} (timer, a Prometheus histogram): every
 * JSON-RPC attempt the node made, by endpoint name ({@code rpc1/host:port}, never the URL: it may
 * hold an API key), method and outcome ({@code ok}, {@code error}); retries count as attempts of
 * their own. Beside it Resilience4j's own meters for each endpoint's circuit breaker, retry and
 * rate limiter ({@code resilience4j.circuitbreaker.state}, {@code .calls}, {@code
 * resilience4j.retry.calls}, {@code resilience4j.ratelimiter.available.permissions}, ...), labelled
 * {@code name} with the same endpoint name: one call through the retry counts once there, however
 * many attempts it took.
 */
@Singleton
public final class RpcMetrics implements MeterBinder {

    private final ChainRpc rpc;

    public RpcMetrics(ChainRpc rpc) {
        this.rpc = rpc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        rpc.observeCalls(
                (endpoint, method, ok, nanos) ->
                        Timer.builder("freehold.rpc.calls")
                                .description("JSON-RPC attempts by endpoint, method and outcome")
                                .tag("endpoint", endpoint)
                                .tag("method", method)
                                .tag("outcome", ok ? "ok" : "error")
                                .register(registry)
                                .record(Duration.ofNanos(nanos)));
        RpcResilience resilience = rpc.resilience();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(resilience.breakers())
                .bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(resilience.retries()).bindTo(registry);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(resilience.rateLimiters()).bindTo(registry);
    }
}
