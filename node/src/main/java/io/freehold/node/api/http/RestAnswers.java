package io.freehold.node.api.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import io.freehold.node.api.ApiException;
import io.freehold.node.api.ApiGuard;
import io.freehold.node.api.metrics.ApiMetrics;
import io.grpc.Metadata;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every REST call answers, the HTTP twin of the gRPC endpoints' {@code Calls.unary}: admitted
 * by the same {@link ApiGuard} (token, role, rate) under the gRPC method's name, answered with the
 * very message the gRPC method returns, printed in protobuf's JSON mapping (lowerCamel names;
 * 64-bit integers and amounts as strings; every field, defaults included, so a client never has to
 * know proto3's rules).
 *
 * <p>A refusal is {@code {"code", "reason", "message", "metadata"}}: the canonical code's name, the
 * same ErrorInfo reason and metadata as over gRPC, with the HTTP status of the code (400, 401, 403,
 * 404, 429 or 503 with {@code Retry-After}); anything unexpected is a 500 that leaks nothing,
 * logged here.
 */
@Singleton
public final class RestAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(RestAnswers.class);
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().includingDefaultValueFields();

    private final ApiGuard guard;
    private final JsonMapper json;
    private final ApiMetrics metrics;

    public RestAnswers(ApiGuard guard, JsonMapper json, ApiMetrics metrics) {
        this.guard = guard;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Admits the call as {@code method} (e.g. {@code freehold.v1.MarketService/ListMarkets}), then
     * answers.
     */
    public MutableHttpResponse<String> answer(
            HttpRequest<?> request, String method, Supplier<? extends MessageOrBuilder> read) {
        try {
            admit(request, method);
            return HttpResponse.ok(print(read.get())).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (ApiException e) {
            return remember(request, error(e));
        } catch (RuntimeException e) {
            LOG.error("REST call {} failed", request.getPath(), e);
            return error(
                    new ApiException(
                            Code.INTERNAL,
                            "INTERNAL",
                            null,
                            "the node failed to answer; see its log"));
        }
    }

    /**
     * Micronaut hands a route's own 404 to the global NOT_FOUND handler ({@link RestRoutes}) as if
     * no route matched; the refusal is kept on the request so that handler answers it unchanged.
     */
    private static MutableHttpResponse<String> remember(
            HttpRequest<?> request, MutableHttpResponse<String> refusal) {
        request.setAttribute(REFUSAL, refusal);
        return refusal;
    }

    static final String REFUSAL = "freehold.api.refusal";

    /** The caller's name; throws the refusal. */
    public String admit(HttpRequest<?> request, String method) {
        Metadata headers = new Metadata();
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            headers.put(ApiGuard.AUTHORIZATION, authorization);
        }
        return guard.admit(headers, request.getRemoteAddress(), method);
    }

    public static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    e); // only for Any fields of unknown types: the API has none
        }
    }

    /** The refusal as JSON with its HTTP status. */
    public MutableHttpResponse<String> error(ApiException e) {
        metrics.refusal("http", e.reason());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().name());
        body.put("reason", e.reason());
        body.put("message", e.getMessage());
        Map<String, String> metadata = new LinkedHashMap<>();
        if (e.field() != null) {
            metadata.put("field", e.field());
        }
        metadata.putAll(e.metadata());
        body.put("metadata", metadata);
        MutableHttpResponse<String> response =
                HttpResponse.<String>status(status(e.code()))
                        .contentType(MediaType.APPLICATION_JSON_TYPE);
        e.retryDelay()
                .ifPresent(
                        d ->
                                response.header(
                                        HttpHeaders.RETRY_AFTER,
                                        Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))));
        try {
            return response.body(json.writeValueAsString(body));
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }

    /** The HTTP status of a canonical code, as Google's HTTP mapping of google.rpc.Code has it. */
    static HttpStatus status(Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
