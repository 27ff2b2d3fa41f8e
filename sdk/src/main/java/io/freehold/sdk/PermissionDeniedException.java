package io.freehold.sdk;

import java.util.Map;

/**
 * The bearer token's role does not allow the call (gRPC {@code PERMISSION_DENIED}).
 *
 * <pre>{@code
 * try { client.status(); } catch (PermissionDeniedException e) {
 *     // ask for a token with the role
 * }
 * }</pre>
 */
public class PermissionDeniedException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
