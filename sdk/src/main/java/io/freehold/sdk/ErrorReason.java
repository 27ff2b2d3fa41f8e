package io.freehold.sdk;

/**
 * Why the node refused a call: the {@code reason} of the {@code google.rpc.ErrorInfo} it sends,
 * stable across versions, for code to switch on. The exception type says the kind of failure; the
 * reason says exactly which.
 *
 * <pre>{@code
 * try {
 *     client.position(marketId, account);
 * } catch (NotFoundException e) {
 *     if (e.reason() == ErrorReason.UNKNOWN_POSITION) { ... }  // nothing in this market yet
 * }
 * }</pre>
 */
public enum ErrorReason {
    /** Not 0x + 40 hex, or a wrong EIP-55 checksum. */
    INVALID_ADDRESS,
    /** Not 0x + 64 hex. */
    INVALID_MARKET_ID,
    /** Not a decimal integer, negative, or above 2^256 − 1. */
    INVALID_AMOUNT,
    /** A WAD ratio that is malformed or out of range. */
    INVALID_RATIO,
    /** Page size out of range, or a page token this node did not issue. */
    INVALID_PAGE,
    /** A cursor this node cannot resume from. */
    INVALID_CURSOR,
    /** No such market. */
    UNKNOWN_MARKET,
    /** The account has nothing in the market. */
    UNKNOWN_POSITION,
    /** A required field is empty. */
    MISSING_FIELD,
    /** No or unknown bearer token. */
    UNAUTHENTICATED,
    /** The token's role does not allow the call. */
    PERMISSION_DENIED,
    /** The token's request rate is used up. */
    RATE_LIMITED,
    /** The cap on concurrent streams is reached. */
    TOO_MANY_STREAMS,
    /** A stream's buffer filled; reconnect with the last cursor. */
    SLOW_CONSUMER,
    /** The node is catching up or stopped following the chain. */
    NODE_NOT_READY,
    /**
     * Too many failed logins from this address this minute; the exception's retry delay says how
     * long to wait.
     */
    TOO_MANY_FAILED_LOGINS,
    /**
     * The error carried no reason (e.g. a proxy's or the transport's), or one this SDK version does
     * not know: see {@link FreeholdException#reasonName()}.
     */
    UNKNOWN;

    static ErrorReason fromName(String name) {
        if (name == null || name.isEmpty()) {
            return UNKNOWN;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
