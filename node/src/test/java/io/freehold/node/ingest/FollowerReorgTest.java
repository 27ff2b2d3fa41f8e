package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.store.StateStore;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Reorgs of depths 1 to 64 injected into a real anvil, again and again, under a follower with 64
 * confirmations: after each, the node's state (in memory and in the store) equals the contracts'
 * views at the new head, every stored header is on the new chain, and a position that only the
 * orphaned blocks created is gone. A reorg deeper than the window stops the follower without
 * touching the store.
 *
 * <p>Reorgs are injected two ways, both of which replace blocks (new hashes at the same heights):
 * {@code anvil_reorg} (drops the last {@code depth} blocks, whose transactions are discarded, and
 * mines {@code depth} new ones holding the transactions given, each at its offset from the common
 * ancestor), and {@code anvil_rollback} (drops the last {@code depth} blocks) followed by different
 * activity, so the new chain may end up shorter or longer than the old one.
 *
 * <p>{@code anvil_reorg} works in the pinned anvil (1.7.1): {@code [depth, [[tx, offset], ...]]},
 * where a {@code tx} is a transaction request anvil signs for one of its dev accounts (or raw
 * signed bytes) and the offset counts new blocks from the common ancestor (0 is the block right
 * after it).
 */
class FollowerReorgTest {

    private static final int CONFIRMATIONS = 64;

    /**
     * Dev account 9: ProtocolActivity never uses it, so whatever it does exists only where the test
     * puts it.
     */
    private static final int ORPHAN_ONLY = 9;

    @TempDir Path dir;

    private Anvil anvil;
    private ChainRpc rpc;
    private TestDatabase database;
    private HttpService http;

