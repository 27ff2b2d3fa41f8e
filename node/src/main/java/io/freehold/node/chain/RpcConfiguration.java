package io.freehold.node.chain;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the node talks to the chain: which JSON-RPC endpoints, and how patient it is with each.
 *
 * <p>Bound from {@code freehold.node.rpc.*} (kebab-case, e.g. {@code
 * freehold.node.rpc.request-timeout=2s}). Every default below works unchanged against a local anvil
 * and is a sane start for a hosted endpoint (Alchemy, Infura, QuickNode); where a hosted plan needs
 * a different value the component says so. Self-contained, so the node's main configuration can
 * embed it or bind it as is.
 *
 * @param endpoints JSON-RPC URLs in order of preference; a call goes to the first that can take it
 *     and moves down the list on failure. Default {@code http://127.0.0.1:8545} (anvil's port). A
 *     URL may carry an API key in its path: status and logs show only scheme, host and port.
 * @param connectTimeout how long to wait for a TCP connection. Default 1 s: a local or hosted
 *     endpoint connects in milliseconds, and a black-holed one must not hold up failover.
 * @param requestTimeout the whole of one HTTP exchange, send to last byte. Default 2 s, short on
 *     purpose: a hung endpoint costs one timeout before the call fails over (the failover target is
 *     under 2 s), and an {@code eth_getLogs} that is slow because its range is wide times out and
 *     is split, so a short timeout does not starve large queries.
 * @param retryAttempts attempts on one endpoint, the first included, for transient errors (I/O
 *     errors, HTTP 5xx/429, JSON-RPC server errors) before the call moves to the next endpoint.
 *     Timeouts and refused connections are not retried on the same endpoint. Default 3.
 * @param retryBackoff the wait before the second attempt. Default 100 ms.
 * @param retryBackoffMultiplier each further wait is this many times the previous. Default 2.
 * @param retryJitter each wait is drawn uniformly from ±this fraction of its nominal value, so that
 *     many clients do not retry in step. Default 0.5.
 * @param retryMaxBackoff no single wait exceeds this. Default 2 s.
 * @param breakerWindow the circuit breaker judges an endpoint on its last this-many attempts.
 *     Default 20.
 * @param breakerMinimumCalls the breaker does not judge before this many attempts. Default 10.
 * @param breakerFailureRate the breaker opens when at least this percentage of the window failed.
 *     Default 50.
 * @param breakerOpenDuration an open breaker sends nothing to its endpoint for this long, then lets
 *     one probe through. Default 10 s: short enough to return to a preferred endpoint quickly, long
 *     enough not to hammer a struggling provider.
 * @param requestsPerSecond HTTP requests per second to one endpoint; a JSON-RPC batch counts as
 *     one. 0 means unlimited. Default 50, which a local anvil never notices; hosted free tiers
 *     allow fewer (and some count each call of a batch), so set it to the plan's limit.
 * @param lagToleranceBlocks an endpoint whose head is more than this many blocks behind the best
 *     head is "lagging": not trusted for the head nor for blocks it has not seen. Default 5 (a
 *     minute on mainnet, five seconds on a 1-second local chain).
 * @param maxLogRangeBlocks the widest block range of one {@code eth_getLogs}. Default 2,000, the
 *     range most hosted providers accept without a log-count cap.
 * @param minLogRangeBlocks ranges are never split below this; an endpoint that refuses even this
 *     many blocks is an error. Default 1.
 * @param growBelowLogs a full-width {@code eth_getLogs} answer with fewer logs than this doubles
 *     the range again (up to the maximum). Default 5,000: half the 10,000-log caps of hosted
 *     providers, so the doubled range is unlikely to hit them.
 * @param batchSize block headers per JSON-RPC batch request. Default 50; hosted providers cap
 *     batches between 100 and 1,000 calls.
 */
@ConfigurationProperties("freehold.node.rpc")
public record RpcConfiguration(
        @Bindable(defaultValue = RpcConfiguration.DEFAULT_ENDPOINT) List<String> endpoints,
        @Bindable(defaultValue = "1s") Duration connectTimeout,
        @Bindable(defaultValue = "2s") Duration requestTimeout,
        @Bindable(defaultValue = "3") int retryAttempts,
        @Bindable(defaultValue = "100ms") Duration retryBackoff,
        @Bindable(defaultValue = "2.0") double retryBackoffMultiplier,
        @Bindable(defaultValue = "0.5") double retryJitter,
        @Bindable(defaultValue = "2s") Duration retryMaxBackoff,
        @Bindable(defaultValue = "20") int breakerWindow,
        @Bindable(defaultValue = "10") int breakerMinimumCalls,
        @Bindable(defaultValue = "50") float breakerFailureRate,
        @Bindable(defaultValue = "10s") Duration breakerOpenDuration,
        @Bindable(defaultValue = "50") int requestsPerSecond,
        @Bindable(defaultValue = "5") long lagToleranceBlocks,
        @Bindable(defaultValue = "2000") int maxLogRangeBlocks,
        @Bindable(defaultValue = "1") int minLogRangeBlocks,
        @Bindable(defaultValue = "5000") int growBelowLogs,
        @Bindable(defaultValue = "50") int batchSize) {

    /** The endpoint when none is configured: a local anvil's. */
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8545";

    /** Rejects a configuration the node cannot run with, saying which setting to fix. */
    public RpcConfiguration {
        Objects.requireNonNull(endpoints, "freehold.node.rpc.endpoints");
        endpoints = endpoints.stream().map(String::strip).filter(url -> !url.isEmpty()).toList();
        if (endpoints.isEmpty()) {
            throw invalid("endpoints", "must name at least one JSON-RPC URL");
        }
        for (String url : endpoints) {
            String scheme;
            try {
                scheme = URI.create(url).getScheme();
            } catch (IllegalArgumentException e) {
                // Not the URL itself in the message: it may carry an API key.
                String reason =
                        e.getCause() instanceof URISyntaxException syntax
                                ? syntax.getReason() + " at index " + syntax.getIndex()
                                : "malformed";
                throw invalid(
                        "endpoints",
                        "entry " + (endpoints.indexOf(url) + 1) + " is not a URL: " + reason);
            }
            if (scheme == null
                    || !List.of("http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
                throw invalid("endpoints", "must be http(s) URLs, got " + RpcEndpoint.redact(url));
            }
        }
        requirePositive("connect-timeout", connectTimeout);
        requirePositive("request-timeout", requestTimeout);
        requirePositive("retry-backoff", retryBackoff);
        requirePositive("retry-max-backoff", retryMaxBackoff);
        requirePositive("breaker-open-duration", breakerOpenDuration);
        if (retryAttempts < 1) {
            throw invalid(
                    "retry-attempts",
                    "must be at least 1 (the first attempt), was " + retryAttempts);
        }
        if (retryBackoffMultiplier < 1) {
            throw invalid(
                    "retry-backoff-multiplier",
                    "must be at least 1, was " + retryBackoffMultiplier);
        }
        if (retryJitter < 0 || retryJitter >= 1) {
            throw invalid("retry-jitter", "must be in [0, 1), was " + retryJitter);
        }
        if (breakerWindow < 1 || breakerMinimumCalls < 1) {
            throw invalid("breaker-window", "window and minimum calls must be at least 1");
        }
        if (breakerFailureRate <= 0 || breakerFailureRate > 100) {
            throw invalid(
                    "breaker-failure-rate",
                    "must be a percentage in (0, 100], was " + breakerFailureRate);
        }
        if (requestsPerSecond < 0) {
            throw invalid(
                    "requests-per-second",
                    "must be 0 (unlimited) or positive, was " + requestsPerSecond);
        }
        if (lagToleranceBlocks < 0) {
            throw invalid(
                    "lag-tolerance-blocks", "must not be negative, was " + lagToleranceBlocks);
        }
        if (minLogRangeBlocks < 1 || maxLogRangeBlocks < minLogRangeBlocks) {
            throw invalid(
                    "max-log-range-blocks",
                    "need 1 <= min-log-range-blocks <= max-log-range-blocks, got "
                            + minLogRangeBlocks
                            + " and "
                            + maxLogRangeBlocks);
        }
        if (growBelowLogs < 0) {
            throw invalid("grow-below-logs", "must not be negative, was " + growBelowLogs);
        }
        if (batchSize < 1) {
            throw invalid("batch-size", "must be at least 1, was " + batchSize);
        }
    }

    /**
     * The defaults above, for {@code endpoints}; tests and tools that build one without Micronaut
     * start here.
     */
    public static Builder builder(List<String> endpoints) {
        return new Builder(endpoints);
    }

    /** The same settings, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder(endpoints);
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.retryAttempts = retryAttempts;
        b.retryBackoff = retryBackoff;
        b.retryBackoffMultiplier = retryBackoffMultiplier;
        b.retryJitter = retryJitter;
        b.retryMaxBackoff = retryMaxBackoff;
        b.breakerWindow = breakerWindow;
        b.breakerMinimumCalls = breakerMinimumCalls;
        b.breakerFailureRate = breakerFailureRate;
        b.breakerOpenDuration = breakerOpenDuration;
        b.requestsPerSecond = requestsPerSecond;
        b.lagToleranceBlocks = lagToleranceBlocks;
        b.maxLogRangeBlocks = maxLogRangeBlocks;
        b.minLogRangeBlocks = minLogRangeBlocks;
        b.growBelowLogs = growBelowLogs;
        b.batchSize = batchSize;
        return b;
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(name, "must be a positive duration, was " + value);
        }
    }

    private static IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException("freehold.node.rpc." + name + " " + problem);
    }

    /** Builds an {@link RpcConfiguration}; starts from the documented defaults. */
    public static final class Builder {
        private final List<String> endpoints;
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration requestTimeout = Duration.ofSeconds(2);
        private int retryAttempts = 3;
        private Duration retryBackoff = Duration.ofMillis(100);
        private double retryBackoffMultiplier = 2.0;
        private double retryJitter = 0.5;
        private Duration retryMaxBackoff = Duration.ofSeconds(2);
        private int breakerWindow = 20;
        private int breakerMinimumCalls = 10;
        private float breakerFailureRate = 50;
        private Duration breakerOpenDuration = Duration.ofSeconds(10);
        private int requestsPerSecond = 50;
        private long lagToleranceBlocks = 5;
        private int maxLogRangeBlocks = 2_000;
        private int minLogRangeBlocks = 1;
        private int growBelowLogs = 5_000;
        private int batchSize = 50;

        private Builder(List<String> endpoints) {
            this.endpoints = List.copyOf(endpoints);
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder retryAttempts(int value) {
            retryAttempts = value;
            return this;
        }

        public Builder retryBackoff(
                Duration initial, double multiplier, double jitter, Duration max) {
            retryBackoff = initial;
            retryBackoffMultiplier = multiplier;
            retryJitter = jitter;
            retryMaxBackoff = max;
            return this;
        }

        public Builder breaker(
                int window, int minimumCalls, float failureRatePercent, Duration openDuration) {
            breakerWindow = window;
            breakerMinimumCalls = minimumCalls;
            breakerFailureRate = failureRatePercent;
            breakerOpenDuration = openDuration;
            return this;
        }

        public Builder requestsPerSecond(int value) {
            requestsPerSecond = value;
            return this;
        }

        public Builder lagToleranceBlocks(long value) {
            lagToleranceBlocks = value;
            return this;
        }

        public Builder logRange(int minBlocks, int maxBlocks) {
            minLogRangeBlocks = minBlocks;
            maxLogRangeBlocks = maxBlocks;
            return this;
        }

        public Builder growBelowLogs(int value) {
            growBelowLogs = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public RpcConfiguration build() {
            return new RpcConfiguration(
                    endpoints,
                    connectTimeout,
                    requestTimeout,
                    retryAttempts,
                    retryBackoff,
                    retryBackoffMultiplier,
                    retryJitter,
                    retryMaxBackoff,
                    breakerWindow,
                    breakerMinimumCalls,
                    breakerFailureRate,
                    breakerOpenDuration,
                    requestsPerSecond,
                    lagToleranceBlocks,
                    maxLogRangeBlocks,
                    minLogRangeBlocks,
                    growBelowLogs,
                    batchSize);
        }
    }
}
