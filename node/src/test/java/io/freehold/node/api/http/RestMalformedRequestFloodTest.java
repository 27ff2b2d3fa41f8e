package io.freehold.node.api.http;

import static io.freehold.node.api.MalformedInputs.badAddress;
import static io.freehold.node.api.MalformedInputs.badAmount;
import static io.freehold.node.api.MalformedInputs.badMarket;
import static io.freehold.node.api.MalformedInputs.badPageToken;
import static io.freehold.node.api.MalformedInputs.nonEmpty;
import static io.freehold.node.api.http.RestClient.q;
import static io.freehold.node.api.http.RestClient.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.RunningNode;
import io.freehold.node.api.MalformedInputs.Bad;
import io.freehold.proto.v1.ErrorReason;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.NodeStatus;
import io.micronaut.json.JsonMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST twin of the gRPC MalformedRequestFloodTest: a seeded flood of malformed and unknown
 * values in every path segment and query parameter of every route (bad hex, bad checksums, wrong
 * lengths, negative, fractional and oversized amounts, bogus page tokens and sizes, parameters no
 * route takes). Every one is answered 400 or 404 with the API's JSON error, a documented reason and
 * the field at fault, the refused input is not echoed in the message, no 500 ever; afterwards
 * nothing has changed.
 */
class RestMalformedRequestFloodTest {

    private static final long SEED = 20261207L;
    private static final int REQUESTS = 600;
    private static final String TOKEN = "rest-flood-secret-0123456789";
    private static final Set<String> REASONS =
            Arrays.stream(ErrorReason.values()).map(Enum::name).collect(Collectors.toSet());

    @TempDir static Path dir;

    private static RunningNode node;
    private static RestClient rest;
    private static String market;
    private static String borrower;

    @BeforeAll
    static void start() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.api.tokens.flood",
                                "admin:" + TOKEN,
                                "freehold.node.api.requests-per-second",
                                1_000_000));
        rest = new RestClient(node.server.getPort(), TOKEN);
        market = node.deployment.market("FH-DET-0412").id();
        borrower = node.deployment.accounts().borrower();
        long head = node.head();
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (status().getAppliedBlock() < head && System.nanoTime() < giveUp) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyMalformedRequestIsRefusedWithItsReasonAndChangesNothing() throws Exception {
        NodeStatus before = status();
        ListPositionsResponse positionsBefore =
                rest.read("/v1/positions?page_size=1000", ListPositionsResponse.newBuilder());

        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        String position = "/v1/markets/" + market + "/positions/" + borrower;
        List<String> changes =
                List.of("price", "borrow", "repay", "deposit_collateral", "withdraw_collateral");
        for (int i = 0; i < REQUESTS; i++) {
            Bad address = badAddress(random);
            Bad malformedAddress =
                    address.unknownNotMalformed() ? new Bad(address.value() + "0", false) : address;
            Bad marketId = badMarket(random);
            Bad amount = badAmount(random);
            String token = badPageToken(random);
            int route = random.nextInt(13);
            String input;
            String path;
            switch (route) {
                case 0 -> {
                    input = marketId.value();
                    path = "/v1/markets/" + seg(nonEmpty(marketId.value()));
                }
                case 1 -> {
                    input = address.value();
                    path = "/v1/markets/" + market + "/positions/" + seg(nonEmpty(address.value()));
                }
                case 2 -> {
                    input = marketId.value();
                    path =
                            "/v1/markets/"
                                    + seg(nonEmpty(marketId.value()))
                                    + "/positions/"
                                    + borrower;
                }
                case 3 -> {
                    input = malformedAddress.value();
                    path = "/v1/positions?owner=" + q(nonEmpty(malformedAddress.value()));
                }
                case 4 -> {
                    input = amount.value();
                    path = "/v1/positions?health_factor_below=" + q(nonEmpty(amount.value()));
                }
                case 5 -> {
                    input = token;
                    path = "/v1/positions?page_token=" + q(token);
                }
                case 6 -> {
                    input = token;
                    path = "/v1/markets?page_token=" + q(token);
                }
                case 7 -> {
                    input = amount.value();
                    path =
                            position
                                    + "/simulate?"
                                    + changes.get(random.nextInt(5))
                                    + "="
                                    + q(nonEmpty(amount.value()));
                }
                case 8 -> {
                    input = malformedAddress.value();
                    path = "/v1/liquidations?borrower=" + q(nonEmpty(malformedAddress.value()));
                }
                case 9 -> {
                    input = token;
                    path = "/v1/liquidations?page_token=" + q(token);
                }
                case 10 -> {
                    input = marketId.value();
                    path = "/v1/attempts?market_id=" + q(nonEmpty(marketId.value()));
                }
                case 11 -> {
                    input = amount.value();
                    path = "/v1/positions?page_size=" + q(nonEmpty(amount.value()));
                }
                default -> {
                    input = "x" + Long.toHexString(random.nextLong());
                    path = "/v1/positions?" + input + "=1";
                }
            }
            String problem = refusedProperly(rest.get(path), input);
            if (problem != null) {
                failures.add("request " + i + " (" + path + "): " + problem);
            }
        }
        assertThat(failures).as("seed " + SEED).isEmpty();

        assertThat(status().getAppliedBlock()).isEqualTo(before.getAppliedBlock());
        assertThat(
                        rest.<ListPositionsResponse>read(
                                        "/v1/positions?page_size=1000",
                                        ListPositionsResponse.newBuilder())
                                .getPositionsList())
                .isEqualTo(positionsBefore.getPositionsList());
        assertThat(
                        rest.<ListAttemptsResponse>read(
                                        "/v1/attempts", ListAttemptsResponse.newBuilder())
                                .getAttemptsList())
                .isEmpty();
        assertThat(rest.get(position).statusCode()).isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    private static String refusedProperly(HttpResponse<String> response, String input) {
        int status = response.statusCode();
        if (status != 400 && status != 404) {
            return "HTTP " + status + ": " + response.body();
        }
        Map<String, Object> body;
        try {
            body =
                    node.server
                            .getApplicationContext()
                            .getBean(JsonMapper.class)
                            .readValue(response.body(), Map.class);
        } catch (Exception e) {
            return "not JSON: " + response.body();
        }
        Object reason = body.get("reason");
        if (!REASONS.contains(String.valueOf(reason))) {
            return "reason " + reason;
        }
        if (!(body.get("metadata") instanceof Map<?, ?> metadata)
                || !metadata.containsKey("field")) {
            return "no field in the metadata: " + response.body();
        }
        String message = String.valueOf(body.get("message"));
        if (input.length() >= 8 && message.contains(input)) {
            return "the input is in the message: " + message;
        }
        return null;
    }

    private static NodeStatus status() {
        return rest.read("/v1/status", NodeStatus.newBuilder());
    }
}
