package io.freehold.sdk.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.freehold.sdk.DeadlineExceededException;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.InvalidArgumentException;
import io.freehold.sdk.NotFoundException;
import io.freehold.sdk.PermissionDeniedException;
import io.freehold.sdk.RateLimitedException;
import io.freehold.sdk.ResourceExhaustedException;
import io.freehold.sdk.UnauthenticatedException;
import io.freehold.sdk.UnavailableException;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/** Not public API. Turns a failed gRPC call into the matching {@link FreeholdException}. */
public final class Errors {

    /**
     * The ErrorInfo domain of the node's reasons (common.proto); others' reasons mean other things.
     */
    static final String DOMAIN = "freehold.v1";

    private Errors() {}

    public static FreeholdException fromThrowable(Throwable t) {
        if (t instanceof FreeholdException e) {
            return e;
        }
        Status status = Status.fromThrowable(t);
        ErrorInfo info = errorInfo(t);
        String reason = info == null ? "" : info.getReason();
        Map<String, String> metadata = info == null ? Map.of() : info.getMetadataMap();
        String description = status.getDescription() == null ? "" : status.getDescription();
        String message =
                status.getCode()
                        + (reason.isEmpty() ? "" : " (" + reason + ")")
                        + (description.isEmpty() ? "" : ": " + description);
        switch (status.getCode()) {
            case INVALID_ARGUMENT:
                return new InvalidArgumentException(message, reason, metadata, t);
            case NOT_FOUND:
                return new NotFoundException(message, reason, metadata, t);
            case UNAUTHENTICATED:
                return new UnauthenticatedException(message, reason, metadata, t);
            case PERMISSION_DENIED:
                return new PermissionDeniedException(message, reason, metadata, t);
            case RESOURCE_EXHAUSTED:
                return "RATE_LIMITED".equals(reason)
                        ? new RateLimitedException(message, reason, metadata, t)
                        : new ResourceExhaustedException(message, reason, metadata, t);
            case UNAVAILABLE:
                return new UnavailableException(message, reason, metadata, t);
            case DEADLINE_EXCEEDED:
                return new DeadlineExceededException(message, reason, metadata, t);
            default:
                return new FreeholdException(message, reason, metadata, t);
        }
    }

    /** A response the SDK cannot read (e.g. a malformed address): a node bug or a version skew. */
    public static FreeholdException malformedResponse(String what, RuntimeException cause) {
        return new FreeholdException(
                "the node sent a malformed " + what + ": " + cause.getMessage(),
                "",
                Map.of(),
                cause);
    }

    private static ErrorInfo errorInfo(Throwable t) {
        com.google.rpc.Status status = StatusProto.fromThrowable(t);
        if (status == null) {
            return null;
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    ErrorInfo info = detail.unpack(ErrorInfo.class);
                    if (DOMAIN.equals(info.getDomain())) {
                        return info;
                    }
                } catch (InvalidProtocolBufferException e) {
                    // A detail we cannot read tells us nothing; the status code still does.
                }
            }
        }
        return null;
    }
}
