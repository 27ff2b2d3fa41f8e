package io.freehold.sdk;

import java.util.Map;

/**
 * No bearer token, or one the node does not know (gRPC {@code UNAUTHENTICATED}); see {@link
 * FreeholdSettings.Builder#bearerToken(String)}.
 *
 * <pre>{@code
 * FreeholdClient.create(FreeholdSettings.builder().target("node:443").bearerToken(token).build());
 * }</pre>
 */
public class UnauthenticatedException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public UnauthenticatedException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
