package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.store.SnapshotFile;
import io.freehold.node.store.StateSnapshot;
import io.freehold.node.store.StateStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A follower that starts from its state snapshot file and the store's journal since is in exactly
 * the state a start that reads the whole store is in, over a seeded history with reorgs: each round
 * a follower with the file stops cleanly (writing it), then the chain moves on and reorgs (rolled
 * back and replaced, sometimes below the snapshot's block) while another follower, killed
 * afterwards without a close (as by {@code kill -9}), applies it to the store; then a follower
 * starts from the file. It must equal the full load, record for record and mark for mark, and the
 * chain's own views; and it must have used the snapshot whenever the journal covers the blocks
 * since (both cases happen).
 */
class FollowerSnapshotTest {

    private static final int CONFIRMATIONS = 32;
    private static final int INTERVAL = 8;

    @TempDir Path dir;

    private Anvil anvil;
    private ChainRpc rpc;
    private TestDatabase database;

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
    void aStartFromTheSnapshotAndTheJournalIsTheFullLoad() throws Exception {
        anvil = Anvil.builder().accounts(10).start();
        ProtocolActivity activity = ProtocolActivity.deploy(anvil, 20261207L);
        activity.run(40);
        rpc = new ChainRpc(RpcConfiguration.builder(List.of(anvil.rpcUrl())).build());
        Path deployment = dir.resolve("deployment.json");
        activity.deployment.write(deployment);
        NodeConfiguration config =
                NodeConfiguration.of(anvil.chainId(), deployment.toString())
                        .withConfirmations(CONFIRMATIONS);
        database = TestDatabase.h2(dir);
        StateStore store = database.open();
        SnapshotFile file = new SnapshotFile(dir.resolve("node.state"));
        HttpService http = new HttpService(anvil.rpcUrl());
        Random random = new Random(20261207L);

        int fromSnapshot = 0;
        int fullReads = 0;
        for (int round = 0; round < 6; round++) {
            // A node with the file follows to the head and stops cleanly: the file is at its block.
            try (Follower node = follower(store, config, file)) {
                node.syncToHead();
            }
            long snapshotBlock = head();

            // The chain moves on and reorganises; a node without the file follows it and is killed.
            activity.run(1 + random.nextInt(4));
            int depth = 1 + random.nextInt(8);
            // The snapshot's block orphaned by the rollback (in some rounds), or still on the
            // chain.
            boolean belowSnapshot = head() - depth < snapshotBlock;
            call(http, "anvil_rollback", List.of(depth));
            activity.run(1 + random.nextInt(3));
            mine(http, random.nextInt(3));
            Follower killed =
                    new Follower(rpc, store, ContractAddresses.resolve(config), config, 50);
            killed.syncToHead(); // and never closed

            ChainState full = ChainState.of(store.loadAll(), store.reversibleChanges());
            boolean used;
            try (StateSnapshots snapshots = new StateSnapshots(file, INTERVAL)) {
                used = snapshots.load(store).isPresent();
            }
            try (Follower restarted = follower(store, config, file)) {
                String what = "round " + round + " (rollback of " + depth + ")";
                assertThat(sorted(restarted.state().contents()))
                        .as(what)
                        .isEqualTo(sorted(full.contents()));
                assertThat(restarted.state().unconfirmedRows())
                        .as(what)
                        .isEqualTo(full.unconfirmedRows());
                FollowerSyncTest.assertMatchesChain(activity, restarted.state());
            }
            // Used exactly when its block is still the chain's: the journal covers every block
            // since.
            assertThat(used).as("round %d: snapshot used", round).isEqualTo(!belowSnapshot);
            if (used) {
                fromSnapshot++;
            } else {
                fullReads++;
            }
        }
        assertThat(fromSnapshot).as("starts from the snapshot").isPositive();
        assertThat(fullReads).as("starts that had to read the whole store").isPositive();
    }

    private Follower follower(StateStore store, NodeConfiguration config, SnapshotFile file) {
        return new Follower(
                rpc, store, ContractAddresses.resolve(config), config, 50, file, INTERVAL);
    }

    /** The snapshot's lists in key order: a state's contents come in no particular order. */
    private static List<Object> sorted(StateSnapshot s) {
        List<Object> all = new ArrayList<>();
        all.add(s.checkpoint());
        all.addAll(s.markets().stream().sorted(Comparator.comparing(m -> m.id().hex())).toList());
        all.addAll(
                s.positions().stream()
                        .sorted(
                                Comparator.comparing(
                                                (io.freehold.node.state.PositionRecord p) ->
                                                        p.marketId().hex())
                                        .thenComparing(p -> p.account().hex()))
                        .toList());
        all.addAll(
                s.priceFeeds().stream()
                        .sorted(Comparator.comparing(f -> f.token().hex()))
                        .toList());
        all.addAll(s.tokens().stream().sorted(Comparator.comparing(t -> t.token().hex())).toList());
        all.addAll(
                s.frozenAccounts().stream()
                        .sorted(Comparator.comparing(f -> f.token().hex() + f.account().hex()))
                        .toList());
        all.addAll(
                s.verifiedAccounts().stream()
                        .sorted(Comparator.comparing(v -> v.account().hex()))
                        .toList());
        return all;
    }

    private long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    private static void mine(HttpService http, long blocks) throws Exception {
        if (blocks > 0) {
            call(http, "anvil_mine", List.of(Numeric.encodeQuantity(BigInteger.valueOf(blocks))));
        }
    }

    private static void call(HttpService http, String method, List<?> params) throws Exception {
        var response = new Request<>(method, params, http, VoidResponse.class).send();
        if (response.hasError()) {
            throw new IllegalStateException(method + ": " + response.getError().getMessage());
        }
    }
}
