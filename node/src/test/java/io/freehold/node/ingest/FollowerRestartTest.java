package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.ChildNodes;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.store.JdbcStateStore;
import io.freehold.node.store.StateStore;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The real node, as a separate JVM ({@code java -cp <test classpath>
 * io.freehold.node.NodeApplication}), is killed with SIGKILL again and again while it catches up on
 * a long history, and restarted on the same H2 file each time; once it has finished, the store
 * equals the contracts' views to the wei. The history is thousands of non-idempotent events
 * (supplies, collateral, borrows: applied twice, a share total comes out too high; lost, too low),
 * dozens to a block in some blocks, one in most, over about 2,400 blocks. The node reads 10 blocks
 * per commit, and the kills are spread over the catch-up (each past a share of it, at a random
 * point of the commits that follow), never at its start or end.
 *
 * <p>Whether a kill lands between two writes of one commit is chance: the store's own tests fail a
 * commit at each of its batches deterministically (AbstractStateStoreTest). What this test pins
 * down is the whole: resuming from the stored checkpoint neither repeats nor skips a block, across
 * real crashes.
 */
class FollowerRestartTest {

    private static final int KILLS = 4;
    private static final int RANGE_BLOCKS = 10;
    private static final Pattern SYNCING = Pattern.compile("syncing: block (\\d+) of (\\d+)");
    private static final Pattern CAUGHT_UP = Pattern.compile("caught up at block (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Anvil anvil;
    private final Map<Integer, BigInteger> nonces = new HashMap<>();
    private String dbUrl;
    private HikariDataSource pool;
    private ChildNodes children;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (children != null) {
            children.close();
        }
        closeStore();
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void hardKillsDuringCatchUpNeitherLoseNorRepeatEvents() throws Exception {
        children = new ChildNodes(dir);
        // Only recent states in memory (the comparison reads the head): with anvil's default, which
        // keeps
        // every block's state and spills old ones to disk, mining thousands of blocks slows to
        // seconds per hundred.
        anvil = Anvil.builder().accounts(10).arguments("--prune-history", "256").start();
        ProtocolActivity activity = ProtocolActivity.deploy(anvil, 20260401L);
        Random random = new Random(20260401L);
        int sent = history(activity, random, 40, 80);
        activity.run(40); // liquidations, rent, freezes, prices...: the random mix on top
        long head = head();
        long start = activity.deployment.startBlock();
        assertThat(sent).isGreaterThan(3_500);

        Path deployment = dir.resolve("deployment.json");
        activity.deployment.write(deployment);
        dbUrl = "jdbc:h2:file:" + dir.resolve("freehold") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";

        long last = -1;
        for (int run = 0; run < KILLS; run++) {
            Path log = dir.resolve("node-" + run + ".log");
            Process node = startNode(anvil.rpcUrl(), deployment, dbUrl, log);
            // Past the previous kill's checkpoint (the node resumed and committed at least one
            // range) and
            // past this run's share of the history, so that the kills are spread over all of it...
            long target = Math.max(last, start + (head - start) * (run + 1) / (KILLS + 2));
            long reached = awaitProgress(node, log, target, head);
            Thread.sleep(random.nextInt(150)); // ...then a random point of the next commits
            assertThat(caughtUp(log))
                    .as("run %d caught up before it could be killed; make the history longer", run)
                    .isEmpty();
            node.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close of the database
            assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();

            Checkpoint cp = checkpoint();
            assertThat(cp.number())
                    .as("run %d: the store's checkpoint after the kill (%s)", run, tail(log))
                    .isGreaterThanOrEqualTo(reached)
                    .isGreaterThan(last)
                    .isLessThan(head);
            last = cp.number();
        }

        Path log = dir.resolve("node-final.log");
        Process node = startNode(anvil.rpcUrl(), deployment, dbUrl, log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (caughtUp(log).isEmpty()) {
            assertThat(node.isAlive())
                    .as("the node exited (%s): %s", exitValue(node), tail(log))
                    .isTrue();
            assertThat(System.nanoTime()).as("catching up: %s", tail(log)).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(caughtUp(log)).contains(head);
        node.destroy(); // graceful this time
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (int run = 0; run < KILLS; run++) {
            assertThat(Files.readString(dir.resolve("node-" + run + ".log")))
                    .as("run %d", run)
                    .doesNotContain("ERROR");
        }
        assertThat(Files.readString(log)).doesNotContain("ERROR");

        StateStore store = openStore();
        ChainState state = ChainState.of(store.loadAll());
        assertThat(state.checkpoint().orElseThrow().number()).isEqualTo(head);
        FollowerSyncTest.assertMatchesChain(activity, state);
    }

    // ---- the history --------------------------------------------------------------------------

    /**
     * {@code segments} times: one block of {@code perBlock} transactions (automine off, then {@code
     * evm_mine}), then about 25 blocks of one transaction each (automine on), then about 30 empty
     * blocks. The transactions are supplies from every funded account, and borrowers locking
     * collateral and borrowing against it. Most blocks have events, so wherever a kill leaves the
     * checkpoint, the blocks next to it have some: applying the checkpoint block again, or skipping
     * the one after it, shows. Returns how many transactions were mined.
     */
    private int history(ProtocolActivity activity, Random random, int segments, int perBlock)
            throws Exception {
        int sent = 0;
        for (int s = 0; s < segments; s++) {
            ArrayNode bulk = JSON.createArrayNode();
            for (int borrower = 6; borrower <= 8; borrower++) {
                byte[] id = activity.markets().get(random.nextInt(activity.markets().size()));
                bulk.add(send(activity, borrower, collateral(activity, id, borrower, random)));
                bulk.add(send(activity, borrower, borrow(activity, id, borrower, random)));
            }
            while (bulk.size() < perBlock) {
                bulk.add(randomTransaction(activity, random));
            }
            call("evm_setAutomine", false);
            try {
                sendAll(bulk);
                awaitInPool(bulk.size());
                long before = head();
                mineUntilPoolEmpty(); // a nonce answered before its predecessor may wait for the
                // next block
                assertThat(transactionCount(before + 1))
                        .as("block %d holds most of the batch", before + 1)
                        .isGreaterThan(bulk.size() / 2);
            } finally {
                call("evm_setAutomine", true);
            }
            int singles = 15 + random.nextInt(20);
            for (int i = 0; i < singles; i++) {
                // One by one, automine on: a block each (anvil answers a batch concurrently, out of
                // order).
                ObjectNode tx = randomTransaction(activity, random);
                tx.put("id", 1);
                JsonNode reply = post(tx);
                assertThat(reply.has("error")).as("eth_sendTransaction: %s", reply).isFalse();
            }
            mineUntilPoolEmpty();
            call("anvil_mine", Numeric.encodeQuantity(BigInteger.valueOf(10 + random.nextInt(40))));
            sent += bulk.size() + singles;
        }
        JsonNode pool = call("txpool_status");
        assertThat(pool.get("pending").asText() + pool.get("queued").asText()).isEqualTo("0x00x0");
        return sent;
    }

    /**
     * Waits until the pool holds {@code count} transactions: anvil may answer a batch before every
     * transaction of it is in the pool, and mining then would leave the batch's block short (seen
     * on a loaded machine: a block of none).
     */
    private void awaitInPool(int count) throws Exception {
        // A deadline, not a count of polls: a loaded anvil may take long to admit a big batch.
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < giveUp) {
            JsonNode pool = call("txpool_status");
            long inPool =
                    Numeric.decodeQuantity(pool.get("pending").asText()).longValueExact()
                            + Numeric.decodeQuantity(pool.get("queued").asText()).longValueExact();
            if (inPool >= count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the batch never reached the pool: " + call("txpool_status"));
    }

    private void mineUntilPoolEmpty() throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode pool = call("txpool_status");
            if ("0x0".equals(pool.get("pending").asText())
                    && "0x0".equals(pool.get("queued").asText())) {
                return;
            }
            call("evm_mine");
        }
        throw new AssertionError("transactions stay in the pool: " + call("txpool_status"));
    }

    private ObjectNode randomTransaction(ProtocolActivity activity, Random random) {
        byte[] id = activity.markets().get(random.nextInt(activity.markets().size()));
        int r = random.nextInt(100);
        if (r < 15) {
            int borrower = 6 + random.nextInt(3);
            return send(activity, borrower, collateral(activity, id, borrower, random));
        }
        if (r < 25) {
            int borrower = 6 + random.nextInt(3);
            return send(activity, borrower, borrow(activity, id, borrower, random));
        }
        int account = 1 + random.nextInt(8);
        return send(
                activity,
                account,
                pool(activity)
                        .supply(
                                id,
                                LocalSystem.usd(1 + random.nextInt(50))
                                        .add(BigInteger.valueOf(random.nextInt(1_000_000))),
                                address(account))
                        .encodeFunctionCall());
    }

    private String collateral(ProtocolActivity activity, byte[] id, int borrower, Random random) {
        return pool(activity)
                .supplyCollateral(
                        id,
                        LocalSystem.tokens(1).add(BigInteger.valueOf(random.nextInt(1_000_000))),
                        address(borrower))
                .encodeFunctionCall();
    }

    private String borrow(ProtocolActivity activity, byte[] id, int borrower, Random random) {
        return pool(activity)
                .borrow(
                        id,
                        LocalSystem.usd(10).add(BigInteger.valueOf(random.nextInt(1_000_000))),
                        address(borrower))
                .encodeFunctionCall();
    }

    private LendingPool pool(ProtocolActivity activity) {
        return LocalSystem.pool(
                anvil, activity.deployment, anvil.credentials(0)); // only to encode calls
    }

    /**
     * Sends a batch: anvil answers it concurrently, so with explicit nonces some may wait for the
     * next block.
     */
    private void sendAll(ArrayNode batch) throws Exception {
        for (int i = 0; i < batch.size(); i++) {
            ((ObjectNode) batch.get(i)).put("id", i);
        }
        for (JsonNode reply : post(batch)) {
            assertThat(reply.has("error")).as("eth_sendTransaction: %s", reply).isFalse();
        }
    }

    private ObjectNode send(ProtocolActivity activity, int account, String data) {
        ObjectNode tx = JSON.createObjectNode();
        tx.put("from", address(account));
        tx.put("to", activity.deployment.lendingPool());
        tx.put("data", data);
        tx.put("gas", Numeric.encodeQuantity(BigInteger.valueOf(300_000)));
        // Explicit nonces: anvil answers a batch concurrently, and picking nonces itself it gives
        // two
        // transactions of one sender the same one.
        BigInteger nonce = nonces.computeIfAbsent(account, a -> transactionCount(address(a)));
        tx.put("nonce", Numeric.encodeQuantity(nonce));
        nonces.put(account, nonce.add(BigInteger.ONE));
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("method", "eth_sendTransaction"); // anvil signs for its dev accounts
        request.putArray("params").add(tx);
        return request;
    }

    // ---- the node as a child process -----------------------------------------------------------

    private Process startNode(String rpcUrl, Path deployment, String dbUrl, Path log)
            throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("freehold.node.rpc.endpoints", rpcUrl);
        properties.put("freehold.node.rpc.max-log-range-blocks", Integer.toString(RANGE_BLOCKS));
        properties.put("freehold.node.rpc.requests-per-second", "0");
        properties.put("freehold.node.chain-id", Long.toString(anvil.chainId()));
        properties.put("freehold.node.deployment", deployment.toString());
        properties.put("freehold.node.confirmations", "64");
        properties.put("freehold.node.progress-interval", "50ms");
        properties.put("freehold.node.poll-interval", "200ms");
        properties.put("datasources.default.url", dbUrl);
        return children.start("384m", properties, log);
    }

    /**
     * Waits for a progress line past {@code after} and below the head; returns the block it names.
     */
    private long awaitProgress(Process node, Path log, long after, long head) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            assertThat(node.isAlive())
                    .as("the node exited (%s): %s", exitValue(node), tail(log))
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("no progress past block %d: %s", after, tail(log))
                    .isLessThan(deadline);
            Matcher m = SYNCING.matcher(Files.readString(log));
            long reached = -1;
            while (m.find()) {
                reached = Long.parseLong(m.group(1));
                assertThat(Long.parseLong(m.group(2))).isEqualTo(head);
            }
            if (reached > after) {
                return reached;
            }
            Thread.sleep(20);
        }
    }

    private static Optional<Long> caughtUp(Path log) throws IOException {
        Matcher m = CAUGHT_UP.matcher(Files.readString(log));
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    private Checkpoint checkpoint() {
        try {
            return openStore().checkpoint().orElseThrow();
        } finally {
            closeStore(); // the next node opens the file alone
        }
    }

    /**
     * The store the node wrote, opened as the node opens it (application.yml's user "sa", no
     * password).
     */
    private StateStore openStore() {
        pool = new HikariDataSource();
        pool.setJdbcUrl(dbUrl);
        pool.setUsername("sa");
        pool.setPassword("");
        pool.setMaximumPoolSize(2);
        return new JdbcStateStore(pool);
    }

    private void closeStore() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    private static String exitValue(Process p) {
        return p.isAlive() ? "running" : "exit " + p.exitValue();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> shown = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("Caused by")
                        || line.contains("Message:")
                        || line.contains(" ERROR ")) {
                    shown.add(line);
                }
            }
            shown.add("...");
            shown.addAll(lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            return "\n" + String.join("\n", shown);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ---- JSON-RPC -------------------------------------------------------------------------------

    private JsonNode call(String method, Object... params) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", 1);
        request.put("method", method);
        request.set("params", JSON.valueToTree(List.of(params)));
        JsonNode reply = post(request);
        assertThat(reply.has("error")).as("%s: %s", method, reply).isFalse();
        return reply.get("result");
    }

    private JsonNode post(JsonNode body) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                        .build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private long head() throws Exception {
        return Numeric.decodeQuantity(call("eth_blockNumber").asText()).longValueExact();
    }

    private long transactionCount(long block) throws Exception {
        return Numeric.decodeQuantity(
                        call(
                                        "eth_getBlockTransactionCountByNumber",
                                        Numeric.encodeQuantity(BigInteger.valueOf(block)))
                                .asText())
                .longValueExact();
    }

    private BigInteger transactionCount(String address) {
        try {
            return Numeric.decodeQuantity(
                    call("eth_getTransactionCount", address, "pending").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String address(int index) {
        return anvil.credentials(index).getAddress();
    }
}
