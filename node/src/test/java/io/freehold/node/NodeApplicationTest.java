package io.freehold.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.chain.FaultInjectingProxy;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The node as it runs: the real HTTP server over the deployed protocol on anvil and an H2 file. It
 * catches up, reports itself UP on {@code /health} with the chain's numbers, exports them on {@code
 * /prometheus}, follows new blocks, reports the chain lost (and found again) when its endpoint goes
 * away (and comes back), and DOWN once anvil is gone. Waits are polls with generous deadlines;
 * nothing about timing is asserted.
 */
class NodeApplicationTest {

    private static final int CONFIRMATIONS = 4;
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Anvil anvil;
    private FaultInjectingProxy endpoint;
    private EmbeddedServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void followsTheChainAndSaysSoOnHealthAndPrometheus() throws Exception {
        server = ApplicationContext.run(EmbeddedServer.class, deployAndConfigure());

        // Caught up: UP, every number the chain's.
        long head = head();
        JsonNode health =
                awaitIngestion(h -> isUp(h) && h.at("/details/appliedBlock").asLong() == head);
        JsonNode details = health.get("details");
        assertThat(details.get("phase").asText()).isEqualTo("FOLLOWING");
        assertThat(details.get("chainId").asLong()).isEqualTo(31_337);
        assertThat(details.get("head").asLong()).isEqualTo(head);
        assertThat(details.get("appliedBlock").asLong()).isEqualTo(head);
        assertThat(details.get("finalBlock").asLong()).isEqualTo(head - CONFIRMATIONS);
        assertThat(details.get("lagBlocks").asLong()).isZero();
        assertThat(details.get("reorgs").asLong()).isZero();
        assertThat(details.has("lastError")).as(details.toString()).isFalse();
        assertThat(details.get("endpoints")).hasSize(1);
        JsonNode rpc = details.get("endpoints").get(0);
        assertThat(rpc.get("name").asText()).startsWith("rpc1/");
        assertThat(rpc.get("url").asText()).isEqualTo(endpoint.url());
        assertThat(rpc.get("breaker").asText()).isEqualTo("CLOSED");
        assertThat(rpc.get("chainCheck").asText()).isEqualTo("OK");
        assertThat(rpc.get("lastSeenHead").asLong()).isEqualTo(head);
        assertThat(rpc.get("lagging").asBoolean()).isFalse();
        HttpResponse<String> overall = get("/health");
        assertThat(overall.statusCode()).as(overall.body()).isEqualTo(200);
        assertThat(JSON.readTree(overall.body()).get("status").asText()).isEqualTo("UP");

        String metrics = prometheus();
        assertThat(metric(metrics, "freehold_ingest_applied_block")).isEqualTo(head);
        assertThat(metric(metrics, "freehold_chain_head")).isEqualTo(head);
        assertThat(metric(metrics, "freehold_ingest_final_block")).isEqualTo(head - CONFIRMATIONS);
        assertThat(metric(metrics, "freehold_ingest_lag_blocks")).isZero();
        assertThat(metric(metrics, "freehold_ingest_up")).isEqualTo(1);
        assertThat(metric(metrics, "freehold_rpc_endpoint_available")).isEqualTo(1);

        // New blocks are followed.
        mine(3);
        long newHead = head();
        assertThat(newHead).isEqualTo(head + 3);
        awaitIngestion(h -> isUp(h) && h.at("/details/appliedBlock").asLong() == newHead);
        assertThat(metric(prometheus(), "freehold_ingest_applied_block")).isEqualTo(newHead);

        // The endpoint goes away: DOWN, saying why; back: UP again, nothing missed.
        endpoint.down();
        JsonNode lost = awaitIngestion(h -> h.get("status").asText().equals("DOWN"));
        // Whichever call of the step met the outage first (the head, a header, the logs) names the
        // endpoint.
        assertThat(lost.at("/details/lastError").asText())
                .as(lost.toString())
                .contains("no endpoint could serve")
                .contains("rpc1/");
        assertThat(lost.at("/details/endpoints/0/lastError").asText())
                .as(lost.toString())
                .isNotEmpty();
        assertThat(get("/health").statusCode()).isEqualTo(503);
        endpoint.up();
        mine(2);
        long afterOutage = head();
        JsonNode back =
                awaitIngestion(
                        h -> isUp(h) && h.at("/details/appliedBlock").asLong() == afterOutage);
        assertThat(back.get("details").has("lastError")).as(back.toString()).isFalse();

        // Anvil itself is gone: DOWN for good, the error on the page.
        anvil.close();
        JsonNode gone = awaitIngestion(h -> h.get("status").asText().equals("DOWN"));
        assertThat(gone.at("/details/lastError").asText()).as(gone.toString()).isNotEmpty();
        assertThat(gone.at("/details/phase").asText()).as(gone.toString()).isEqualTo("RETRYING");
        assertThat(gone.at("/details/appliedBlock").asLong()).isEqualTo(afterOutage);
    }

