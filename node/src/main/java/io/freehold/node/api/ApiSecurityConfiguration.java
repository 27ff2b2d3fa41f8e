package io.freehold.node.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.Map;

/**
 * Who may call the gRPC API and how much: bound from {@code freehold.node.api.*}.
 *
 * @param tokens bearer tokens by name: {@code freehold.node.api.tokens.<name>=<role>:<secret>},
 *     role {@code read} or {@code admin} (admin may also read). Put the secret in the environment
 *     ({@code FREEHOLD_NODE_API_TOKENS_BOT1=read:…}), never in a committed file. With no tokens,
 *     the API answers read calls from the loopback interface only, without a token (local
 *     development), and refuses everything else.
 * @param requestsPerSecond calls per second per token (a stream counts once, when opened). Default
 *     50.
 * @param maxStreamsPerToken concurrent server streams per token. Default 16.
 * @param maxStreams concurrent server streams in total. Default 2,000.
 * @param openCallsPerPeer concurrent calls one peer address may hold open on the services that need
 *     no token (gRPC health and server reflection). Default 4: a probe or a {@code grpcurl} needs
 *     one.
 * @param openRequestsPerSecondPerPeer messages per second one peer address may send to those
 *     services, counted per message (a reflection stream carries many). Default 20.
 * @param failedLoginsPerMinute failed authentications one peer address may make per minute; past
 *     it, every call from that address is refused with RESOURCE_EXHAUSTED and a RetryInfo until the
 *     minute is over, before any token is looked at. Default 10.
 */
@ConfigurationProperties("freehold.node.api")
public record ApiSecurityConfiguration(
        @Nullable Map<String, String> tokens,
        @Bindable(defaultValue = "50") int requestsPerSecond,
        @Bindable(defaultValue = "16") int maxStreamsPerToken,
        @Bindable(defaultValue = "2000") int maxStreams,
        @Bindable(defaultValue = "4") int openCallsPerPeer,
        @Bindable(defaultValue = "20") int openRequestsPerSecondPerPeer,
        @Bindable(defaultValue = "10") int failedLoginsPerMinute) {

    public ApiSecurityConfiguration {
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException(
                    "freehold.node.api.requests-per-second must be at least 1, was "
                            + requestsPerSecond);
        }
        if (maxStreamsPerToken < 1 || maxStreams < 1) {
            throw new IllegalArgumentException(
                    "freehold.node.api.max-streams and max-streams-per-token must be at"
                            + " least 1");
        }
        if (openCallsPerPeer < 1 || openRequestsPerSecondPerPeer < 1 || failedLoginsPerMinute < 1) {
            throw new IllegalArgumentException(
                    "freehold.node.api.open-calls-per-peer,"
                            + " open-requests-per-second-per-peer and failed-logins-per-minute must be at least 1");
        }
        tokens.forEach((name, value) -> ApiToken.parse(name, value));
    }
}