    @AfterEach
    void stop() {
        if (rpc != null) {
            rpc.close();
        }
        if (database != null) {
            database.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void everyReorgUpToTheWindowIsUndoneExactly() throws Exception {
        ProtocolActivity activity = start(20260301L);
        activity.run(60);
        fund(activity, ORPHAN_ONLY);

        database = TestDatabase.h2(dir);
        StateStore store = database.open();
        Follower follower = follower(activity, store, CONFIRMATIONS);
        follower.syncToHead();
        FollowerSyncTest.assertMatchesChain(activity, follower.state());

        Random random = new Random(77);
        List<Integer> depths = new ArrayList<>(List.of(1, 2, 7, 31, 64));
        for (int i = 0; i < 4; i++) {
            depths.add(1 + random.nextInt(CONFIRMATIONS));
        }
        boolean viaRollback = false;
        for (int depth : depths) {
            for (boolean rollback : new boolean[] {viaRollback, !viaRollback}) {
                String round = (rollback ? "anvil_rollback" : "anvil_reorg") + " of depth " + depth;
                orphanedBranch(activity, depth, random);
                follower.syncToHead();
                MarketId market =
                        MarketId.of(activity.deployment.markets().values().iterator().next().id());
                Address orphanOnly = Address.of(address(ORPHAN_ONLY));
                assertThat(follower.state().position(market, orphanOnly))
                        .as(round + ": the orphaned branch was applied")
                        .isPresent();

                long reorgs = follower.reorgs();
                long rolledBack = follower.rolledBackBlocks();
                if (rollback) {
                    rollBackAndReplace(activity, depth, random);
                } else {
                    reorg(activity, depth);
                }

                List<Follower.StepResult> results = new ArrayList<>();
                Follower.StepResult result;
                do {
                    result = follower.step();
                    results.add(result);
                } while (result != Follower.StepResult.AT_HEAD && results.size() < 100);
                assertThat(results).as(round).first().isEqualTo(Follower.StepResult.ROLLED_BACK);
                assertThat(results).as(round).last().isEqualTo(Follower.StepResult.AT_HEAD);
                assertThat(follower.reorgs()).as(round).isEqualTo(reorgs + 1);
                assertThat(follower.rolledBackBlocks()).as(round).isEqualTo(rolledBack + depth);

                // The node is at the new head, equal to the chain, in memory and in the store.
                Checkpoint cp = follower.state().checkpoint().orElseThrow();
                assertThat(cp.number()).as(round).isEqualTo(head());
                assertThat(cp.hash().hex()).as(round).isEqualTo(chainHash(cp.number()));
                assertThat(store.checkpoint()).as(round).contains(cp);
                FollowerSyncTest.assertMatchesChain(activity, follower.state());
                FollowerSyncTest.assertMatchesChain(activity, ChainState.of(store.loadAll()));

                // Nothing from the orphaned blocks survives: every stored header is on the new
                // chain, the
                // window is whole, and the orphaned-only position is gone from memory and store.
                // (The window can be shorter than the confirmations right after the chain got
                // shorter:
                // headers pruned against the old, higher head are not fetched again.)
                List<BlockHeader> headers = store.headers(0);
                assertThat(headers)
                        .as(round)
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(CONFIRMATIONS + 1);
                long first = cp.number() - headers.size() + 1;
                for (int i = 0; i < headers.size(); i++) {
                    BlockHeader h = headers.get(i);
                    assertThat(h.number()).as(round).isEqualTo(first + i);
                    assertThat(h.hash().hex())
                            .as(round + ": stored header of block " + h.number())
                            .isEqualTo(chainHash(h.number()));
                }
                assertThat(follower.state().position(market, orphanOnly)).as(round).isEmpty();
                assertThat(store.position(market, orphanOnly)).as(round).isEmpty();
                assertThat(chainSupplyShares(activity, market, ORPHAN_ONLY)).as(round).isZero();
            }
            viaRollback = !viaRollback;
        }
    }

    @Test
    void aReorgDeeperThanTheWindowStopsTheFollowerAndLeavesTheStoreAlone() throws Exception {
        ProtocolActivity activity = start(20260302L);
        activity.run(30);

        database = TestDatabase.h2(dir);
        StateStore store = database.open();
        Follower follower = follower(activity, store, 4);
        follower.syncToHead();
        Checkpoint before = store.checkpoint().orElseThrow();
        List<BlockHeader> headersBefore = store.headers(0);
        ChainState stateBefore = ChainState.of(store.loadAll());
        FollowerSyncTest.assertMatchesChain(activity, stateBefore);

        reorg(activity, 10);

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(follower::step)
                    .isInstanceOf(ReorgTooDeepException.class)
                    .hasMessageContaining("block " + before.number())
                    .hasMessageContaining("delete the store")
                    .hasMessageContaining("freehold.node.confirmations");
            assertThat(store.checkpoint()).contains(before);
            assertThat(store.headers(0)).isEqualTo(headersBefore);
            assertThat(follower.state().checkpoint()).contains(before);
            assertThat(follower.reorgs()).isZero();
        }
        // The store still holds exactly what it held: the old chain's state at the old checkpoint.
        assertThat(snapshotOf(ChainState.of(store.loadAll()), activity))
                .isEqualTo(snapshotOf(stateBefore, activity));
    }

    /**
     * The chain reorganises between two reads of one range: the follower reads block H+1 (empty on
     * the old branch), then the block is replaced by one with a supply in it, then the follower
     * reads the rest of what it needs. Whatever it read first, it must not commit the new block
     * without its events (nothing would ever notice: the new block's hash is the chain's).
     */
    @Test
    void aReorgBetweenTheReadsOfOneRangeIsNotMissed() throws Exception {
        ProtocolActivity activity = start(20260303L);
        activity.run(20);
        try (ReorgingProxy proxy = new ReorgingProxy(anvil.rpcUrl())) {
            database = TestDatabase.h2(dir);
            StateStore store = database.open();
            rpc =
                    new ChainRpc(
                            RpcConfiguration.builder(List.of(proxy.url()))
                                    .requestsPerSecond(0)
                                    .build());
            Follower follower = follower(activity, store, CONFIRMATIONS);
            follower.syncToHead();

            mine(1); // block H+1, without protocol events
            long next = head();
            proxy.afterFirstReadOf(
                    next, () -> reorg(activity, 1)); // H+1 replaced by a block with a supply
            List<Follower.StepResult> results = new ArrayList<>();
            Follower.StepResult result;
            do {
                result = follower.step();
                results.add(result);
            } while (result != Follower.StepResult.AT_HEAD && results.size() < 20);
            assertThat(proxy.fired()).as("the reorg was injected").isTrue();

            Checkpoint cp = follower.state().checkpoint().orElseThrow();
            assertThat(cp.number()).as("steps %s", results).isEqualTo(next);
            assertThat(cp.hash().hex()).isEqualTo(chainHash(next));
            FollowerSyncTest.assertMatchesChain(activity, follower.state());
            FollowerSyncTest.assertMatchesChain(activity, ChainState.of(store.loadAll()));
        }
    }

    // ---- building branches --------------------------------------------------------------------

    /**
     * The blocks a reorg of {@code depth} will orphan: random activity, empty blocks, and last a
     * supply by the orphan-only account, so the whole branch is applied by the node before it is
     * replaced.
     */
    private void orphanedBranch(ProtocolActivity activity, int depth, Random random)
            throws Exception {
        int active = Math.min(depth - 1, 4);
        long start = head();
        for (int i = 0; i < active; i++) {
            activity.step(); // one transaction, one block (the TIME action mines one too)
        }
        long filler = start + depth - 1 - head();
        if (filler > 0) {
            mine(filler);
        }
        byte[] market = activity.markets().get(0);
        LocalSystem.pool(anvil, activity.deployment, anvil.credentials(ORPHAN_ONLY))
                .supply(
                        market,
                        LocalSystem.usd(1_000 + random.nextInt(9_000)),
                        address(ORPHAN_ONLY))
                .send();
        // At least `depth` blocks (a TIME step may mine several), the orphan-only supply in the
        // last one.
        assertThat(head() - start).as("orphaned branch length").isGreaterThanOrEqualTo(depth);
    }

    /**
     * {@code anvil_reorg}: the last {@code depth} blocks replaced by as many new ones, with
     * different supplies.
     */
    private void reorg(ProtocolActivity activity, int depth) throws Exception {
        long head = head();
        byte[] market = activity.markets().get(1 % activity.markets().size());
        List<Object> pairs = new ArrayList<>();
        pairs.add(List.of(supplyRequest(activity, 4, market, LocalSystem.usd(2_345)), 0));
        if (depth > 1) {
            pairs.add(
                    List.of(supplyRequest(activity, 5, market, LocalSystem.usd(6_789)), depth - 1));
        }
        call("anvil_reorg", List.of(depth, pairs));
        assertThat(head()).as("anvil_reorg keeps the height").isEqualTo(head);
        assertReplacementsSucceeded(head - depth + 1, head, pairs.size());
    }

    /**
     * {@code anvil_rollback} of {@code depth}, then a different supply and some random activity:
     * the new chain may be shorter than the old one (the follower's checkpoint is above the head)
     * or longer.
     */
    private void rollBackAndReplace(ProtocolActivity activity, int depth, Random random)
            throws Exception {
        long head = head();
        call("anvil_rollback", List.of(depth));
        assertThat(head()).isEqualTo(head - depth);
        byte[] market = activity.markets().get(2 % activity.markets().size());
        LocalSystem.pool(anvil, activity.deployment, anvil.credentials(5))
                .supply(market, LocalSystem.usd(3_000 + random.nextInt(3_000)), address(5))
                .send();
        activity.run(random.nextInt(4));
        int more = random.nextInt(depth + 8);
        if (more > 0) {
            mine(more);
        }
    }

    private Map<String, Object> supplyRequest(
            ProtocolActivity activity, int account, byte[] market, BigInteger assets) {
        String data =
                LocalSystem.pool(anvil, activity.deployment, anvil.credentials(account))
                        .supply(market, assets, address(account))
                        .encodeFunctionCall();
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("from", address(account));
        tx.put("to", activity.deployment.lendingPool());
        tx.put("data", data);
        tx.put("gas", Numeric.encodeQuantity(BigInteger.valueOf(1_000_000)));
        return tx; // anvil signs for its dev accounts and picks the nonce on the new branch
    }

    private void assertReplacementsSucceeded(long from, long to, int expected) throws Exception {
        int succeeded = 0;
        for (long n = from; n <= to; n++) {
            EthBlock.Block block = block(n, false);
            for (EthBlock.TransactionResult<?> tx : block.getTransactions()) {
                TransactionReceipt receipt =
                        anvil.web3j()
                                .ethGetTransactionReceipt((String) tx.get())
                                .send()
                                .getTransactionReceipt()
                                .orElseThrow();
                assertThat(receipt.isStatusOK())
                        .as("replacement " + tx.get() + " in block " + n)
                        .isTrue();
                succeeded++;
            }
        }
        assertThat(succeeded).isEqualTo(expected);
    }

    /**
     * Dev account {@code index} gets mUSD and approves the pool (blocks that stay on every branch).
     */
    private void fund(ProtocolActivity activity, int index) throws Exception {
        Credentials admin = anvil.credentials(0);
        MockStablecoin.load(
                        activity.deployment.stablecoin(),
                        anvil.web3j(),
                        anvil.transactionManager(admin),
                        LocalSystem.GAS)
                .mint(address(index), LocalSystem.usd(1_000_000))
                .send();
        MockStablecoin.load(
                        activity.deployment.stablecoin(),
                        anvil.web3j(),
                        anvil.transactionManager(anvil.credentials(index)),
                        LocalSystem.GAS)
                .approve(
                        activity.deployment.lendingPool(),
                        BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))
                .send();
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private ProtocolActivity start(long seed) throws Exception {
        anvil = Anvil.builder().accounts(10).start();
        http = new HttpService(anvil.rpcUrl());
        return ProtocolActivity.deploy(anvil, seed);
    }

    private Follower follower(ProtocolActivity activity, StateStore store, int confirmations) {
        if (rpc == null) {
            rpc =
                    new ChainRpc(
                            RpcConfiguration.builder(List.of(anvil.rpcUrl()))
                                    .requestsPerSecond(0)
                                    .build());
        }
        Path file = dir.resolve("deployment.json");
        activity.deployment.write(file);
        NodeConfiguration config =
                NodeConfiguration.of(anvil.chainId(), file.toString())
                        .withConfirmations(confirmations);
        return new Follower(rpc, store, ContractAddresses.resolve(config), config, 50);
    }

    private void call(String method, List<?> params) throws Exception {
        Response<?> response = new Request<>(method, params, http, VoidResponse.class).send();
        if (response.hasError()) {
            throw new IllegalStateException(
                    method + " " + params + ": " + response.getError().getMessage());
        }
    }

    private void mine(long blocks) throws Exception {
        call("anvil_mine", List.of(Numeric.encodeQuantity(BigInteger.valueOf(blocks))));
    }

    private long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    private EthBlock.Block block(long number, boolean full) throws Exception {
        return anvil.web3j()
                .ethGetBlockByNumber(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), full)
                .send()
                .getBlock();
    }

