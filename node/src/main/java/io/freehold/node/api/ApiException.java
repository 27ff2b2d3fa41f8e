package io.freehold.node.api;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * A request the API refuses, with the gRPC code, the {@code freehold.v1.ErrorReason} name and the
 * field at fault: what a client switches on, in a {@code google.rpc.ErrorInfo} (domain {@value
 * #DOMAIN}). Thrown by argument parsing and lookups; {@link #toStatus()} makes it what the call
 * ends with.
 */
public final class ApiException extends RuntimeException {

    static final String DOMAIN = "freehold.v1";

    private final Code code;
    private final String reason;
    private final String field;
    private final java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
    private java.time.Duration retryAfter = java.time.Duration.ofSeconds(1);

    public ApiException(Code code, String reason, String field, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.field = field;
    }

    public static ApiException invalid(String reason, String field, String message) {
        return new ApiException(Code.INVALID_ARGUMENT, reason, field, message);
    }

    public static ApiException notFound(String reason, String field, String message) {
        return new ApiException(Code.NOT_FOUND, reason, field, message);
    }

    /**
     * A dynamic value for the ErrorInfo's metadata (never the message, whose text is the same for
     * every value), e.g. the refused input.
     */
    public ApiException with(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public java.util.Map<String, String> metadata() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    /** NOT_FOUND: the node follows no such market. */
    public static ApiException unknownMarket(io.freehold.types.MarketId market) {
        return notFound("UNKNOWN_MARKET", "market_id", "the node follows no such market")
                .with("market_id", market.hex());
    }

    /** NOT_FOUND: the account has nothing in the market. */
    public static ApiException unknownPosition(
            String field, io.freehold.types.MarketId market, io.freehold.types.Address account) {
        return notFound("UNKNOWN_POSITION", field, "the account has nothing in the market")
                .with("market_id", market.hex())
                .with(field, account.hex());
    }

    /**
     * Sets how long a client should wait before retrying (RESOURCE_EXHAUSTED, UNAVAILABLE); 1 s
     * unless set.
     */
    ApiException retryAfter(java.time.Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    /**
     * How long to wait before retrying, for the codes a retry can cure (RESOURCE_EXHAUSTED,
     * UNAVAILABLE): sent as {@code google.rpc.RetryInfo} over gRPC and {@code Retry-After} over
     * HTTP. Empty otherwise.
     */
    public java.util.Optional<java.time.Duration> retryDelay() {
        return code == Code.RESOURCE_EXHAUSTED || code == Code.UNAVAILABLE
                ? java.util.Optional.of(retryAfter)
                : java.util.Optional.empty();
    }

    public Code code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String field() {
        return field;
    }

    /** The gRPC status: code, message, and the ErrorInfo detail. */
    public StatusRuntimeException toStatus() {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason);
        if (field != null) {
            info.putMetadata("field", field);
        }
        info.putAllMetadata(metadata);
        com.google.rpc.Status.Builder status =
                com.google.rpc.Status.newBuilder()
                        .setCode(code.getNumber())
                        .setMessage(getMessage())
                        .addDetails(Any.pack(info.build()));
        retryDelay()
                .ifPresent(
                        d ->
                                status.addDetails(
                                        Any.pack(
                                                com.google.rpc.RetryInfo.newBuilder()
                                                        .setRetryDelay(
                                                                com.google.protobuf.Duration
                                                                        .newBuilder()
                                                                        .setSeconds(d.getSeconds())
                                                                        .setNanos(d.getNano()))
                                                        .build())));
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
