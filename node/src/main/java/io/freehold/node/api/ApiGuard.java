package io.freehold.node.api;

import com.google.rpc.Code;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every API call passes here first: who is calling (a bearer token, or anonymous on loopback when
 * no token is configured), whether their role allows the method, whether their rate allows another
 * call, and whether another stream fits. Refusals carry the standard code and an ErrorInfo reason:
 * UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED (RATE_LIMITED, TOO_MANY_STREAMS,
 * TOO_MANY_FAILED_LOGINS with a RetryInfo).
 *
 * <p>The gRPC health and reflection services are open: probes and tools must work without a token.
 * They are limited per peer address instead (concurrent calls, and messages per second).
 *
 * <p>A peer address that failed to authenticate too often in the current minute is refused before
 * its token is looked at, so guessing tokens costs a minute per handful of guesses.
 *
 * <p>Roles fail closed: every {@code freehold.v1} method needs an admin token unless it is listed
 * in {@link #READ_ONLY_METHODS}; a new method that changes state is admin-only until someone
 * decides otherwise (a test enumerates every method of every service and checks its class).
 */
@Singleton
public final class ApiGuard implements ServerInterceptor, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ApiGuard.class);

    /** The caller of the current call, for endpoints that need it. */
    public static final Context.Key<String> CALLER = Context.key("freehold-caller");

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * The methods a read token may call: they change nothing. Every other method needs an admin
     * token (today that is {@code LiquidationService/RequestLiquidation}).
     */
    static final Set<String> READ_ONLY_METHODS =
            Set.of(
                    "freehold.v1.NodeService/GetStatus",
                    "freehold.v1.MarketService/ListMarkets",
                    "freehold.v1.MarketService/GetMarket",
                    "freehold.v1.PositionService/GetPosition",
                    "freehold.v1.PositionService/ListPositions",
                    "freehold.v1.PositionService/WatchPositions",
                    "freehold.v1.LiquidationService/WatchOpportunities",
                    "freehold.v1.LiquidationService/ListLiquidations",
                    "freehold.v1.LiquidationService/ListAttempts",
                    "freehold.v1.SimulationService/Simulate");

    private static final Duration FAILED_LOGIN_WINDOW = Duration.ofMinutes(1);

    /**
     * Past this many peers remembered, expired entries are dropped (many addresses must not grow
     * memory).
     */
    private static final int MAX_REMEMBERED_PEERS = 10_000;

    private static final List<String> OPEN_SERVICES =
            List.of(
                    "grpc.health.v1.Health/",
                    "grpc.reflection.v1.ServerReflection/",
                    "grpc.reflection.v1alpha.ServerReflection/");
    private static final String ANONYMOUS = "anonymous-loopback";

    private final ApiSecurityConfiguration config;
    private final List<ApiToken> tokens;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> streamsByCaller = new ConcurrentHashMap<>();
    private final AtomicInteger streams = new AtomicInteger();
    private final Map<String, AtomicInteger> openCallsByPeer = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> openLimiters = new ConcurrentHashMap<>();
    private final Map<String, FailedLogins> failedLogins = new ConcurrentHashMap<>();

    /** For tests and embedders: TLS unknown, so no plaintext warning. */
    public ApiGuard(ApiSecurityConfiguration config) {
        this(config, true);
    }

    @Inject
    ApiGuard(
            ApiSecurityConfiguration config,
            @Nullable @Property(name = "grpc.server.ssl.cert-chain") String certChain) {
        this(config, certChain != null && !certChain.isBlank());
    }

    private ApiGuard(ApiSecurityConfiguration config, boolean tls) {
        this.config = config;
        this.tokens =
                config.tokens().entrySet().stream()
                        .map(e -> ApiToken.parse(e.getKey(), e.getValue()))
                        .toList();
        if (tokens.isEmpty()) {
            LOG.warn(
                    "no API tokens configured (freehold.node.api.tokens): the gRPC API answers read calls from"
                            + " this machine only, and no admin call at all");
        } else {
            LOG.info("gRPC API tokens: {}", tokens); // names and roles only
        }
        plaintextWarning(!tokens.isEmpty(), tls).ifPresent(LOG::warn);
    }

    /** The start-up warning for bearer tokens served without TLS, if that is the configuration. */
    static Optional<String> plaintextWarning(boolean tokensConfigured, boolean tls) {
        if (!tokensConfigured || tls) {
            return Optional.empty();
        }
        return Optional.of(
                "API tokens are configured but the gRPC server has no TLS (grpc.server.ssl.cert-chain):"
                        + " bearer secrets cross the network in clear text; serve TLS, or keep the port on a private"
                        + " network (docs/OPERATIONS.md)");
    }

    /**
     * The role a method needs: null for the open services (health, reflection), READ for {@link
     * #READ_ONLY_METHODS}, ADMIN for everything else, including methods nobody classified.
     */
    static ApiToken.Role requiredRole(String fullMethodName) {
        if (OPEN_SERVICES.stream().anyMatch(fullMethodName::startsWith)) {
            return null;
        }
        return READ_ONLY_METHODS.contains(fullMethodName)
                ? ApiToken.Role.READ
                : ApiToken.Role.ADMIN;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE
                + 1; // just inside GrpcMetricsInterceptor, which times and counts refusals too
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String peer = peerKey(remote);
        ApiToken.Role needed = requiredRole(method);
        if (needed == null) {
            return openCall(call, headers, next, peer);
        }
        String caller;
        try {
            caller = admit(headers, remote, method);
        } catch (ApiException e) {
            return refuse(call, e);
        }
        Context context = Context.current().withValue(CALLER, caller);
        if (call.getMethodDescriptor().getType().serverSendsOneMessage()) {
            return Contexts.interceptCall(context, call, headers, next);
        }
        Runnable release;
        try {
            release = acquireStream(caller);
        } catch (ApiException e) {
            return refuse(call, e);
        }
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, call, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                release.run(); // runs once, whichever of the two comes
                super.onComplete();
            }

            @Override
            public void onCancel() {
                release.run();
                super.onCancel();
            }
        };
    }

    /**
     * A call to an open service (health, reflection): no token, but at most {@code
     * openCallsPerPeer} open at once per peer address, and each message it sends counted against
     * the peer's rate.
     */
    private <Q, R> ServerCall.Listener<Q> openCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next, String peer) {
        RateLimiter rate =
                openLimiters.computeIfAbsent(
                        peer, p -> limiterOf("open-" + p, config.openRequestsPerSecondPerPeer()));
        AtomicInteger open = openCallsByPeer.computeIfAbsent(peer, p -> new AtomicInteger());
        if (open.incrementAndGet() > config.openCallsPerPeer()) {
            open.decrementAndGet();
            return refuse(
                    call,
                    new ApiException(
                                    Code.RESOURCE_EXHAUSTED,
                                    "TOO_MANY_STREAMS",
                                    null,
                                    "too many open calls to the open services from this address; close one first")
                            .with(
                                    "open_calls_per_peer",
                                    Integer.toString(config.openCallsPerPeer())));
        }
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            private boolean released;
            private boolean refused;

            private void release() {
                if (!released) {
                    released = true;
                    open.decrementAndGet();
                }
            }

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                if (!rate.acquirePermission()) {
                    refused = true;
                    StatusRuntimeException status =
                            new ApiException(
                                            Code.RESOURCE_EXHAUSTED,
                                            "RATE_LIMITED",
                                            null,
                                            "this address is over its messages per second to the open services; back off and retry")
                                    .with(
                                            "open_requests_per_second_per_peer",
                                            Integer.toString(config.openRequestsPerSecondPerPeer()))
                                    .toStatus();
                    call.close(
                            status.getStatus(),
                            status.getTrailers() == null ? new Metadata() : status.getTrailers());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onComplete() {
                release();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                release();
                super.onCancel();
            }
        };
    }

    /**
     * Who may make this call (by its full gRPC method name): the peer's failed logins, the token,
     * its role, its rate. Returns the caller's name; throws the refusal. The REST surface
     * (api.http) admits its calls here too, with the {@code Authorization} header in {@code
     * headers}, so both surfaces share one policy.
     */
    public String admit(Metadata headers, SocketAddress remote, String method) {
        String peer = peerKey(remote);
        Duration blocked = failedLoginBlock(peer);
        if (blocked != null) {
            throw new ApiException(
                            Code.RESOURCE_EXHAUSTED,
                            "TOO_MANY_FAILED_LOGINS",
                            null,
                            "too many failed logins from this address; retry later")
                    .with(
                            "failed_logins_per_minute",
                            Integer.toString(config.failedLoginsPerMinute()))
                    .retryAfter(blocked);
        }
        ApiToken token;
        try {
            token = authenticate(headers, remote);
        } catch (ApiException e) {
            recordFailedLogin(peer);
            throw e;
        }
        String caller = token == null ? ANONYMOUS : token.name();
        ApiToken.Role role = token == null ? ApiToken.Role.READ : token.role();
        ApiToken.Role needed = requiredRole(method);
        if (needed != null && !role.allows(needed)) {
            throw new ApiException(
                            Code.PERMISSION_DENIED,
                            "PERMISSION_DENIED",
                            null,
                            "this call needs an admin token")
                    .with("method", method)
                    .with("token", caller)
                    .with("role", role.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!limiter(caller).acquirePermission()) {
            throw new ApiException(
                            Code.RESOURCE_EXHAUSTED,
                            "RATE_LIMITED",
                            null,
                            "the token is over its calls per second; back off and retry")
                    .with("token", caller)
                    .with("requests_per_second", Integer.toString(config.requestsPerSecond()));
        }
        return caller;
    }

    /**
     * A place under the stream caps, the caller's and the node's, for a gRPC stream or a
     * Server-Sent Events stream (the REST surface) alike. Returns what to run when the stream ends
     * (it acts once, however often it runs); throws TOO_MANY_STREAMS when a cap is reached.
     */
    public Runnable acquireStream(String caller) {
        AtomicInteger mine = streamsByCaller.computeIfAbsent(caller, c -> new AtomicInteger());
        if (mine.incrementAndGet() > config.maxStreamsPerToken()
                | streams.incrementAndGet() > config.maxStreams()) {
            mine.decrementAndGet();
            streams.decrementAndGet();
            throw new ApiException(
                            Code.RESOURCE_EXHAUSTED,
                            "TOO_MANY_STREAMS",
                            null,
                            "too many open streams; close one first")
                    .with("max_streams_per_token", Integer.toString(config.maxStreamsPerToken()))
                    .with("max_streams", Integer.toString(config.maxStreams()));
        }
        java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                mine.decrementAndGet();
                streams.decrementAndGet();
            }
        };
    }

    /**
     * How long the peer must still wait after too many failed logins this minute; null when it need
     * not.
     */
    private Duration failedLoginBlock(String peer) {
        FailedLogins f = failedLogins.get(peer);
        return f == null ? null : f.blockedFor(System.nanoTime(), config.failedLoginsPerMinute());
    }

    private void recordFailedLogin(String peer) {
        long now = System.nanoTime();
        if (failedLogins.size() > MAX_REMEMBERED_PEERS) {
            failedLogins.values().removeIf(f -> f.expired(now));
        }
        failedLogins.computeIfAbsent(peer, p -> new FailedLogins()).record(now);
    }

    /** Failed logins of one peer address in its current one-minute window. */
    private static final class FailedLogins {
        private long windowStart;
        private int count;

        synchronized void record(long now) {
            if (count == 0 || now - windowStart >= FAILED_LOGIN_WINDOW.toNanos()) {
                windowStart = now;
                count = 0;
            }
            count++;
        }

        synchronized Duration blockedFor(long now, int allowed) {
            long left = windowStart + FAILED_LOGIN_WINDOW.toNanos() - now;
            if (count < allowed || left <= 0) {
                return null;
            }
            return Duration.ofNanos(left);
        }

        synchronized boolean expired(long now) {
            return now - windowStart >= FAILED_LOGIN_WINDOW.toNanos();
        }
    }

    /** The peer's IP address (the port differs per connection, the address does not). */
    private static String peerKey(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(peer);
    }

    /**
     * The token presented, or null for an anonymous loopback caller when no tokens are configured.
     */
    private ApiToken authenticate(Metadata headers, SocketAddress peer) {
        String header = headers.get(AUTHORIZATION);
        if (header == null) {
            if (tokens.isEmpty() && isLoopback(peer)) {
                return null;
            }
            throw new ApiException(
                    Code.UNAUTHENTICATED,
                    "UNAUTHENTICATED",
                    null,
                    "no bearer token: send the header `authorization: Bearer <token>`");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(
                    Code.UNAUTHENTICATED,
                    "UNAUTHENTICATED",
                    null,
                    "the authorization header must be `Bearer <token>`");
        }
        String presented = header.substring(7).strip();
        ApiToken found = null;
        for (ApiToken token : tokens) {
            if (token.matches(presented)) { // every token compared, in constant time each
                found = token;
            }
        }
        if (found == null) {
            throw new ApiException(
                    Code.UNAUTHENTICATED, "UNAUTHENTICATED", null, "unknown bearer token");
        }
        return found;
    }

    private RateLimiter limiter(String caller) {
        return limiters.computeIfAbsent(
                caller, c -> limiterOf("api-" + c, config.requestsPerSecond()));
    }

    private static RateLimiter limiterOf(String name, int perSecond) {
        return RateLimiter.of(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(perSecond)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
    }

    private static boolean isLoopback(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet
                && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, ApiException e) {
        StatusRuntimeException status = e.toStatus();
        call.close(
                status.getStatus(),
                status.getTrailers() == null ? new Metadata() : status.getTrailers());
        return new ServerCall.Listener<>() {};
    }
}