    private String chainHash(long number) throws Exception {
        return block(number, false).getHash();
    }

    private BigInteger chainSupplyShares(ProtocolActivity activity, MarketId market, int account)
            throws Exception {
        return LocalSystem.pool(anvil, activity.deployment, anvil.credentials(0))
                .positionShares(Numeric.hexStringToByteArray(market.hex()), address(account))
                .send()
                .supplyShares;
    }

    private String address(int index) {
        return anvil.credentials(index).getAddress();
    }

    /** An interruptible action, run by the proxy. */
    interface Injection {
        void run() throws Exception;
    }

    /**
     * A loopback JSON-RPC proxy in front of anvil that, once armed, runs an action right after it
     * has answered the first read of a given block: an {@code eth_getLogs} whose range reaches it,
     * or an {@code eth_getBlockByNumber} (single or batched) of it or a later block. The action
     * runs before the answer is sent, so the follower's next request already sees its effect.
     */
    static final class ReorgingProxy implements AutoCloseable {
        private final HttpServer server;
        private final HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final ObjectMapper json = new ObjectMapper();
        private volatile long armedBlock = -1;
        private volatile Injection injection;
        private volatile boolean fired;

        ReorgingProxy(String target) throws IOException {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext(
                    "/",
                    exchange -> {
                        try (exchange) {
                            byte[] body = exchange.getRequestBody().readAllBytes();
                            HttpResponse<byte[]> answer =
                                    client.send(
                                            HttpRequest.newBuilder(URI.create(target))
                                                    .header("Content-Type", "application/json")
                                                    .POST(
                                                            HttpRequest.BodyPublishers.ofByteArray(
                                                                    body))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofByteArray());
                            Injection action = injection;
                            if (action != null && reads(body, armedBlock)) {
                                injection = null;
                                action.run();
                                fired = true;
                            }
                            exchange.getResponseHeaders().set("Content-Type", "application/json");
                            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                            exchange.getResponseBody().write(answer.body());
                        } catch (Exception e) {
                            throw new IOException(e);
                        }
                    });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void afterFirstReadOf(long block, Injection action) {
            armedBlock = block;
            injection = action;
        }

        boolean fired() {
            return fired;
        }

        private boolean reads(byte[] body, long block) throws IOException {
            JsonNode tree = json.readTree(body);
            for (JsonNode call : tree.isArray() ? tree : List.of(tree)) {
                String method = call.path("method").asText();
                JsonNode params = call.path("params");
                if (method.equals("eth_getLogs")
                        && quantity(params.path(0).path("toBlock")) >= block) {
                    return true;
                }
                if (method.equals("eth_getBlockByNumber") && quantity(params.path(0)) >= block) {
                    return true;
                }
            }
            return false;
        }

        private static long quantity(JsonNode node) {
            String text = node.asText();
            return text.startsWith("0x") ? Numeric.decodeQuantity(text).longValueExact() : -1;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Everything a state holds, as comparable values: markets, positions, feeds, tokens, flags. */
    private static List<Object> snapshotOf(ChainState state, ProtocolActivity activity) {
        List<Object> all = new ArrayList<>();
        all.add(state.checkpoint());
        for (var m :
                state.markets().stream()
                        .sorted((a, b) -> a.id().hex().compareTo(b.id().hex()))
                        .toList()) {
            all.add(m);
            List<PositionRecord> positions = new ArrayList<>(state.positions(m.id()));
            positions.sort((a, b) -> a.account().hex().compareTo(b.account().hex()));
            all.addAll(positions);
            all.add(state.priceFeed(m.params().collateralToken()));
            all.add(state.token(m.params().collateralToken()));
            for (String account : activity.accounts()) {
                all.add(state.isFrozen(m.params().collateralToken(), Address.of(account)));
            }
        }
        for (String account : activity.accounts()) {
            all.add(state.isVerified(Address.of(account)));
        }
        return all;
    }
}
