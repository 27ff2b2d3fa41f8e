package io.freehold.node.chain;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;

/**
 * The Resilience4j registries holding every endpoint's retry, circuit breaker and rate limiter of
 * one {@link ChainRpc}, each under the endpoint's name ({@code rpc1/host:port}): what metrics bind
 * to, so that Resilience4j's own numbers (breaker state and calls, retries, free permits) are
 * exported per endpoint. The endpoints use their instances directly; nothing looks them up here.
 */
public record RpcResilience(
        CircuitBreakerRegistry breakers, RetryRegistry retries, RateLimiterRegistry rateLimiters) {

    /** Empty registries; the endpoints add theirs as they are built. */
    static RpcResilience create() {
        return new RpcResilience(
                CircuitBreakerRegistry.ofDefaults(),
                RetryRegistry.ofDefaults(),
                RateLimiterRegistry.ofDefaults());
    }
}
