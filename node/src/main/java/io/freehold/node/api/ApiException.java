package io.freehold.node.api;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * A request the API refuses, with the gRPC code, the {@code freehold.v1.ErrorReason} name and the field
 * at fault: what a client switches on, in a {@code google.rpc.ErrorInfo} (domain {@value #DOMAIN}).
 * Thrown by argument parsing and lookups; {@link #toStatus()} makes it what the call ends with.
 */
public final class ApiException extends RuntimeException {

    static final String DOMAIN = "freehold.v1";

    private final Code code;
    private final String reason;
    private final String field;
    private final java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();

    public ApiException(Code code, String reason, String field, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.field = field;
    }

    static ApiException invalid(String reason, String field, String message) {
        return new ApiException(Code.INVALID_ARGUMENT, reason, field, message);
    }

    static ApiException notFound(String reason, String field, String message) {
        return new ApiException(Code.NOT_FOUND, reason, field, message);
    }

    /** A dynamic value for the ErrorInfo's metadata (never the message: STYLE.md), e.g. the refused input. */
    ApiException with(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public java.util.Map<String, String> metadata() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    /** NOT_FOUND: the node follows no such market. */
    static ApiException unknownMarket(io.freehold.types.MarketId market) {
        return notFound("UNKNOWN_MARKET", "market_id", "the node follows no such market").with("market_id", market.hex());
    }

    /** NOT_FOUND: the account has nothing in the market. */
    static ApiException unknownPosition(String field, io.freehold.types.MarketId market,
            io.freehold.types.Address account) {
        return notFound("UNKNOWN_POSITION", field, "the account has nothing in the market")
                .with("market_id", market.hex()).with(field, account.hex());
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
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(getMessage())
                .addDetails(Any.pack(info.build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }
}
