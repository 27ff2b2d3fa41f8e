package io.freehold.sdk;

import java.util.Map;

/**
 * The call did not finish within its deadline ({@link FreeholdSettings.Builder#deadline}), retries
 * included.
 *
 * <pre>{@code
 * catch (DeadlineExceededException e) {
 *     // slow node or network
 * }
 * }</pre>
 */
public class DeadlineExceededException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public DeadlineExceededException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
