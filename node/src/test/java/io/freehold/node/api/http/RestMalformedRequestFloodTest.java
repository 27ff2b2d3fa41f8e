package io.freehold.node.api.http;

import static io.freehold.node.api.http.RestClient.q;
import static io.freehold.node.api.http.RestClient.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.RunningNode;
import io.freehold.proto.v1.ErrorReason;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.NodeStatus;
import io.micronaut.json.JsonMapper;
import java.math.BigInteger;
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
import org.web3j.crypto.Keys;

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
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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

    private record Bad(String value, boolean unknownNotMalformed) {}

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
                    address.unknownNotMalformed ? new Bad(address.value + "0", false) : address;
            Bad marketId = badMarket(random);
            Bad amount = badAmount(random);
            String token = badPageToken(random);
            int route = random.nextInt(13);
            String input;
            String path;
            switch (route) {
                case 0 -> {
                    input = marketId.value;
                    path = "/v1/markets/" + seg(nonEmpty(marketId.value));
                }
                case 1 -> {
                    input = address.value;
                    path = "/v1/markets/" + market + "/positions/" + seg(nonEmpty(address.value));
                }
                case 2 -> {
                    input = marketId.value;
                    path =
                            "/v1/markets/"
                                    + seg(nonEmpty(marketId.value))
                                    + "/positions/"
                                    + borrower;
                }
                case 3 -> {
                    input = malformedAddress.value;
                    path = "/v1/positions?owner=" + q(nonEmpty(malformedAddress.value));
                }
                case 4 -> {
                    input = amount.value;
                    path = "/v1/positions?health_factor_below=" + q(nonEmpty(amount.value));
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
                    input = amount.value;
                    path =
                            position
                                    + "/simulate?"
                                    + changes.get(random.nextInt(5))
                                    + "="
                                    + q(nonEmpty(amount.value));
                }
                case 8 -> {
                    input = malformedAddress.value;
                    path = "/v1/liquidations?borrower=" + q(nonEmpty(malformedAddress.value));
                }
                case 9 -> {
                    input = token;
                    path = "/v1/liquidations?page_token=" + q(token);
                }
                case 10 -> {
                    input = marketId.value;
                    path = "/v1/attempts?market_id=" + q(nonEmpty(marketId.value));
                }
                case 11 -> {
                    input = amount.value;
                    path = "/v1/positions?page_size=" + q(nonEmpty(amount.value));
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

    private static Bad badAddress(Random r) {
        String valid = Keys.toChecksumAddress(String.format("%040x", new BigInteger(160, r)));
        return switch (r.nextInt(9)) {
            case 0 -> new Bad("", false);
            case 1 -> new Bad(valid.substring(0, 2 + r.nextInt(40)), false);
            case 2 -> new Bad(valid + "0", false);
            case 3 -> new Bad(valid.substring(2) + "00", false);
            case 4 -> new Bad(valid.substring(0, 10) + "g" + valid.substring(11), false);
            case 5 -> new Bad(flipCase(valid, r), false);
            case 6 -> new Bad(" " + valid, false);
            case 7 -> new Bad("0x" + "ü".repeat(40), false);
            default -> new Bad(valid.toLowerCase(), true);
        };
    }

    private static Bad badMarket(Random r) {
        String valid = "0x" + String.format("%064x", new BigInteger(256, r));
        return switch (r.nextInt(6)) {
            case 0 -> new Bad("", false);
            case 1 -> new Bad(valid.substring(0, 2 + r.nextInt(64)), false);
            case 2 -> new Bad(valid + "ab", false);
            case 3 -> new Bad(valid.substring(0, 20) + "zz" + valid.substring(22), false);
            case 4 -> new Bad(valid.substring(2) + "00", false);
            default -> new Bad(valid, true);
        };
    }

    private static Bad badAmount(Random r) {
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        return switch (r.nextInt(9)) {
            case 0 -> new Bad("", false);
            case 1 -> new Bad("-" + (1 + r.nextInt(1_000_000)), false);
            case 2 -> new Bad(max.add(BigInteger.valueOf(1 + r.nextInt(1_000))).toString(), false);
            case 3 -> new Bad("9".repeat(79 + r.nextInt(500)), false);
            case 4 -> new Bad(r.nextInt(100) + "." + r.nextInt(100), false);
            case 5 -> new Bad("1e" + r.nextInt(30), false);
            case 6 -> new Bad("0x" + Integer.toHexString(r.nextInt()), false);
            case 7 -> new Bad("+" + r.nextInt(1000), false);
            default -> new Bad(" " + r.nextInt(1000), false);
        };
    }

    private static String badPageToken(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "bogus";
            case 1 -> "-1:-1";
            case 2 -> Long.toString(r.nextLong()) + "x";
            case 3 -> "9".repeat(40) + ":1";
            default -> ":" + r.nextInt(100);
        };
    }

    private static String flipCase(String checksummed, Random r) {
        char[] c = checksummed.toCharArray();
        for (int tries = 0; tries < 100; tries++) {
            int i = 2 + r.nextInt(40);
            if (Character.isLetter(c[i])) {
                c[i] =
                        Character.isUpperCase(c[i])
                                ? Character.toLowerCase(c[i])
                                : Character.toUpperCase(c[i]);
                String flipped = new String(c);
                if (!flipped.substring(2).equals(flipped.substring(2).toLowerCase())
                        && !flipped.substring(2).equals(flipped.substring(2).toUpperCase())) {
                    return flipped;
                }
            }
        }
        return "0x" + "Ab".repeat(20);
    }

    private static String nonEmpty(String value) {
        return value.isEmpty() ? "-" : value;
    }
}
