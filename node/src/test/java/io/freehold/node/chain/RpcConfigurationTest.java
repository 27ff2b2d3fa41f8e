package io.freehold.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcConfigurationTest {

    /** Contexts here check configuration binding only: no follower, which would need a chain. */
    private static final String FOLLOW = "freehold.node.follow";

    @Test
    void micronautBindsTheDocumentedDefaults() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(FOLLOW, false))) {
            RpcConfiguration bound = context.getBean(RpcConfiguration.class);

            assertThat(bound)
                    .isEqualTo(
                            RpcConfiguration.builder(List.of(RpcConfiguration.DEFAULT_ENDPOINT))
                                    .build());
            assertThat(bound.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(bound.maxLogRangeBlocks()).isEqualTo(2_000);
        }
    }

    @Test
    void micronautBindsKebabCaseProperties() {
        try (ApplicationContext context =
                ApplicationContext.run(
                        Map.of(
                                FOLLOW,
                                false,
                                "freehold.node.rpc.endpoints",
                                List.of("http://a.example", "https://b.example/v2/KEY"),
                                "freehold.node.rpc.request-timeout",
                                "750ms",
                                "freehold.node.rpc.retry-attempts",
                                "5",
                                "freehold.node.rpc.breaker-open-duration",
                                "30s",
                                "freehold.node.rpc.requests-per-second",
                                "0",
                                "freehold.node.rpc.lag-tolerance-blocks",
                                "3",
                                "freehold.node.rpc.max-log-range-blocks",
                                "500",
                                "freehold.node.rpc.min-log-range-blocks",
                                "5"))) {
            RpcConfiguration bound = context.getBean(RpcConfiguration.class);

            assertThat(bound.endpoints())
                    .containsExactly("http://a.example", "https://b.example/v2/KEY");
            assertThat(bound.requestTimeout()).isEqualTo(Duration.ofMillis(750));
            assertThat(bound.retryAttempts()).isEqualTo(5);
            assertThat(bound.breakerOpenDuration()).isEqualTo(Duration.ofSeconds(30));
            assertThat(bound.requestsPerSecond()).isZero();
            assertThat(bound.lagToleranceBlocks()).isEqualTo(3);
            assertThat(bound.maxLogRangeBlocks()).isEqualTo(500);
            assertThat(bound.minLogRangeBlocks()).isEqualTo(5);
            assertThat(bound.batchSize()).isEqualTo(50);
        }
    }

    @Test
    void chainRpcIsABeanBuiltFromTheConfiguration() {
        try (ApplicationContext context =
                ApplicationContext.run(
                        Map.of(
                                FOLLOW,
                                false,
                                "freehold.node.rpc.endpoints",
                                List.of("http://127.0.0.1:1", "https://b.example/v2/SECRET")))) {
            ChainRpc rpc = context.getBean(ChainRpc.class);

            assertThat(rpc.status())
                    .extracting(EndpointStatus::name)
                    .containsExactly("rpc1/127.0.0.1:1", "rpc2/b.example");
            assertThat(rpc.status())
                    .extracting(EndpointStatus::url)
                    .as("the API key in the path is not shown")
                    .containsExactly("http://127.0.0.1:1", "https://b.example/…");
            assertThat(rpc.status())
                    .allSatisfy(
                            s -> {
                                assertThat(s.breakerState()).isEqualTo("CLOSED");
                                assertThat(s.lastSeenHead()).isEqualTo(-1);
                            });
        }
    }

    @Test
    void rejectsWhatTheNodeCannotRunWithNamingTheSetting() {
        var base = RpcConfiguration.builder(List.of("http://a.example"));

        assertThatThrownBy(() -> RpcConfiguration.builder(List.of()).build())
                .hasMessageContaining("freehold.node.rpc.endpoints");
        assertThatThrownBy(() -> RpcConfiguration.builder(List.of("ws://127.0.0.1:8546")).build())
                .hasMessageContaining("freehold.node.rpc.endpoints")
                .hasMessageContaining("http(s)");
        assertThatThrownBy(
                        () ->
                                RpcConfiguration.builder(
                                                List.of("http://x:1", "https://h/v2/SECRET KEY"))
                                        .build())
                .hasMessageContaining("freehold.node.rpc.endpoints entry 2 is not a URL")
                .hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> base.logRange(100, 10).build())
                .hasMessageContaining("freehold.node.rpc.max-log-range-blocks");
        assertThatThrownBy(
                        () ->
                                RpcConfiguration.builder(List.of("http://x:1"))
                                        .retryAttempts(0)
                                        .build())
                .hasMessageContaining("freehold.node.rpc.retry-attempts");
        assertThatThrownBy(
                        () ->
                                RpcConfiguration.builder(List.of("http://x:1"))
                                        .requestTimeout(Duration.ZERO)
                                        .build())
                .hasMessageContaining("freehold.node.rpc.request-timeout");
    }

    @Test
    void redactsPathsAndQueriesThatMayHoldKeys() {
        assertThat(RpcEndpoint.redact("https://eth-mainnet.g.alchemy.com/v2/abc123"))
                .isEqualTo("https://eth-mainnet.g.alchemy.com/…");
        assertThat(RpcEndpoint.redact("https://rpc.example?key=abc"))
                .isEqualTo("https://rpc.example/…");
        assertThat(RpcEndpoint.redact("http://rpc.example:1234"))
                .isEqualTo("http://rpc.example:1234");
        assertThat(RpcEndpoint.redact("http://rpc.example:1234/"))
                .isEqualTo("http://rpc.example:1234");
    }
}
