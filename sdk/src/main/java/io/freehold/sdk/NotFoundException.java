package io.freehold.sdk;

import java.util.Map;

/**
 * The market or position does not exist (gRPC {@code NOT_FOUND}): reasons {@code UNKNOWN_MARKET}
 * and {@code UNKNOWN_POSITION}.
 *
 * <pre>{@code
 * try { client.position(marketId, account); }
 * catch (NotFoundException e) {
 *     // the account has nothing in this market
 * }
 * }</pre>
 */
public class NotFoundException extends FreeholdException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(
            String message, String reasonName, Map<String, String> metadata, Throwable cause) {
        super(message, reasonName, metadata, cause);
    }
}
