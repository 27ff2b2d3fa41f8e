package io.freehold.sdk;

import java.util.Map;

/**
 * The bearer token's request rate is used up (reason {@code RATE_LIMITED}). Back off before trying
 * again.
 *
 * <pre>{@code
 * catch (RateLimitedException e) { Thread.sleep(1000); }
 * }</pre>
 */
public class RateLimitedException extends ResourceExhaustedException {

    private static final long serialVersionUID = 1L;

    public RateLimitedException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
