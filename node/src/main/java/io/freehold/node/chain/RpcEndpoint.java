package io.freehold.node.chain;

import io.freehold.node.chain.RpcException.Kind;
import io.freehold.types.BlockHeader;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthChainId;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * One JSON-RPC URL and everything that protects the node from it and it from the node: its own HTTP
 * client with timeouts, a retry with exponential backoff and jitter, a circuit breaker and a rate
 * limiter. {@link ChainRpc} decides which endpoint gets a call; this class decides how hard to try
 * one endpoint.
 *
 * <p>An attempt runs as Retry(CircuitBreaker(RateLimiter(request))), Resilience4j's recommended
 * order: each retry asks the breaker again, so an endpoint that starts failing mid-call stops being
 * retried as soon as its breaker opens. Whether an error is retried, counted by the breaker or
 * passed on to the next endpoint is decided by its {@link Kind} alone.
 *
 * <p>Requests are built as web3j {@link Request}s on a plain {@link HttpService}, not through a
 * {@code Web3j} instance: that would start a scheduler per endpoint that nothing here uses.
 */
public final class RpcEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcEndpoint.class);

    /** Whether the endpoint was found to serve the configured chain. */
    enum ChainCheck {
        UNCHECKED,
        OK,
        WRONG_CHAIN
    }

    private final String name;
    private final String redactedUrl;
    private final OkHttpClient http;
    private final HttpService service;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final RateLimiter rateLimiter;
    private final LogRangeSizer logRange;

    private final AtomicLong lastSeenHead = new AtomicLong(-1);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile RpcCallObserver observer = RpcCallObserver.NONE;
    private volatile boolean lagging;
    private volatile ChainCheck chainCheck = ChainCheck.UNCHECKED;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /**
     * @param resilience where this endpoint's retry, breaker and rate limiter are registered under
     *     {@code name} (for their metrics); names must be unique in it
     */
    RpcEndpoint(String name, String url, RpcConfiguration config, RpcResilience resilience) {
        this.name = name;
        this.redactedUrl = redact(url);
        this.logRange =
                new LogRangeSizer(
                        config.minLogRangeBlocks(),
                        config.maxLogRangeBlocks(),
                        config.growBelowLogs());
        // OkHttp's own silent retry is off: a dropped connection must reach the Retry below, so
        // that it is counted, backed off and visible, instead of being replayed invisibly.
        this.http =
                new OkHttpClient.Builder()
                        .connectTimeout(config.connectTimeout())
                        .readTimeout(config.requestTimeout())
                        .writeTimeout(config.requestTimeout())
                        .callTimeout(config.requestTimeout())
                        .retryOnConnectionFailure(false)
                        .build();
        this.service = new HttpService(url, http, false);
        this.retry =
                resilience
                        .retries()
                        .retry(
                                name,
                                RetryConfig.custom()
                                        .maxAttempts(config.retryAttempts())
                                        .intervalFunction(
                                                IntervalFunction.ofExponentialRandomBackoff(
                                                        config.retryBackoff(),
                                                        config.retryBackoffMultiplier(),
                                                        config.retryJitter(),
                                                        config.retryMaxBackoff()))
                                        .retryOnException(
                                                e ->
                                                        e instanceof RpcException r
                                                                && r.kind().retried())
                                        .build());
        this.breaker =
                resilience
                        .breakers()
                        .circuitBreaker(
                                name,
                                CircuitBreakerConfig.custom()
                                        .slidingWindowType(
                                                CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                        .slidingWindowSize(config.breakerWindow())
                                        .minimumNumberOfCalls(config.breakerMinimumCalls())
                                        .failureRateThreshold(config.breakerFailureRate())
                                        .waitDurationInOpenState(config.breakerOpenDuration())
                                        // One probe decides: a second would only delay the verdict
                                        // on a
                                        // local endpoint.
                                        .permittedNumberOfCallsInHalfOpenState(1)
                                        .recordException(
                                                e ->
                                                        e instanceof RpcException r
                                                                && r.kind().countsAgainstEndpoint())
                                        .ignoreExceptions(RequestNotPermitted.class)
                                        .build());
        this.rateLimiter =
                config.requestsPerSecond() == 0
                        ? null
                        : resilience
                                .rateLimiters()
                                .rateLimiter(
                                        name,
                                        RateLimiterConfig.custom()
                                                .limitForPeriod(config.requestsPerSecond())
                                                .limitRefreshPeriod(Duration.ofSeconds(1))
                                                .timeoutDuration(config.requestTimeout())
                                                .build());
        breaker.getEventPublisher()
                .onStateTransition(
                        event ->
                                LOG.warn(
                                        "RPC endpoint {}: circuit breaker {}",
                                        name,
                                        event.getStateTransition()));
        retry.getEventPublisher()
                .onRetry(
                        event ->
                                LOG.debug(
                                        "RPC endpoint {}: retry {} after {}",
                                        name,
                                        event.getNumberOfRetryAttempts(),
                                        event.getLastThrowable() == null
                                                ? "?"
                                                : event.getLastThrowable().getMessage()));
    }

    /** {@code rpc<n>/host:port}. */
    public String name() {
        return name;
    }

    /** Scheme, host and port: never the path, which may hold an API key. */
    public String url() {
        return redactedUrl;
    }

    public EndpointStatus status() {
        return new EndpointStatus(
                name,
                redactedUrl,
                breaker.getState().name(),
                lastSeenHead.get(),
                lagging,
                chainCheck.name(),
                consecutiveFailures.get(),
                lastError,
                lastErrorAt,
                logRange.size());
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- calls ------------------------------------------------------------------------------

    /** {@code eth_blockNumber}; remembers the answer as this endpoint's head. */
    long blockNumber() {
        long head =
                call(
                        "eth_blockNumber",
                        () ->
                                Quantity.parse(
                                        send(new Request<>(
                                                        "eth_blockNumber",
                                                        List.of(),
                                                        service,
                                                        EthBlockNumber.class))
                                                .getResult()));
        lastSeenHead.set(head);
        return head;
    }

    /** {@code eth_chainId}. */
    long chainId() {
        return call(
                "eth_chainId",
                () ->
                        Quantity.parse(
                                send(new Request<>(
                                                "eth_chainId",
                                                List.of(),
                                                service,
                                                EthChainId.class))
                                        .getResult()));
    }

    /**
     * The header of block {@code number}; {@link Kind#BLOCK_NOT_AVAILABLE} if the endpoint lacks
     * it.
     */
    BlockHeader header(long number) {
        return call(
                "eth_getBlockByNumber",
                () ->
                        toHeader(
                                number,
                                send(
                                        new Request<>(
                                                "eth_getBlockByNumber",
                                                List.of(
                                                        Numeric.encodeQuantity(
                                                                BigInteger.valueOf(number)),
                                                        false),
                                                service,
                                                EthBlock.class))));
    }

    /**
     * The headers of {@code numbers}, in that order, in one JSON-RPC batch (one HTTP request, one
     * rate-limit permit). Answers are matched by id: the JSON-RPC spec lets a server reorder them.
     */
    List<BlockHeader> headers(List<Long> numbers) {
        return call(
                "eth_getBlockByNumber",
                () -> {
                    BatchRequest batch = new BatchRequest(service);
                    List<Request<?, EthBlock>> requests = new ArrayList<>(numbers.size());
                    for (long number : numbers) {
                        Request<?, EthBlock> request =
                                new Request<>(
                                        "eth_getBlockByNumber",
                                        List.of(
                                                Numeric.encodeQuantity(BigInteger.valueOf(number)),
                                                false),
                                        service,
                                        EthBlock.class);
                        requests.add(request);
                        batch.add(request);
                    }
                    BatchResponse answer = batch.send();
                    Map<Long, Response<?>> byId = new HashMap<>();
                    for (Response<?> response : answer.getResponses()) {
                        if (response.hasError()) {
                            throw RpcErrors.fromError(
                                    name, "eth_getBlockByNumber", response.getError());
                        }
                        byId.put(response.getId(), response);
                    }
                    List<BlockHeader> headers = new ArrayList<>(numbers.size());
                    for (int i = 0; i < numbers.size(); i++) {
                        Response<?> response = byId.get(requests.get(i).getId());
                        if (!(response instanceof EthBlock block)) {
                            throw new RpcException(
                                    Kind.SERVER_ERROR,
                                    name,
                                    "eth_getBlockByNumber",
                                    "batch answer lacks block " + numbers.get(i),
                                    null);
                        }
                        headers.add(toHeader(numbers.get(i), block));
                    }
                    return headers;
                });
    }

    /**
     * {@code eth_getLogs} over {@code [from, to]}. Never a server-side filter: {@code
     * eth_newFilter} state lives on one backend and is lost behind load balancers and across
     * restarts.
     *
     * @param topics per position, the accepted values (any of them); null or empty means any
     */
    List<Log> logs(long from, long to, List<String> addresses, List<List<String>> topics) {
        EthFilter filter =
                new EthFilter(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                        addresses);
        for (List<String> position : topics) {
            if (position == null || position.isEmpty()) {
                filter.addNullTopic();
            } else if (position.size() == 1) {
                filter.addSingleTopic(position.get(0));
            } else {
                filter.addOptionalTopics(position.toArray(String[]::new));
            }
        }
        // A wide range that times out says more about the range than about the endpoint.
        long width = to - from + 1;
        UnaryOperator<RpcException> rangeTimeout =
                e ->
                        e.kind() == Kind.TIMEOUT && width > logRange.min()
                                ? new RpcException(
                                        Kind.RANGE_TIMEOUT,
                                        name,
                                        "eth_getLogs",
                                        "timed out over " + width + " blocks",
                                        e)
                                : e;
        return call(
                "eth_getLogs",
                rangeTimeout,
                () -> {
                    List<EthLog.LogResult> results =
                            send(new Request<>(
                                            "eth_getLogs", List.of(filter), service, EthLog.class))
                                    .getLogs();
                    if (results == null) {
                        throw new RpcException(
                                Kind.SERVER_ERROR, name, "eth_getLogs", "null result", null);
                    }
                    List<Log> logs = new ArrayList<>(results.size());
                    for (EthLog.LogResult<?> result : results) {
                        if (!(result.get() instanceof Log log)) {
                            throw new RpcException(
                                    Kind.SERVER_ERROR,
                                    name,
                                    "eth_getLogs",
                                    "answered hashes instead of log objects",
                                    null);
                        }
                        logs.add(log);
                    }
                    return logs;
                });
    }

    /**
     * Any JSON-RPC {@code method}, through the same retry, circuit breaker and rate limiter as
     * every other call. A JSON-RPC error object for which {@code isAnswer} holds is returned to the
     * caller inside the response (the endpoint answered: a revert, or a refused transaction)
     * instead of being thrown, retried or counted against the endpoint.
     */
    <R extends Response<?>> R request(
            String method, List<?> params, Class<R> type, Predicate<Response.Error> isAnswer) {
        return call(
                method,
                () -> {
                    R response = new Request<>(method, params, service, type).send();
                    if (response == null) {
                        throw new RpcException(
                                Kind.SERVER_ERROR, name, method, "empty response", null);
                    }
                    if (response.hasError() && !isAnswer.test(response.getError())) {
                        throw RpcErrors.fromError(name, method, response.getError());
                    }
                    return response;
                });
    }

    // ---- state kept for ChainRpc ------------------------------------------------------------

    long lastSeenHead() {
        return lastSeenHead.get();
    }

    boolean lagging() {
        return lagging;
    }

    void lagging(boolean value) {
        if (value != lagging) {
            LOG.warn(
                    "RPC endpoint {}: {} (head {})",
                    name,
                    value ? "lagging, not trusted for the head" : "caught up",
                    lastSeenHead.get());
        }
        lagging = value;
    }

    /** This endpoint's own adaptive eth_getLogs range. */
    LogRangeSizer logRange() {
        return logRange;
    }

    ChainCheck chainCheck() {
        return chainCheck;
    }

    void chainCheck(ChainCheck value) {
        chainCheck = value;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    void observe(RpcCallObserver observer) {
        this.observer = observer;
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private <T> T call(String method, CheckedSupplier<T> request) {
        return call(method, UnaryOperator.identity(), request);
    }

    /**
     * @param refine may re-sort a failure with what only the caller knows (the width of a log
     *     range)
     */
    private <T> T call(
            String method, UnaryOperator<RpcException> refine, CheckedSupplier<T> request) {
        CheckedSupplier<T> counted =
                () -> {
                    long start = System.nanoTime();
                    try {
                        T result = request.get();
                        consecutiveFailures.set(0);
                        observer.attempted(name, method, true, System.nanoTime() - start);
                        return result;
                    } catch (Error e) {
                        throw e;
                    } catch (Throwable t) {
                        observer.attempted(name, method, false, System.nanoTime() - start);
                        RpcException e = refine.apply(RpcErrors.classify(name, method, t));
                        if (e.kind().countsAgainstEndpoint()) {
                            consecutiveFailures.incrementAndGet();
                            lastError = e.getMessage();
                            lastErrorAt = Instant.now();
                        } else {
                            consecutiveFailures.set(0); // it answered, if only to say no
                        }
                        throw e;
                    }
                };
        CheckedSupplier<T> limited =
                rateLimiter == null
                        ? counted
                        : RateLimiter.decorateCheckedSupplier(rateLimiter, counted);
        CheckedSupplier<T> guarded = CircuitBreaker.decorateCheckedSupplier(breaker, limited);
        try {
            return Retry.decorateCheckedSupplier(retry, guarded).get();
        } catch (RpcException e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new RpcException(Kind.BREAKER_OPEN, name, method, "circuit breaker open", e);
        } catch (RequestNotPermitted e) {
            throw new RpcException(
                    Kind.RATE_LIMITED, name, method, "no rate-limit permit in time", e);
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            throw RpcErrors.classify(name, method, t);
        }
    }

    private <R extends Response<?>> R send(Request<?, R> request) throws IOException {
        R response = request.send();
        if (response == null) {
            throw new RpcException(
                    Kind.SERVER_ERROR, name, request.getMethod(), "empty response", null);
        }
        if (response.hasError()) {
            throw RpcErrors.fromError(name, request.getMethod(), response.getError());
        }
        return response;
    }

    private BlockHeader toHeader(long number, EthBlock answer) {
        EthBlock.Block block = answer.getBlock();
        if (block == null) {
            throw new RpcException(
                    Kind.BLOCK_NOT_AVAILABLE,
                    name,
                    "eth_getBlockByNumber",
                    "does not have block " + number,
                    null);
        }
        if (Quantity.parse(block.getNumberRaw()) != number) {
            throw new RpcException(
                    Kind.SERVER_ERROR,
                    name,
                    "eth_getBlockByNumber",
                    "asked for block " + number + ", got " + block.getNumberRaw(),
                    null);
        }
        return BlockHeader.of(
                number,
                block.getHash(),
                block.getParentHash(),
                Quantity.parse(block.getTimestampRaw()));
    }

    /**
     * {@code scheme://host:port}, plus {@code /…} if the URL had a path or query that is left out.
     */
    public static String redact(String url) {
        try {
            URI uri = URI.create(url);
            String hostPort =
                    uri.getHost() == null
                            ? "?"
                            : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            boolean hidden =
                    (uri.getRawPath() != null
                                    && !uri.getRawPath().isEmpty()
                                    && !uri.getRawPath().equals("/"))
                            || uri.getRawQuery() != null;
            return uri.getScheme() + "://" + hostPort + (hidden ? "/…" : "");
        } catch (IllegalArgumentException e) {
            return "(malformed URL)";
        }
    }

    /** {@code host:port} of {@code url}, for endpoint names. */
    static String hostPort(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
