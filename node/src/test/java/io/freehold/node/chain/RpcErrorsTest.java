package io.freehold.node.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.freehold.node.chain.RpcException.Kind;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

class RpcErrorsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // The "too many results" family, as providers word it.
                "-32005 | query returned more than 10000 results | RANGE_TOO_LARGE",
                "-32602 | Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range | RANGE_TOO_LARGE",
                "-32000 | too many results in range | RANGE_TOO_LARGE",
                "-32614 | eth_getLogs is limited to a 10,000 range | RANGE_TOO_LARGE",
                "-32000 | query exceeds limit exceeded | RANGE_TOO_LARGE",
                "-32000 | response size exceeded | RANGE_TOO_LARGE",
                // Rate limits also say "exceeded": transient, not a reason to split.
                "-32005 | daily request count exceeded, request rate limited | SERVER_ERROR",
                "-32005 | project ID request rate exceeded | SERVER_ERROR",
                "429 | Too Many Requests | SERVER_ERROR",
                // Deterministic: the same request fails everywhere.
                "-32602 | invalid params | INVALID_REQUEST",
                "-32600 | invalid request | INVALID_REQUEST",
                "-32700 | parse error | INVALID_REQUEST",
                "3 | execution reverted: Unauthorized | INVALID_REQUEST",
                // The endpoint cannot, another might.
                "-32601 | the method eth_getLogs does not exist/is not available | ENDPOINT_REFUSED",
                "-32000 | header not found | BLOCK_NOT_AVAILABLE",
                // Server trouble: retry.
                "-32603 | internal error | SERVER_ERROR",
                "-32000 | upstream connect error | SERVER_ERROR",
            })
    void sortsJsonRpcErrors(int code, String message, Kind expected) {
        RpcException e =
                RpcErrors.fromError("rpc1/x:1", "eth_getLogs", new Response.Error(code, message));

        assertThat(e.kind()).isEqualTo(expected);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains("rpc1/x:1", "eth_getLogs", message);
    }

    @Test
    void readsTheRangeAProviderSuggests() {
        RpcException e =
                RpcErrors.fromError(
                        "rpc1/x:1",
                        "eth_getLogs",
                        new Response.Error(
                                -32602,
                                "Log response size exceeded. Based on your parameters, this block range should work: "
                                        + "[0x10, 0x4f]"));

        assertThat(e.kind()).isEqualTo(Kind.RANGE_TOO_LARGE);
        assertThat(e.suggestedRangeBlocks()).isEqualTo(0x4f - 0x10 + 1);
        assertThat(RpcErrors.suggestedRangeBlocks("no hint here")).isZero();
        assertThat(RpcErrors.suggestedRangeBlocks("[0x9, 0x1]")).as("backwards").isZero();
    }

    @Test
    void sortsTransportFailures() {
        assertThat(kindOf(new ConnectException("Connection refused"))).isEqualTo(Kind.UNREACHABLE);
        assertThat(kindOf(new SocketTimeoutException("Read timed out"))).isEqualTo(Kind.TIMEOUT);
        assertThat(kindOf(new SocketTimeoutException("Connect timed out")))
                .isEqualTo(Kind.UNREACHABLE);
        assertThat(kindOf(new InterruptedIOException("timeout"))).isEqualTo(Kind.TIMEOUT);
        assertThat(kindOf(new SocketException("Connection reset"))).isEqualTo(Kind.TRANSPORT);
        assertThat(kindOf(new EOFException("\\n not found: limit=0"))).isEqualTo(Kind.TRANSPORT);
        assertThat(kindOf(new JsonParseException(null, "Unexpected character")))
                .isEqualTo(Kind.SERVER_ERROR);
    }

    @Test
    void sortsHttpStatuses() {
        assertThat(kindOf(new ClientConnectionException("Invalid response received: 500; boom")))
                .isEqualTo(Kind.SERVER_ERROR);
        assertThat(
                        kindOf(
                                new ClientConnectionException(
                                        "Invalid response received: 429; slow down")))
                .isEqualTo(Kind.SERVER_ERROR);
        assertThat(kindOf(new ClientConnectionException("Invalid response received: 401; no key")))
                .isEqualTo(Kind.ENDPOINT_REFUSED);
        RpcException e =
                RpcErrors.classify(
                        "rpc2/y:2",
                        "eth_chainId",
                        new ClientConnectionException(
                                "Invalid response received: 503; unavailable"));
        assertThat(e.code()).isEqualTo(503);
    }

    @Test
    void eachKindSaysWhatHappensNext() {
        assertThat(Kind.TRANSPORT.retried()).isTrue();
        assertThat(Kind.SERVER_ERROR.retried()).isTrue();
        assertThat(Kind.TIMEOUT.retried()).as("fail over instead of waiting twice").isFalse();
        assertThat(Kind.UNREACHABLE.retried()).isFalse();
        assertThat(Kind.INVALID_REQUEST.retried()).isFalse();
        assertThat(Kind.INVALID_REQUEST.failsOver()).isFalse();
        assertThat(Kind.INVALID_REQUEST.countsAgainstEndpoint()).isFalse();
        assertThat(Kind.RANGE_TOO_LARGE.failsOver()).isFalse();
        assertThat(Kind.RANGE_TOO_LARGE.countsAgainstEndpoint()).isFalse();
        assertThat(Kind.BREAKER_OPEN.failsOver()).isTrue();
        assertThat(Kind.BLOCK_NOT_AVAILABLE.failsOver()).isTrue();
    }

    private static Kind kindOf(Throwable t) {
        return RpcErrors.classify("rpc1/x:1", "eth_blockNumber", t).kind();
    }
}
