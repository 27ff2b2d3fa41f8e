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
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every API call passes here first: who is calling (a bearer token, or anonymous on loopback when no
 * token is configured), whether their role allows the method, whether their rate allows another call,
 * and whether another stream fits. Refusals carry the standard code and an ErrorInfo reason:
 * UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED (RATE_LIMITED, TOO_MANY_STREAMS).
 *
 * <p>The gRPC health and reflection services are open: probes and tools must work without a token.
 */
@Singleton
public final class ApiGuard implements ServerInterceptor, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ApiGuard.class);

    /** The caller of the current call, for endpoints that need it. */
    public static final Context.Key<String> CALLER = Context.key("freehold-caller");

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** Methods that change something: admin tokens only. */
    static final Set<String> ADMIN_METHODS = Set.of("freehold.v1.LiquidationService/RequestLiquidation");

    private static final List<String> OPEN_SERVICES =
            List.of("grpc.health.v1.Health/", "grpc.reflection.v1.ServerReflection/",
                    "grpc.reflection.v1alpha.ServerReflection/");
    private static final String ANONYMOUS = "anonymous-loopback";

    private final ApiSecurityConfiguration config;
    private final List<ApiToken> tokens;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> streamsByCaller = new ConcurrentHashMap<>();
    private final AtomicInteger streams = new AtomicInteger();

    public ApiGuard(ApiSecurityConfiguration config) {
        this.config = config;
        this.tokens = config.tokens().entrySet().stream().map(e -> ApiToken.parse(e.getKey(), e.getValue())).toList();
        if (tokens.isEmpty()) {
            LOG.warn("no API tokens configured (freehold.node.api.tokens): the gRPC API answers read calls from"
                    + " this machine only, and no admin call at all");
        } else {
            LOG.info("gRPC API tokens: {}", tokens); // names and roles only
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1; // just inside GrpcMetricsInterceptor, which times and counts refusals too
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (OPEN_SERVICES.stream().anyMatch(method::startsWith)) {
            return next.startCall(call, headers);
        }
        String caller;
        try {
            caller = admit(headers, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), method);
        } catch (ApiException e) {
            return refuse(call, e);
        }
        Context context = Context.current().withValue(CALLER, caller);
        if (call.getMethodDescriptor().getType().serverSendsOneMessage()) {
            return Contexts.interceptCall(context, call, headers, next);
        }
        AtomicInteger mine = streamsByCaller.computeIfAbsent(caller, c -> new AtomicInteger());
        if (mine.incrementAndGet() > config.maxStreamsPerToken() | streams.incrementAndGet() > config.maxStreams()) {
            mine.decrementAndGet();
            streams.decrementAndGet();
            return refuse(call, new ApiException(Code.RESOURCE_EXHAUSTED, "TOO_MANY_STREAMS", null,
                    "too many open streams; close one first")
                    .with("max_streams_per_token", Integer.toString(config.maxStreamsPerToken()))
                    .with("max_streams", Integer.toString(config.maxStreams())));
        }
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, call, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            private boolean released;

            private void release() {
                if (!released) {
                    released = true;
                    mine.decrementAndGet();
                    streams.decrementAndGet();
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
     * Who may make this call (by its full gRPC method name): the token, its role, its rate. Returns the
     * caller's name; throws the refusal. The REST surface (api.http) admits its calls here too, with the
     * {@code Authorization} header in {@code headers}, so both surfaces share one policy.
     */
    public String admit(Metadata headers, SocketAddress peer, String method) {
        ApiToken token = authenticate(headers, peer);
        String caller = token == null ? ANONYMOUS : token.name();
        ApiToken.Role role = token == null ? ApiToken.Role.READ : token.role();
        ApiToken.Role needed = ADMIN_METHODS.contains(method) ? ApiToken.Role.ADMIN : ApiToken.Role.READ;
        if (!role.allows(needed)) {
            throw new ApiException(Code.PERMISSION_DENIED, "PERMISSION_DENIED", null,
                    "this call needs an admin token").with("method", method).with("token", caller)
                    .with("role", role.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!limiter(caller).acquirePermission()) {
            throw new ApiException(Code.RESOURCE_EXHAUSTED, "RATE_LIMITED", null,
                    "the token is over its calls per second; back off and retry").with("token", caller)
                    .with("requests_per_second", Integer.toString(config.requestsPerSecond()));
        }
        return caller;
    }

    /**
     * A stream opened outside gRPC (the REST surface's Server-Sent Events) counts against the same caps as
     * the gRPC streams: the caller's and the node's. Returns what to run when the stream ends (once);
     * throws TOO_MANY_STREAMS when a cap is reached.
     */
    public Runnable acquireStream(String caller) {
        AtomicInteger mine = streamsByCaller.computeIfAbsent(caller, c -> new AtomicInteger());
        if (mine.incrementAndGet() > config.maxStreamsPerToken() | streams.incrementAndGet() > config.maxStreams()) {
            mine.decrementAndGet();
            streams.decrementAndGet();
            throw new ApiException(Code.RESOURCE_EXHAUSTED, "TOO_MANY_STREAMS", null,
                    "too many open streams; close one first")
                    .with("max_streams_per_token", Integer.toString(config.maxStreamsPerToken()))
                    .with("max_streams", Integer.toString(config.maxStreams()));
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                mine.decrementAndGet();
                streams.decrementAndGet();
            }
        };
    }

    /** The token presented, or null for an anonymous loopback caller when no tokens are configured. */
    private ApiToken authenticate(Metadata headers, SocketAddress peer) {
        String header = headers.get(AUTHORIZATION);
        if (header == null) {
            if (tokens.isEmpty() && isLoopback(peer)) {
                return null;
            }
            throw new ApiException(Code.UNAUTHENTICATED, "UNAUTHENTICATED", null,
                    "no bearer token: send the header `authorization: Bearer <token>`");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(Code.UNAUTHENTICATED, "UNAUTHENTICATED", null,
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
            throw new ApiException(Code.UNAUTHENTICATED, "UNAUTHENTICATED", null, "unknown bearer token");
        }
        return found;
    }

    private RateLimiter limiter(String caller) {
        return limiters.computeIfAbsent(caller, c -> RateLimiter.of("api-" + c, RateLimiterConfig.custom()
                .limitForPeriod(config.requestsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build()));
    }

    private static boolean isLoopback(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, ApiException e) {
        StatusRuntimeException status = e.toStatus();
        call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
        return new ServerCall.Listener<>() {};
    }
}
