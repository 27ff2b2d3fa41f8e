package io.freehold.sdk;

import java.util.Map;

/**
 * The node refused malformed input (gRPC {@code INVALID_ARGUMENT}): reasons {@code INVALID_*} and
 * {@code MISSING_FIELD}, with {@link #field()} naming the field. Retrying will not help.
 *
 * <pre>{@code
 * try { client.positions(query).count(); }
 * catch (InvalidArgumentException e) { e.reason(); e.field(); }  // INVALID_PAGE, "page_token"
 * }</pre>
 */
public class InvalidArgumentException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
