package io.freehold.sdk;

import java.util.Map;

/**
 * The node could not be reached, or is not ready (gRPC {@code UNAVAILABLE}, reason {@code
 * NODE_NOT_READY} while it catches up). Thrown after the unary retries that {@link
 * FreeholdSettings.Builder#retryAttempts(int)} allows are used up.
 *
 * <pre>{@code
 * catch (UnavailableException e) {
 *     // the node is down or catching up: try later
 * }
 * }</pre>
 */
public class UnavailableException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public UnavailableException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
