package io.freehold.node.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freehold.node.chain.RpcException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * Sorts what an endpoint did wrong into a {@link Kind}. Providers word the same condition
 * differently, so the "too many results" family is matched on the message text, which is what
 * graph-node, Ponder and viem do as well.
 */
final class RpcErrors {

    /**
     * Phrases with which geth, Erigon, anvil, Infura, Alchemy and QuickNode refuse a wide
     * eth_getLogs.
     */
    private static final List<String> RANGE_TOO_LARGE =
            List.of(
                    "too many results",
                    "query returned more than",
                    "limit exceeded",
                    "response size exceeded",
                    "response size is larger",
                    "log response size",
                    "range is too large",
                    "range too large",
                    "exceed maximum block range",
                    "block range is too wide",
                    "is limited to a");

    /** Rate limiting also says "limit exceeded"; it is transient, not a reason to split a range. */
    private static final List<String> RATE_LIMITED =
            List.of(
                    "rate limit",
                    "rate-limit",
                    "rate exceeded",
                    "request rate",
                    "too many requests",
                    "daily request count",
                    "compute units",
                    "capacity");

    /** The endpoint does not have the block (yet): geth, Erigon, Nethermind wordings. */
    private static final List<String> MISSING_BLOCK =
            List.of(
                    "header not found",
                    "unknown block",
                    "block not found",
                    "beyond current head block");

    /** Alchemy: "... this block range should work: [0x1, 0x2]". */
    private static final Pattern SUGGESTED_RANGE =
            Pattern.compile("\\[\\s*(0x[0-9a-fA-F]+)\\s*,\\s*(0x[0-9a-fA-F]+)\\s*]");

    private static final Pattern HTTP_STATUS =
            Pattern.compile("Invalid response received: (\\d{3})");

    private static final int INVALID_REQUEST_CODE = -32600;
    private static final int METHOD_NOT_FOUND = -32601;
    private static final int INVALID_PARAMS = -32602;
    private static final int PARSE_ERROR = -32700;
    private static final int EXECUTION_REVERTED = 3;

    private RpcErrors() {}

    /** A JSON-RPC error object answered by {@code endpoint} for {@code method}. */
    static RpcException fromError(String endpoint, String method, Response.Error error) {
        int code = error.getCode();
        String message = String.valueOf(error.getMessage());
        String text = message.toLowerCase(Locale.ROOT);
        String detail = "JSON-RPC error " + code + ": " + message;
        if (containsAny(text, RATE_LIMITED) || code == 429) {
            return new RpcException(
                    Kind.SERVER_ERROR,
                    endpoint,
                    method,
                    "rate limited (" + detail + ")",
                    code,
                    0,
                    null);
        }
        if (containsAny(text, RANGE_TOO_LARGE)) {
            return new RpcException(
                    Kind.RANGE_TOO_LARGE,
                    endpoint,
                    method,
                    "range too large (" + detail + ")",
                    code,
                    suggestedRangeBlocks(message),
                    null);
        }
        if (containsAny(text, MISSING_BLOCK)) {
            return new RpcException(
                    Kind.BLOCK_NOT_AVAILABLE, endpoint, method, detail, code, 0, null);
        }
        if (code == METHOD_NOT_FOUND
                || text.contains("method not found")
                || text.contains("not supported")
                || text.contains("unsupported method")) {
            return new RpcException(Kind.ENDPOINT_REFUSED, endpoint, method, detail, code, 0, null);
        }
        if (code == INVALID_PARAMS
                || code == INVALID_REQUEST_CODE
                || code == PARSE_ERROR
                || code == EXECUTION_REVERTED
                || text.contains("execution reverted")) {
            return new RpcException(Kind.INVALID_REQUEST, endpoint, method, detail, code, 0, null);
        }
        // -32603 internal error, -32000..-32099 server errors, anything else a provider invents.
        return new RpcException(Kind.SERVER_ERROR, endpoint, method, detail, code, 0, null);
    }

    /** An exception thrown while sending {@code method} to {@code endpoint}. */
    static RpcException classify(String endpoint, String method, Throwable t) {
        if (t instanceof RpcException e) {
            return e;
        }
        if (t instanceof SocketTimeoutException
                && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connect")) {
            // Nothing answered the handshake: the endpoint is unreachable, whatever was being
            // asked.
            return new RpcException(Kind.UNREACHABLE, endpoint, method, "connect timed out", t);
        }
        if (t instanceof InterruptedIOException
                && !(t instanceof SocketTimeoutException)
                && Thread.currentThread().isInterrupted()) {
            return new RpcException(Kind.UNAVAILABLE, endpoint, method, "interrupted", t);
        }
        if (t instanceof InterruptedIOException) {
            // OkHttp: SocketTimeoutException for a read, InterruptedIOException("timeout") for the
            // call timeout.
            return new RpcException(Kind.TIMEOUT, endpoint, method, "timed out: " + t, t);
        }
        if (t instanceof ConnectException
                || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException) {
            return new RpcException(
                    Kind.UNREACHABLE, endpoint, method, "unreachable: " + t.getMessage(), t);
        }
        if (t instanceof ClientConnectionException) {
            return fromHttpStatus(endpoint, method, t);
        }
        if (t instanceof JsonProcessingException || t instanceof ClassCastException) {
            return new RpcException(
                    Kind.SERVER_ERROR,
                    endpoint,
                    method,
                    "malformed response: " + t.getMessage(),
                    t);
        }
        if (t instanceof IOException) {
            return new RpcException(Kind.TRANSPORT, endpoint, method, "connection failed: " + t, t);
        }
        return new RpcException(Kind.SERVER_ERROR, endpoint, method, "unexpected failure: " + t, t);
    }

    private static RpcException fromHttpStatus(String endpoint, String method, Throwable t) {
        String message = String.valueOf(t.getMessage());
        Matcher m = HTTP_STATUS.matcher(message);
        int status = m.find() ? Integer.parseInt(m.group(1)) : 0;
        String detail = "HTTP " + status + ": " + abbreviate(message, 200);
        boolean transientStatus = status == 0 || status == 408 || status == 429 || status >= 500;
        return new RpcException(
                transientStatus ? Kind.SERVER_ERROR : Kind.ENDPOINT_REFUSED,
                endpoint,
                method,
                detail,
                status,
                0,
                t);
    }

    /** The width of a range the provider suggests in {@code message}, or 0. */
    static long suggestedRangeBlocks(String message) {
        Matcher m = SUGGESTED_RANGE.matcher(message);
        if (!m.find()) {
            return 0;
        }
        try {
            long from = Long.parseLong(m.group(1).substring(2), 16);
            long to = Long.parseLong(m.group(2).substring(2), 16);
            return to >= from ? to - from + 1 : 0;
        } catch (NumberFormatException tooLong) {
            return 0;
        }
    }

    private static boolean containsAny(String text, List<String> phrases) {
        for (String phrase : phrases) {
            if (text.contains(phrase)) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
