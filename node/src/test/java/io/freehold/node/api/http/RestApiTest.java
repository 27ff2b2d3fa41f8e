package io.freehold.node.api.http;

import static io.freehold.node.api.http.RestClient.q;
import static io.freehold.node.api.http.RestClient.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.RunningNode;
import io.freehold.node.ingest.ProtocolActivity;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.ListLiquidationsResponse;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micronaut.json.JsonMapper;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST surface of a real node on anvil, after seeded protocol activity (supplies, borrows,
 * price crashes, third-party liquidations, freezes, pauses, rent): every read answers over REST
 * exactly the message gRPC answers for the same request at the same block, every page of every list
 * included; the JSON is protobuf's mapping; refusals carry the same reasons with their HTTP status.
 */
class RestApiTest {

    static final long SEED = 20261207L;
    static final String TOKEN = "rest-reader-secret-0123456789";

    @TempDir static Path dir;

    static final JsonMapper JSON = JsonMapper.createDefault();

    static RunningNode node;
    static ManagedChannel channel;
    static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.api.tokens.reader",
                                "read:" + TOKEN,
                                "freehold.node.api.requests-per-second",
                                1_000_000,
                                "freehold.node.confirmations",
                                4));
        Metadata auth = new Metadata();
        auth.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + TOKEN);
        channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                        .usePlaintext()
                        .intercept(MetadataUtils.newAttachHeadersInterceptor(auth))
                        .build();
        rest = new RestClient(node.server.getPort(), TOKEN);
        new ProtocolActivity(node.anvil, node.deployment, SEED).run(120);
        awaitApplied(node.head());
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyReadIsTheSameOverRestAndGrpcAtTheSameBlock() {
        NodeStatus status = grpcStatus();
        assertThat(rest.<NodeStatus>read("/v1/status", NodeStatus.newBuilder())).isEqualTo(status);

        // Markets, a page of one at a time, then each.
        List<Market> markets = new ArrayList<>();
        String token = "";
        do {
            ListMarketsRequest request =
                    ListMarketsRequest.newBuilder().setPageSize(1).setPageToken(token).build();
            ListMarketsResponse grpc = markets().listMarkets(request);
            assertThat(
                            rest.<ListMarketsResponse>read(
                                    "/v1/markets?page_size=1" + page(token),
                                    ListMarketsResponse.newBuilder()))
                    .isEqualTo(grpc);
            markets.addAll(grpc.getMarketsList());
            token = grpc.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(markets).hasSize(node.deployment.markets().size());
        assertThat(
                        rest.<ListMarketsResponse>read(
                                        "/v1/markets", ListMarketsResponse.newBuilder())
                                .getMarketsList())
                .isEqualTo(markets);
        for (Market m : markets) {
            assertThat(rest.<Market>read("/v1/markets/" + m.getMarketId(), Market.newBuilder()))
                    .isEqualTo(
                            markets()
                                    .getMarket(
                                            GetMarketRequest.newBuilder()
                                                    .setMarketId(m.getMarketId())
                                                    .build()));
        }

        // Positions: every filter, pages of 5, then each position and a simulation of each change
        // on it.
        List<Position> all = positionPages(PositionFilter.getDefaultInstance(), "");
        assertThat(all).hasSizeGreaterThan(5);
        Set<String> owners = new LinkedHashSet<>();
        all.forEach(p -> owners.add(p.getAccount()));
        for (Market m : markets) {
            positionPages(
                    PositionFilter.newBuilder().setMarketId(m.getMarketId()).build(),
                    "&market_id=" + m.getMarketId());
        }
        positionPages(
                PositionFilter.newBuilder().setHealthFactorBelow("1100000000000000000").build(),
                "&health_factor_below=1100000000000000000");
        for (String owner : owners) {
            positionPages(PositionFilter.newBuilder().setOwner(owner).build(), "&owner=" + owner);
        }
        for (Position p : all) {
            String path = "/v1/markets/" + p.getMarketId() + "/positions/" + p.getAccount();
            assertThat(rest.<Position>read(path, Position.newBuilder()))
                    .isEqualTo(
                            positions()
                                    .getPosition(
                                            GetPositionRequest.newBuilder()
                                                    .setMarketId(p.getMarketId())
                                                    .setAccount(p.getAccount())
                                                    .build()));
            SimulateRequest base =
                    SimulateRequest.newBuilder()
                            .setMarketId(p.getMarketId())
                            .setAccount(p.getAccount())
                            .build();
            String price =
                    new BigInteger(
                                    markets.stream()
                                            .filter(m -> m.getMarketId().equals(p.getMarketId()))
                                            .findFirst()
                                            .orElseThrow()
                                            .getAppraisal()
                                            .getPrice())
                            .divide(BigInteger.TWO)
                            .toString();
            Map<String, SimulateRequest> changes =
                    Map.of(
                            "price=" + price,
                            base.toBuilder().setPrice(price).build(),
                            "borrow=1000000",
                            base.toBuilder().setBorrow("1000000").build(),
                            "repay=1",
                            base.toBuilder().setRepay("1").build(),
                            "deposit_collateral=1000",
                            base.toBuilder().setDepositCollateral("1000").build(),
                            "withdraw_collateral=1",
                            base.toBuilder().setWithdrawCollateral("1").build());
            changes.forEach(
                    (query, request) ->
                            assertThat(
                                            rest.<SimulateResponse>read(
                                                    path + "/simulate?" + query,
                                                    SimulateResponse.newBuilder()))
                                    .isEqualTo(simulation().simulate(request)));
        }

        // Liquidations (the seeded activity's, by a third party) and the node's attempts, every
        // page.
        List<io.freehold.proto.v1.Liquidation> liquidations = liquidationPages("", "");
        assertThat(liquidations).as("seed %d liquidates something", SEED).isNotEmpty();
        for (Market m : markets) {
            liquidationPages(m.getMarketId(), "");
        }
        liquidations.stream()
                .map(l -> l.getBorrower())
                .distinct()
                .forEach(b -> liquidationPages("", b));
        ListAttemptsResponse attempts =
                liquidations().listAttempts(ListAttemptsRequest.getDefaultInstance());
        assertThat(
                        rest.<ListAttemptsResponse>read(
                                "/v1/attempts", ListAttemptsResponse.newBuilder()))
                .isEqualTo(attempts);
        assertThat(
                        rest.<ListAttemptsResponse>read(
                                "/v1/attempts?page_size=2&market_id="
                                        + markets.get(0).getMarketId(),
                                ListAttemptsResponse.newBuilder()))
                .isEqualTo(
                        liquidations()
                                .listAttempts(
                                        ListAttemptsRequest.newBuilder()
                                                .setPageSize(2)
                                                .setMarketId(markets.get(0).getMarketId())
                                                .build()));

        // All of it at one block: nothing moved while the two surfaces were compared.
        assertThat(grpcStatus()).isEqualTo(status);
    }

    @Test
    void theJsonIsProtobufsMappingWithEveryField() throws Exception {
        String det = node.deployment.market("FH-DET-0412").id();
        HttpResponse<String> response = rest.get("/v1/markets/" + det);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        Map<String, Object> market = json(response.body());
        assertThat(market)
                .containsEntry("marketId", det)
                .containsKeys(
                        "totalSupplyAssets",
                        "borrowApr",
                        "positionsLiquidatable",
                        "flags",
                        "paused");
        assertThat(market.get("totalSupplyAssets"))
                .isInstanceOf(String.class); // amounts: decimal strings
        assertThat(market.get("positionsHealthy"))
                .isInstanceOf(String.class); // uint64: a string in proto JSON
        assertThat(market.get("paused")).isEqualTo(false); // defaults are printed too
        Map<String, Object> status = json(rest.get("/v1/status").body());
        assertThat(status.get("appliedBlock"))
                .isEqualTo(Long.toString(grpcStatus().getAppliedBlock()));
    }

    @Test
    void refusalsCarryTheGrpcReasonAndTheHttpStatus() throws Exception {
        String det = node.deployment.market("FH-DET-0412").id();
        String nobody = "0x" + "ab".repeat(20);
        String noMarket = "0x" + "00".repeat(32);
        String position =
                "/v1/markets/" + det + "/positions/" + node.deployment.accounts().borrower();
        Object[][] cases = {
            {"/v1/markets/0x12", 400, "INVALID_MARKET_ID", "market_id"},
            {"/v1/markets/" + noMarket, 404, "UNKNOWN_MARKET", "market_id"},
            {"/v1/markets?page_token=nonsense", 400, "INVALID_PAGE", "page_token"},
            {"/v1/markets?page_size=0", 400, "INVALID_PAGE", "page_size"},
            {"/v1/markets/" + det + "/positions/0xZZ", 400, "INVALID_ADDRESS", "account"},
            {"/v1/markets/" + det + "/positions/" + nobody, 404, "UNKNOWN_POSITION", "account"},
            {
                "/v1/positions?health_factor_below=-1",
                400,
                "INVALID_RATIO",
                "filter.health_factor_below"
            },
            {"/v1/positions?owner=0x1", 400, "INVALID_ADDRESS", "filter.owner"},
            {"/v1/positions?market_id=" + noMarket, 404, "UNKNOWN_MARKET", "market_id"},
            {"/v1/positions?page_size=abc", 400, "INVALID_PAGE", "page_size"},
            {"/v1/positions?page_size=1001", 400, "INVALID_PAGE", "page_size"},
            {"/v1/positions?page_token=bogus", 400, "INVALID_PAGE", "page_token"},
            {"/v1/positions?helth_factor_below=1", 400, "UNKNOWN_PARAMETER", "helth_factor_below"},
            {
                "/v1/positions?owner=" + nobody + "&owner=" + nobody,
                400,
                "CONFLICTING_PARAMETERS",
                "owner"
            },
            {"/v1/liquidations?borrower=0x1", 400, "INVALID_ADDRESS", "borrower"},
            {"/v1/liquidations?page_token=-1:-1", 400, "INVALID_PAGE", "page_token"},
            {"/v1/attempts?market_id=zz", 400, "INVALID_MARKET_ID", "market_id"},
            {"/v1/attempts?page_token=x", 400, "INVALID_PAGE", "page_token"},
            {position + "/simulate", 400, "MISSING_FIELD", "change"},
            {position + "/simulate?borrow=1.5", 400, "INVALID_AMOUNT", "borrow"},
            {position + "/simulate?borrow=1&repay=1", 400, "CONFLICTING_PARAMETERS", "change"},
            {"/v1/status?verbose=1", 400, "UNKNOWN_PARAMETER", "verbose"},
            {"/v1/no-such-route", 404, "UNKNOWN_ROUTE", "path"},
        };
        for (Object[] c : cases) {
            assertRefused(rest.get((String) c[0]), (int) c[1], (String) c[2], (String) c[3]);
        }
        assertRefused(rest.withToken(null).get("/v1/status"), 401, "UNAUTHENTICATED", null);
        assertRefused(
                rest.withToken("not-a-token").get("/v1/markets"), 401, "UNAUTHENTICATED", null);
    }

    @Test
    void latencyHistogramsPerMethodAndRouteAndRefusalsByReasonAreOnPrometheus() throws Exception {
        markets().listMarkets(ListMarketsRequest.getDefaultInstance());
        rest.get("/v1/markets");
        rest.withToken(null).get("/v1/markets");
        ManagedChannel anonymous =
                ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                        .usePlaintext()
                        .build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    MarketServiceGrpc.newBlockingStub(anonymous)
                                            .listMarkets(ListMarketsRequest.getDefaultInstance()))
                    .hasMessageContaining("UNAUTHENTICATED");
        } finally {
            anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        var watch =
                PositionServiceGrpc.newBlockingStub(channel)
                        .watchPositions(
                                io.freehold.proto.v1.WatchPositionsRequest.getDefaultInstance());
        watch.hasNext();
        // The node counts a stream once it has sent its snapshot, and an HTTP request once its
        // answer is out: both may trail what this client has already read, so wait for them.
        java.util.regex.Pattern subscribed =
                java.util.regex.Pattern.compile(
                        "(?m)^freehold_api_stream_subscribers(\\{[^}]*\\})? 1\\.0$");
        java.util.regex.Pattern markets =
                java.util.regex.Pattern.compile(
                        "http_server_requests_seconds_bucket\\{[^}]*uri=\"/v1/markets\"");
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String metrics = rest.withToken(null).get("/prometheus").body();
        String httpRefusal =
                "freehold_api_refusals_total{reason=\"UNAUTHENTICATED\",surface=\"http\"}";
        while (!(subscribed.matcher(metrics).find()
                        && markets.matcher(metrics).find()
                        && metrics.contains(httpRefusal))
                && System.nanoTime() < giveUp) {
            Thread.sleep(100);
            metrics = rest.withToken(null).get("/prometheus").body();
        }
        assertThat(metrics)
                .contains(
                        "freehold_api_grpc_calls_seconds_bucket{code=\"OK\",method=\"freehold.v1.MarketService/ListMarkets\"")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/v1/markets\"")
                .contains(
                        "freehold_api_refusals_total{reason=\"UNAUTHENTICATED\",surface=\"grpc\"}")
                .contains(
                        "freehold_api_refusals_total{reason=\"UNAUTHENTICATED\",surface=\"http\"}")
                .containsPattern(
                        "freehold_rpc_calls_seconds_bucket\\{endpoint=\"rpc1/[^\"]+\",method=\"eth_blockNumber\",outcome=\"ok\",le=")
                .containsPattern("(?m)^freehold_api_stream_subscribers(\\{[^}]*\\})? 1\\.0$")
                .contains("freehold_api_stream_queued");
    }

    /**
     * Resilience4j's own meters for the chain layer, per endpoint (label {@code name}, the
     * endpoint's name as in {@code freehold_rpc_calls_seconds}): the breaker's state and calls, the
     * retry's calls, the rate limiter's free permits; and they count the node's reads as it follows
     * the chain.
     */
    @Test
    void resilience4jMetersPerEndpointAreOnPrometheusAndCountTheNodesReads() throws Exception {
        java.net.URI rpc = java.net.URI.create(node.anvil.rpcUrl());
        String endpoint = "name=\"rpc1/" + rpc.getHost() + ":" + rpc.getPort() + "\"";
        String breakerCalls =
                "resilience4j_circuitbreaker_calls_seconds_count{kind=\"successful\","
                        + endpoint
                        + "}";
        String metrics = rest.withToken(null).get("/prometheus").body();
        assertThat(metrics)
                .contains(
                        "resilience4j_circuitbreaker_state{" + endpoint + ",state=\"closed\"} 1.0",
                        "resilience4j_circuitbreaker_state{" + endpoint + ",state=\"open\"} 0.0",
                        "resilience4j_circuitbreaker_failure_rate{" + endpoint + "}",
                        "resilience4j_circuitbreaker_not_permitted_calls_total{kind=\"not_permitted\","
                                + endpoint
                                + "}",
                        "resilience4j_retry_calls_total{kind=\"successful_without_retry\","
                                + endpoint
                                + "}",
                        "resilience4j_ratelimiter_available_permissions{" + endpoint + "}",
                        "resilience4j_ratelimiter_waiting_threads{" + endpoint + "}");
        double before = sample(metrics, breakerCalls);
        assertThat(before).isPositive();

        // The node keeps reading the head: the breaker counts each call.
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (sample(rest.withToken(null).get("/prometheus").body(), breakerCalls) <= before) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError(breakerCalls + " stayed at " + before);
            }
            Thread.sleep(100);
        }
    }

    /** The value of one series in Prometheus text. */
    static double sample(String metrics, String series) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile(
                                "(?m)^" + java.util.regex.Pattern.quote(series) + " (\\S+)$")
                        .matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no " + series + " in /prometheus");
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * The OpenAPI document the node serves, against the node: every documented operation answers
     * 200 with a body its schema accepts (every property documented, every required one present),
     * and its documented malformed request gets the documented status and reason in the documented
     * error shape.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationAnswersAsTheOpenApiDocumentSays() throws Exception {
        HttpResponse<String> served = rest.withToken(null).get("/v1/openapi.yaml");
        assertThat(served.statusCode()).isEqualTo(200);
        Map<String, Object> document = new org.yaml.snakeyaml.Yaml().load(served.body());
        SchemaCheck schemas = new SchemaCheck(document);
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        assertThat(paths.keySet())
                .containsExactlyInAnyOrder(
                        "/v1/status",
                        "/v1/markets",
                        "/v1/markets/{marketId}",
                        "/v1/positions",
                        "/v1/markets/{marketId}/positions/{account}",
                        "/v1/markets/{marketId}/positions/{account}/simulate",
                        "/v1/liquidations",
                        "/v1/attempts",
                        "/v1/watch/positions",
                        "/v1/watch/opportunities");
        Map<String, String> real =
                Map.of(
                        "marketId",
                        node.deployment.market("FH-DET-0412").id(),
                        "account",
                        node.deployment.accounts().borrower());
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            Map<String, Object> operation =
                    (Map<String, Object>) ((Map<String, Object>) path.getValue()).get("get");
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            Map<String, Object> example =
                    (Map<String, Object>) operation.getOrDefault("x-freehold-example", Map.of());
            if (Boolean.TRUE.equals(operation.get("x-freehold-stream"))) {
                // An event stream: it answers 200 text/event-stream and its first event is the
                // snapshot's.
                assertThat(
                                (Map<String, Object>)
                                        ((Map<String, Object>) responses.get("200")).get("content"))
                        .containsKey("text/event-stream");
                HttpResponse<java.util.stream.Stream<String>> stream =
                        java.net.http.HttpClient.newHttpClient()
                                .send(
                                        java.net.http.HttpRequest.newBuilder(
                                                        java.net.URI.create(
                                                                "http://127.0.0.1:"
                                                                        + node.server.getPort()
                                                                        + path.getKey()))
                                                .header("Authorization", "Bearer " + TOKEN)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofLines());
                try (java.util.stream.Stream<String> lines = stream.body()) {
                    assertThat(stream.statusCode()).as(path.getKey()).isEqualTo(200);
                    assertThat(stream.headers().firstValue("content-type"))
                            .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
                    assertThat(lines.filter(l -> l.startsWith("event:")).findFirst())
                            .hasValueSatisfying(
                                    l ->
                                            assertThat(l.substring(6).strip())
                                                    .isIn("snapshot", "snapshotEnd"));
                }
            } else {
                HttpResponse<String> ok =
                        rest.get(
                                url(
                                        path.getKey(),
                                        real,
                                        (Map<String, Object>) example.get("path"),
                                        (Map<String, Object>) example.get("query")));
                assertThat(ok.statusCode()).as(path.getKey() + ": " + ok.body()).isEqualTo(200);
                Map<String, Object> okSchema =
                        (Map<String, Object>)
                                ((Map<String, Object>)
                                                ((Map<String, Object>)
                                                                ((Map<String, Object>)
                                                                                responses.get(
                                                                                        "200"))
                                                                        .get("content"))
                                                        .get("application/json"))
                                        .get("schema");
                assertThat(schemas.check(json(ok.body()), okSchema)).as(path.getKey()).isEmpty();
            }

            Map<String, Object> malformed =
                    (Map<String, Object>) operation.get("x-freehold-malformed");
            assertThat(malformed).as(path.getKey() + " documents a malformed request").isNotNull();
            HttpResponse<String> refused =
                    rest.get(
                            url(
                                    path.getKey(),
                                    real,
                                    (Map<String, Object>) malformed.get("path"),
                                    (Map<String, Object>) malformed.get("query")));
            String status = String.valueOf(malformed.get("status"));
            assertThat(responses).as(path.getKey() + " documents " + status).containsKey(status);
            assertThat(refused.statusCode())
                    .as(path.getKey() + ": " + refused.body())
                    .isEqualTo(Integer.parseInt(status));
            Map<String, Object> body = json(refused.body());
            assertThat(schemas.check(body, Map.of("$ref", "#/components/schemas/Error")))
                    .as(path.getKey())
                    .isEmpty();
            assertThat(body.get("reason")).isEqualTo(malformed.get("reason"));
        }
    }

    private static String url(
            String template,
            Map<String, String> real,
            Map<String, Object> pathOverrides,
            Map<String, Object> query) {
        String url = template;
        for (Map.Entry<String, String> e : real.entrySet()) {
            Object override = pathOverrides == null ? null : pathOverrides.get(e.getKey());
            url =
                    url.replace(
                            "{" + e.getKey() + "}",
                            seg(override == null ? e.getValue() : override.toString()));
        }
        if (query != null && !query.isEmpty()) {
            url +=
                    "?"
                            + String.join(
                                    "&",
                                    query.entrySet().stream()
                                            .map(
                                                    e ->
                                                            e.getKey()
                                                                    + "="
                                                                    + q(
                                                                            String.valueOf(
                                                                                    e.getValue())))
                                            .toList());
        }
        return url;
    }

    /**
     * The dashboard is served by the node and reads only routes the node serves. (Its behaviour in
     * a real browser: {@link DashboardBrowserTest}.)
     */
    @Test
    void theDashboardIsServedAndCallsOnlyRoutesTheNodeHas() throws Exception {
        RestClient open = rest.withToken(null);
        HttpResponse<String> page = open.get("/dashboard/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<script src=\"dashboard.js\"></script>");
        HttpResponse<String> script = open.get("/dashboard/dashboard.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(open.get("/dashboard/dashboard.css").statusCode()).isEqualTo(200);
        java.util.regex.Matcher routes =
                java.util.regex.Pattern.compile("\"(/v1/[a-z/]+)").matcher(script.body());
        Set<String> called = new LinkedHashSet<>();
        while (routes.find()) {
            called.add(routes.group(1));
        }
        assertThat(called)
                .contains(
                        "/v1/status",
                        "/v1/markets",
                        "/v1/liquidations",
                        "/v1/attempts",
                        "/v1/watch/positions");
        for (String route : called) {
            if (!route.startsWith("/v1/watch/")) {
                assertThat(rest.get(route).statusCode()).as(route).isEqualTo(200);
            }
        }
    }

    static void assertRefused(
            HttpResponse<String> response, int status, String reason, String field)
            throws Exception {
        assertThat(response.statusCode())
                .as(response.uri() + ": " + response.body())
                .isEqualTo(status);
        Map<String, Object> body = json(response.body());
        assertThat(body)
                .as(response.uri().toString())
                .containsKeys("code", "reason", "message", "metadata")
                .containsEntry("reason", reason);
        if (field != null) {
            assertThat(body.get("metadata"))
                    .as(response.uri().toString())
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("field", field);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String body) throws Exception {
        return JSON.readValue(body, Map.class);
    }

    private static List<Position> positionPages(PositionFilter filter, String query) {
        List<Position> all = new ArrayList<>();
        String token = "";
        do {
            ListPositionsRequest request =
                    ListPositionsRequest.newBuilder()
                            .setFilter(filter)
                            .setPageSize(5)
                            .setPageToken(token)
                            .build();
            ListPositionsResponse grpc = positions().listPositions(request);
            assertThat(
                            rest.<ListPositionsResponse>read(
                                    "/v1/positions?page_size=5" + query + page(token),
                                    ListPositionsResponse.newBuilder()))
                    .isEqualTo(grpc);
            all.addAll(grpc.getPositionsList());
            token = grpc.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    private static List<io.freehold.proto.v1.Liquidation> liquidationPages(
            String market, String borrower) {
        List<io.freehold.proto.v1.Liquidation> all = new ArrayList<>();
        String token = "";
        String query =
                (market.isEmpty() ? "" : "&market_id=" + market)
                        + (borrower.isEmpty() ? "" : "&borrower=" + borrower);
        do {
            ListLiquidationsResponse grpc =
                    liquidations()
                            .listLiquidations(
                                    ListLiquidationsRequest.newBuilder()
                                            .setMarketId(market)
                                            .setBorrower(borrower)
                                            .setPageSize(2)
                                            .setPageToken(token)
                                            .build());
            assertThat(
                            rest.<ListLiquidationsResponse>read(
                                    "/v1/liquidations?page_size=2" + query + page(token),
                                    ListLiquidationsResponse.newBuilder()))
                    .isEqualTo(grpc);
            all.addAll(grpc.getLiquidationsList());
            token = grpc.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }

    private static String page(String token) {
        return token.isEmpty() ? "" : "&page_token=" + q(token);
    }

    static NodeStatus grpcStatus() {
        return NodeServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.getDefaultInstance());
    }

    static void awaitApplied(long block) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (grpcStatus().getAppliedBlock() < block || grpcStatus().getLagBlocks() > 0) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError(
                        "the node did not reach block " + block + ": " + grpcStatus());
            }
            Thread.sleep(100);
        }
    }

    static MarketServiceGrpc.MarketServiceBlockingStub markets() {
        return MarketServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    static PositionServiceGrpc.PositionServiceBlockingStub positions() {
        return PositionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    static SimulationServiceGrpc.SimulationServiceBlockingStub simulation() {
        return SimulationServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    static LiquidationServiceGrpc.LiquidationServiceBlockingStub liquidations() {
        return LiquidationServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }
}
