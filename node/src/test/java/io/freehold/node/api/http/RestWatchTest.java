package io.freehold.node.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.RunningNode;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionEvent;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The watches as Server-Sent Events on the real node, as a browser's EventSource or {@code curl -N}
 * sees them: a snapshot, then each change with its cursor as the event id and the chain's numbers;
 * a client reconnecting with {@code Last-Event-ID} gets exactly what it missed (no snapshot); a
 * rollback of the chain is retracted and the position re-sent; heartbeats while quiet; bad input
 * refused before the stream starts.
 */
class RestWatchTest {

    @TempDir static Path dir;

    private static final int CAP = 3;

    private static RunningNode node;
    private static byte[] det;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.confirmations",
                                16,
                                "freehold.node.api.streams.heartbeat",
                                "300ms",
                                "freehold.node.api.max-streams-per-token",
                                CAP));
        det = Numeric.hexStringToByteArray(node.deployment.market("FH-DET-0412").id());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** One SSE event. */
    record Sse(String name, String id, String data) {}

    /** An open SSE stream, read on its own thread into a queue. */
    static final class Events implements AutoCloseable {
        final BlockingQueue<Sse> queue = new LinkedBlockingQueue<>();
        final Stream<String> lines;
        final Thread reader;

        Events(HttpResponse<Stream<String>> response) {
            this.lines = response.body();
            this.reader =
                    new Thread(
                            () -> {
                                String name = null, id = null;
                                StringBuilder data = new StringBuilder();
                                try {
                                    Iterator<String> it = lines.iterator();
                                    while (it.hasNext()) {
                                        String line = it.next();
                                        if (line.isEmpty()) {
                                            if (name != null || data.length() > 0) {
                                                queue.add(new Sse(name, id, data.toString()));
                                            }
                                            name = null;
                                            id = null;
                                            data.setLength(0);
                                        } else if (line.startsWith("event:")) {
                                            name = line.substring(6).strip();
                                        } else if (line.startsWith("id:")) {
                                            id = line.substring(3).strip();
                                        } else if (line.startsWith("data:")) {
                                            data.append(line.substring(5).strip());
                                        }
                                    }
                                } catch (RuntimeException e) {
                                    // closed by the test
                                }
                            },
                            "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        Sse next() throws InterruptedException {
            Sse e = queue.poll(60, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within 60 s");
            }
            return e;
        }

        Sse nextNonHeartbeat() throws InterruptedException {
            Sse e = next();
            while ("heartbeat".equals(e.name())) {
                e = next();
            }
            return e;
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    static HttpResponse<Stream<String>> open(String pathAndQuery, String lastEventId)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:" + node.server.getPort() + pathAndQuery))
                        .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    static PositionEvent position(Sse e) throws Exception {
        PositionEvent.Builder b = PositionEvent.newBuilder();
        JsonFormat.parser().merge(e.data(), b);
        return b.build();
    }

    @Test
    void positionsAsServerSentEventsResumeWithLastEventIdAndRetractOnARollback() throws Exception {
        String borrower = node.deployment.accounts().borrower();
        String path = "/v1/watch/positions?owner=" + borrower;

        // 1. Snapshot: the borrower's one position, then the end marker.
        HttpResponse<Stream<String>> first = open(path, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        String lastId;
        try (Events events = new Events(first)) {
            Sse snap = events.next();
            assertThat(snap.name()).isEqualTo("snapshot");
            assertThat(position(snap).getSnapshot().getAccount()).isEqualTo(borrower.toLowerCase());
            Sse end = events.next();
            assertThat(end.name()).isEqualTo("snapshotEnd");
            assertThat(position(end).getSnapshotEnd().getPositions()).isEqualTo(1);

            // 2. A borrow: an update with the chain's numbers at its block; its id is its cursor.
            borrow(LocalSystem.usd(100));
            Sse update = events.nextNonHeartbeat();
            assertThat(update.name()).isEqualTo("updated");
            PositionEvent u = position(update);
            assertThat(update.id())
                    .isEqualTo(
                            u.getCursor().getBlockNumber()
                                    + ":"
                                    + u.getCursor().getBlockHash()
                                    + ":"
                                    + u.getCursor().getSequence());
            LendingPool.PositionView view =
                    pool(u.getCursor().getBlockNumber()).position(det, borrower).send();
            assertThat(u.getUpdated().getDebt()).isEqualTo(view.debt.toString());
            lastId = update.id();
        }

        // 3. Two borrows while away; Last-Event-ID resumes with exactly those (no snapshot).
        borrow(LocalSystem.usd(200));
        borrow(LocalSystem.usd(300));
        BigInteger debtAtHead = pool(node.head()).position(det, borrower).send().debt;
        try (Events resumed = new Events(open(path, lastId))) {
            Sse missed = resumed.nextNonHeartbeat();
            assertThat(missed.name()).as("no snapshot on resume").isEqualTo("updated");
            assertThat(position(missed).getCursor().getSequence())
                    .isEqualTo(Long.parseLong(lastId.substring(lastId.lastIndexOf(':') + 1)) + 1);
            while (!position(missed).getUpdated().getDebt().equals(debtAtHead.toString())) {
                missed = resumed.nextNonHeartbeat();
                assertThat(missed.name()).isEqualTo("updated");
            }

            // 4. The chain drops a borrow: a retraction, then the position as the surviving chain
            // has it.
            String snapshotId = rpc("evm_snapshot");
            borrow(LocalSystem.usd(400));
            Sse doomed = resumed.nextNonHeartbeat();
            assertThat(doomed.name()).isEqualTo("updated");
            rpc("evm_revert", snapshotId);
            rpc("evm_mine");
            rpc("evm_mine");
            Sse retraction = resumed.nextNonHeartbeat();
            assertThat(retraction.name()).as(retraction.toString()).isEqualTo("retracted");
            assertThat(position(retraction).getRetracted().getCommonAncestor().getBlockNumber())
                    .isLessThan(position(doomed).getCursor().getBlockNumber());
            Sse restored = resumed.nextNonHeartbeat();
            assertThat(restored.name()).isEqualTo("updated");
            assertThat(position(restored).getUpdated().getDebt())
                    .isNotEqualTo(position(doomed).getUpdated().getDebt());

            // 5. Quiet: heartbeats, each with a cursor for an id.
            Sse beat = resumed.next();
            while (!"heartbeat".equals(beat.name())) {
                beat = resumed.next();
            }
            assertThat(beat.id()).matches("[0-9]+:0x[0-9a-f]{64}:[0-9]+");
        }
    }

    @Test
    void opportunitiesAsServerSentEvents() throws Exception {
        try (Events events =
                new Events(
                        open(
                                "/v1/watch/opportunities?health_factor_below=2000000000000000000",
                                null))) {
            Sse e = events.next();
            while (!"snapshotEnd".equals(e.name())) {
                assertThat(e.name()).isEqualTo("snapshot");
                e = events.next();
            }
            OpportunityEvent.Builder end = OpportunityEvent.newBuilder();
            JsonFormat.parser().merge(e.data(), end);
            assertThat(end.hasSnapshotEnd()).isTrue();
        }
    }

    @Test
    void badInputIsRefusedBeforeTheStreamStarts() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + node.server.getPort();
        HttpResponse<String> badOwner =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/watch/positions?owner=0x1"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(badOwner.statusCode()).isEqualTo(400);
        assertThat(badOwner.body()).contains("\"reason\":\"INVALID_ADDRESS\"");
        HttpResponse<String> badCursor =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/watch/positions"))
                                .header("Last-Event-ID", "yesterday")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(badCursor.body()).contains("\"reason\":\"INVALID_CURSOR\"");
        HttpResponse<String> tooHigh =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                base
                                                        + "/v1/watch/opportunities?health_factor_below=3000000000000000000"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(tooHigh.statusCode()).isEqualTo(400);
        assertThat(tooHigh.body()).contains("\"reason\":\"INVALID_RATIO\"");
    }

    @Test
    void eventStreamsCountAgainstTheSameStreamCapsAsGrpcStreams() throws Exception {
        List<Events> open = new java.util.ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i <= CAP; i++) {
                HttpResponse<Stream<String>> response = open("/v1/watch/positions", null);
                if (response.statusCode() == 200) {
                    Events events = new Events(response);
                    open.add(events);
                    events.next(); // subscribed
                } else {
                    assertThat(response.statusCode()).isEqualTo(429);
                    assertThat(response.headers().firstValue("retry-after")).isPresent();
                    try (Stream<String> body = response.body()) {
                        assertThat(String.join("", body.toList()))
                                .contains("\"reason\":\"TOO_MANY_STREAMS\"");
                    }
                    refused++;
                }
            }
            assertThat(open).hasSizeLessThanOrEqualTo(CAP);
            assertThat(refused).isPositive();
        } finally {
            open.forEach(Events::close);
        }
        // Closed streams give their places back.
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        HttpResponse<Stream<String>> again = open("/v1/watch/positions", null);
        while (again.statusCode() != 200 && System.nanoTime() < giveUp) {
            again.body().close();
            Thread.sleep(100);
            again = open("/v1/watch/positions", null);
        }
        assertThat(again.statusCode()).isEqualTo(200);
        again.body().close();
    }

    private static void borrow(BigInteger amount) throws Exception {
        LocalSystem.pool(node.anvil, node.deployment, node.anvil.credentials(2))
                .borrow(det, amount, node.deployment.accounts().borrower())
                .send();
    }

    private static String rpc(String method, Object... params) throws IOException {
        return String.valueOf(
                new Request<>(
                                method,
                                List.of(params),
                                new HttpService(node.anvil.rpcUrl()),
                                RawResponse.class)
                        .send()
                        .getResult());
    }

    /** Any JSON-RPC result. */
    public static final class RawResponse extends org.web3j.protocol.core.Response<Object> {}

    private static LendingPool pool(long block) {
        LendingPool pool =
                LendingPool.load(
                        node.deployment.lendingPool(),
                        node.anvil.web3j(),
                        new org.web3j.tx.ReadonlyTransactionManager(
                                node.anvil.web3j(), node.deployment.accounts().admin()),
                        LocalSystem.GAS);
        pool.setDefaultBlockParameter(
                org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return pool;
    }
}