    @Test
    void aNodeRestartedAtTheHeadIsUpWithoutWaitingForANewBlock() throws Exception {
        Map<String, Object> props = deployAndConfigure();
        server = ApplicationContext.run(EmbeddedServer.class, props);
        long head = head();
        awaitIngestion(h -> isUp(h) && h.at("/details/appliedBlock").asLong() == head);
        server.getApplicationContext().close();

        server = ApplicationContext.run(EmbeddedServer.class, props);

        JsonNode health = awaitIngestion(h -> isUp(h));
        assertThat(health.at("/details/appliedBlock").asLong()).isEqualTo(head);
    }

    // ---- helpers
    // ---------------------------------------------------------------------------------

    /**
     * Starts anvil, deploys the protocol, writes its deployment file, and puts a loopback proxy in
     * front of anvil (so that the test can cut the node off and back); the node's settings for
     * them.
     */
    private Map<String, Object> deployAndConfigure() throws Exception {
        anvil = Anvil.start();
        Deployment deployment = LocalSystem.deploy(anvil);
        Path file = dir.resolve("deployment.json");
        deployment.write(file);
        endpoint = FaultInjectingProxy.start(anvil.rpcUrl());

        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put(
                "datasources.default.url",
                "jdbc:h2:file:" + dir.resolve("node") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        props.put("freehold.node.chain-id", anvil.chainId());
        props.put("freehold.node.deployment", file.toString());
        props.put("freehold.node.confirmations", CONFIRMATIONS);
        props.put("freehold.node.poll-interval", "200ms");
        props.put("freehold.node.rpc.endpoints", List.of(endpoint.url()));
        props.put("freehold.node.rpc.request-timeout", "1s");
        props.put("freehold.node.rpc.breaker-open-duration", "1s");
        return props;
    }

    private static boolean isUp(JsonNode ingestion) {
        return ingestion.get("status").asText().equals("UP");
    }

    /**
     * Polls {@code /health} until the ingestion component satisfies {@code condition}; returns it.
     */
    private JsonNode awaitIngestion(Predicate<JsonNode> condition) throws Exception {
        long giveUp = System.nanoTime() + DEADLINE.toNanos();
        String last = null;
        while (System.nanoTime() < giveUp) {
            HttpResponse<String> response = get("/health");
            last = response.statusCode() + " " + response.body();
            JsonNode ingestion = JSON.readTree(response.body()).at("/details/freehold-ingestion");
            if (!ingestion.isMissingNode() && condition.test(ingestion)) {
                return ingestion;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "/health never got there within " + DEADLINE + "; last answer: " + last);
    }

    private String prometheus() throws Exception {
        HttpResponse<String> response = get("/prometheus");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** The value of the one sample of {@code name} in a Prometheus text exposition. */
    private static long metric(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(exposition);
        assertThat(m.find()).as(name + " in\n" + exposition).isTrue();
        double value = Double.parseDouble(m.group(1));
        assertThat(m.find()).as("one sample of " + name).isFalse();
        assertThat(value).as(name).isEqualTo(Math.rint(value));
        return (long) value;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.getURL() + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long head() throws IOException {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    private void mine(long blocks) throws IOException {
        VoidResponse answer =
                new Request<>(
                                "anvil_mine",
                                List.of(Numeric.encodeQuantity(BigInteger.valueOf(blocks))),
                                new HttpService(anvil.rpcUrl()),
                                VoidResponse.class)
                        .send();
        assertThat(answer.hasError()).as("anvil_mine").isFalse();
    }
}
