package io.freehold.node.api.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain JDK HTTP client for the node's REST surface, as curl would call it: GET, bearer token,
 * JSON back.
 */
final class RestClient {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    RestClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    RestClient withToken(String other) {
        return new RestClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), other);
    }

    HttpResponse<String> get(String pathAndQuery) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                        .timeout(Duration.ofSeconds(10))
                        .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * GET, expecting 200, parsed with protobuf's JSON mapping into {@code builder}'s message type.
     */
    @SuppressWarnings("unchecked")
    <M extends Message> M read(String pathAndQuery, Message.Builder builder) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            JsonFormat.parser().merge(response.body(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(
                    pathAndQuery + " is not the message's JSON: " + response.body(), e);
        }
        return (M) builder.build();
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A path segment: URL-encoded, spaces as %20. */
    static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
