package io.freehold.sdk;

import java.util.Map;

/**
 * The node refused for lack of capacity (gRPC {@code RESOURCE_EXHAUSTED}): reasons {@code
 * TOO_MANY_STREAMS} and {@code SLOW_CONSUMER}, and {@code RATE_LIMITED} as the subclass {@link
 * RateLimitedException}. Back off before trying again.
 *
 * <pre>{@code
 * catch (ResourceExhaustedException e) { Thread.sleep(1000); }
 * }</pre>
 */
public class ResourceExhaustedException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public ResourceExhaustedException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
