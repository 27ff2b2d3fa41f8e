package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.types.MarketId;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FreeholdClientErrorsTest {

    private FakeNode node;

    @BeforeEach
    void start() throws Exception {
        node = new FakeNode();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    // Every ErrorReason of common.proto, with the code the node sends it with.
    @ParameterizedTest
    @CsvSource({
        "INVALID_ARGUMENT,   INVALID_ADDRESS,   InvalidArgumentException",
        "INVALID_ARGUMENT,   INVALID_MARKET_ID, InvalidArgumentException",
        "INVALID_ARGUMENT,   INVALID_AMOUNT,    InvalidArgumentException",
        "INVALID_ARGUMENT,   INVALID_RATIO,     InvalidArgumentException",
        "INVALID_ARGUMENT,   INVALID_PAGE,      InvalidArgumentException",
        "INVALID_ARGUMENT,   INVALID_CURSOR,    InvalidArgumentException",
        "NOT_FOUND,          UNKNOWN_MARKET,    NotFoundException",
        "NOT_FOUND,          UNKNOWN_POSITION,  NotFoundException",
        "INVALID_ARGUMENT,   MISSING_FIELD,     InvalidArgumentException",
        "UNAUTHENTICATED,    UNAUTHENTICATED,   UnauthenticatedException",
        "PERMISSION_DENIED,  PERMISSION_DENIED, PermissionDeniedException",
        "RESOURCE_EXHAUSTED, RATE_LIMITED,      RateLimitedException",
        "RESOURCE_EXHAUSTED, TOO_MANY_STREAMS,  ResourceExhaustedException",
        "RESOURCE_EXHAUSTED, SLOW_CONSUMER,     ResourceExhaustedException",
        "UNAVAILABLE,        NODE_NOT_READY,    UnavailableException",
    })
    void everyReason_mapsToItsExceptionWithReasonAndField(
            Status.Code code, String reason, String type) throws Exception {
        Class<?> expected = Class.forName("io.freehold.sdk." + type);
        node.getStatus =
                r -> {
                    throw FakeNode.error(code, reason, "some_field", "refused");
                };

        try (FreeholdClient client = node.client()) {
            assertThatThrownBy(client::status)
                    .isExactlyInstanceOf(expected)
                    .hasMessageContaining(reason)
                    .hasMessageContaining("refused")
                    .satisfies(
                            t -> {
                                FreeholdException e = (FreeholdException) t;
                                assertThat(e.reason()).isEqualTo(ErrorReason.valueOf(reason));
                                assertThat(e.reasonName()).isEqualTo(reason);
                                assertThat(e.field()).isEqualTo(Optional.of("some_field"));
                                assertThat(e.metadata()).containsEntry("field", "some_field");
                            });
            assertThatThrownBy(() -> client.statusAsync().join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isExactlyInstanceOf(expected);
        }
    }

    @Test
    void noErrorInfo_stillMapsByCode() {
        node.getStatus =
                r -> {
                    throw Status.PERMISSION_DENIED
                            .withDescription("by a proxy")
                            .asRuntimeException();
                };

        try (FreeholdClient client = node.client()) {
            assertThatThrownBy(client::status)
                    .isExactlyInstanceOf(PermissionDeniedException.class)
                    .satisfies(
                            t -> {
                                FreeholdException e = (FreeholdException) t;
                                assertThat(e.reason()).isEqualTo(ErrorReason.UNKNOWN);
                                assertThat(e.reasonName()).isEmpty();
                                assertThat(e.field()).isEmpty();
                            });
        }
    }

    @Test
    void unknownReasonOrForeignDomain() {
        node.getStatus =
                r -> {
                    throw FakeNode.error(
                            Status.Code.INVALID_ARGUMENT, "BRAND_NEW_REASON", null, "x");
                };
        try (FreeholdClient client = node.client()) {
            assertThatThrownBy(client::status)
                    .isExactlyInstanceOf(InvalidArgumentException.class)
                    .satisfies(
                            t -> {
                                assertThat(((FreeholdException) t).reason())
                                        .isEqualTo(ErrorReason.UNKNOWN);
                                assertThat(((FreeholdException) t).reasonName())
                                        .isEqualTo("BRAND_NEW_REASON");
                            });
        }
    }

    @Test
    void otherCodes_areTheRootException() {
        node.getStatus =
                r -> {
                    throw Status.INTERNAL.withDescription("boom").asRuntimeException();
                };
        try (FreeholdClient client = node.client()) {
            assertThatThrownBy(client::status)
                    .isExactlyInstanceOf(FreeholdException.class)
                    .hasMessageContaining("INTERNAL")
                    .hasMessageContaining("boom");
        }
    }

    @Test
    void unavailable_isRetriedUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        node.getStatus =
                r -> {
                    if (calls.incrementAndGet() < 3) {
                        throw FakeNode.error(
                                Status.Code.UNAVAILABLE, "NODE_NOT_READY", null, "catching up");
                    }
                    return FreeholdClientTest.protoStatus();
                };

        try (FreeholdClient client = node.client(FakeNode.quickRetries().retryAttempts(3))) {
            assertThat(client.status().chainId()).isEqualTo(31337);
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void unavailable_givesUpAfterTheConfiguredAttempts() {
        AtomicInteger calls = new AtomicInteger();
        node.getStatus =
                r -> {
                    calls.incrementAndGet();
                    throw Status.UNAVAILABLE.asRuntimeException();
                };

        try (FreeholdClient client = node.client(FakeNode.quickRetries().retryAttempts(4))) {
            assertThatThrownBy(client::status).isInstanceOf(UnavailableException.class);
        }
        assertThat(calls).hasValue(4);
    }

    @Test
    void unavailable_isRetriedForAsyncCallsToo() {
        AtomicInteger calls = new AtomicInteger();
        node.getMarket =
                r -> {
                    if (calls.incrementAndGet() < 2) {
                        throw Status.UNAVAILABLE.asRuntimeException();
                    }
                    return FreeholdClientTest.protoMarket();
                };

        try (FreeholdClient client = node.client(FakeNode.quickRetries().retryAttempts(2))) {
            FreeholdClientTest.assertMarket(
                    client.marketAsync(MarketId.fromHex(FreeholdClientTest.MARKET)).join());
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void oneAttempt_meansNoRetry() {
        AtomicInteger calls = new AtomicInteger();
        node.getStatus =
                r -> {
                    calls.incrementAndGet();
                    throw Status.UNAVAILABLE.asRuntimeException();
                };

        try (FreeholdClient client = node.client(FakeNode.quickRetries().retryAttempts(1))) {
            assertThatThrownBy(client::status).isInstanceOf(UnavailableException.class);
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void invalidArgument_isNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        node.getStatus =
                r -> {
                    calls.incrementAndGet();
                    throw FakeNode.error(
                            Status.Code.INVALID_ARGUMENT, "INVALID_ADDRESS", "account", "bad");
                };

        try (FreeholdClient client = node.client(FakeNode.quickRetries().retryAttempts(5))) {
            assertThatThrownBy(client::status).isInstanceOf(InvalidArgumentException.class);
        }
        assertThat(calls).hasValue(1);
        assertThat(node.requestsOf(GetStatusRequest.class)).hasSize(1);
    }
}
