package io.freehold.node.chain;

import java.util.List;

/**
 * A JSON-RPC call that did not produce an answer, with what kind of failure it was.
 *
 * <p>The {@link Kind} decides what happens next: retry on the same endpoint, move to the next
 * endpoint, count against the endpoint's circuit breaker, or give up at once. Keeping the three
 * decisions on the kind, not spread over catch blocks, is what makes "deterministic errors are
 * never retried" checkable in one place.
 */
public class RpcException extends RuntimeException {

    /** What went wrong, and what each layer does about it. */
    public enum Kind {
        /** The connection broke: reset, dropped, unexpected end of stream. */
        TRANSPORT(true, true, true),
        /**
         * No answer within the request timeout. Not retried on the same endpoint: a second wait is
         * as likely to be as long, and the next endpoint is the faster way out.
         */
        TIMEOUT(false, true, true),
        /**
         * No connection (refused, unknown host, connect timeout): the endpoint is down or cut off.
         */
        UNREACHABLE(false, true, true),
        /**
         * HTTP 5xx or 429, a malformed body, or a JSON-RPC server-side error: worth trying again.
         */
        SERVER_ERROR(true, true, true),
        /** The endpoint will not serve this (HTTP 401/403/404, method not found): another might. */
        ENDPOINT_REFUSED(false, true, true),
        /**
         * The request itself is wrong (invalid params, parse error, reverted call): every endpoint
         * would answer the same, so nothing is retried and the breaker does not count it.
         */
        INVALID_REQUEST(false, false, false),
        /**
         * {@code eth_getLogs} matched more than the endpoint returns at once. The caller splits the
         * range; trying elsewhere or again with the same range would not help.
         */
        RANGE_TOO_LARGE(false, false, false),
        /**
         * {@code eth_getLogs} over more than the minimum range timed out. The range is suspect, not
         * the endpoint: the caller splits it, the breaker does not count it, and meanwhile the next
         * endpoint is asked. (At the minimum range a timeout is a plain {@link #TIMEOUT}.)
         */
        RANGE_TIMEOUT(false, false, true),
        /** The endpoint has not seen the block (it lags, or the block does not exist yet). */
        BLOCK_NOT_AVAILABLE(false, false, true),
        /** The endpoint serves another chain than the configured one. */
        WRONG_CHAIN(false, false, true),
        /** The endpoint's circuit breaker is open: it was skipped without a request. */
        BREAKER_OPEN(false, false, true),
        /** The endpoint's rate limiter gave no permit within the request timeout. */
        RATE_LIMITED(false, false, true),
        /**
         * Every endpoint failed or was skipped; the causes are attached as suppressed exceptions.
         */
        UNAVAILABLE(false, false, false);

        private final boolean retried;
        private final boolean countsAgainstEndpoint;
        private final boolean failsOver;

        Kind(boolean retried, boolean countsAgainstEndpoint, boolean failsOver) {
            this.retried = retried;
            this.countsAgainstEndpoint = countsAgainstEndpoint;
            this.failsOver = failsOver;
        }

        /** Worth another attempt on the same endpoint after a backoff. */
        public boolean retried() {
            return retried;
        }

        /** Recorded as a failure by the endpoint's circuit breaker. */
        public boolean countsAgainstEndpoint() {
            return countsAgainstEndpoint;
        }

        /** The call moves on to the next endpoint. */
        public boolean failsOver() {
            return failsOver;
        }
    }

    private final Kind kind;
    private final String endpoint;
    private final String method;
    private final Integer code;
    private final long suggestedRangeBlocks;

    public RpcException(Kind kind, String endpoint, String method, String detail, Throwable cause) {
        this(kind, endpoint, method, detail, null, 0, cause);
    }

    RpcException(
            Kind kind,
            String endpoint,
            String method,
            String detail,
            Integer code,
            long suggestedRangeBlocks,
            Throwable cause) {
        super((endpoint == null ? "" : endpoint + ": ") + method + ": " + detail, cause);
        this.kind = kind;
        this.endpoint = endpoint;
        this.method = method;
        this.code = code;
        this.suggestedRangeBlocks = suggestedRangeBlocks;
    }

    /** All endpoints failed for {@code method}; {@code failures} become suppressed exceptions. */
    static RpcException unavailable(String method, String what, List<RpcException> failures) {
        boolean allMissingBlock =
                !failures.isEmpty()
                        && failures.stream().allMatch(f -> f.kind() == Kind.BLOCK_NOT_AVAILABLE);
        StringBuilder detail =
                new StringBuilder(
                        allMissingBlock
                                ? "no endpoint has " + what
                                : "no endpoint could serve " + what);
        for (RpcException failure : failures) {
            detail.append("; ").append(failure.getMessage());
        }
        RpcException e =
                new RpcException(
                        allMissingBlock ? Kind.BLOCK_NOT_AVAILABLE : Kind.UNAVAILABLE,
                        null,
                        method,
                        detail.toString(),
                        null);
        failures.forEach(e::addSuppressed);
        return e;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The endpoint's name ({@code rpc1/host:port}), or null when no single endpoint is to blame.
     */
    public String endpoint() {
        return endpoint;
    }

    /** The JSON-RPC method, e.g. {@code eth_getLogs}. */
    public String method() {
        return method;
    }

    /** The JSON-RPC error code or HTTP status that was answered, or null. */
    public Integer code() {
        return code;
    }

    /**
     * For {@link Kind#RANGE_TOO_LARGE}: the width in blocks the endpoint said would work (Alchemy
     * names a range in its message), or 0 if it did not say.
     */
    public long suggestedRangeBlocks() {
        return suggestedRangeBlocks;
    }
}
