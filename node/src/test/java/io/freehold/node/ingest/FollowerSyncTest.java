package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.store.StateStore;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node rebuilds every market, position, feed and flag from the logs of random protocol activity
 * on a real anvil, and equals the contracts' views to the wei, on both databases; the store alone
 * (reloaded) equals them too, and following on from a synced store picks up exactly the new blocks.
 */
class FollowerSyncTest {

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
    void rebuildsRandomActivityExactlyOnH2() throws Exception {
        syncsAndMatches(TestDatabase.h2(dir), 20260101L, 300);
    }

    @Test
    void rebuildsRandomActivityExactlyOnPostgres() throws Exception {
        syncsAndMatches(TestDatabase.postgres(), 20260102L, 250);
    }

    private void syncsAndMatches(TestDatabase db, long seed, int steps) throws Exception {
        database = db;
        anvil = Anvil.builder().accounts(10).start();
        ProtocolActivity activity = ProtocolActivity.deploy(anvil, seed);
        activity.run(steps);
        assertThat(activity.succeeded(ProtocolActivity.Action.LIQUIDATE))
                .as(activity.summary())
                .isPositive();
        assertThat(activity.succeeded(ProtocolActivity.Action.BORROW))
                .as(activity.summary())
                .isPositive();

        StateStore store = db.open();
        Follower follower = follower(activity, store, 16);
        follower.syncToHead();
        assertMatchesChain(activity, follower.state());
        assertThat(follower.eventsApplied()).isGreaterThan(steps / 2);

        // The store alone holds the same state, and the same marks on what unconfirmed blocks
        // changed.
        ChainState reloaded = ChainState.of(store.loadAll(), store.reversibleChanges());
        assertMatchesChain(activity, reloaded);
        assertSameUnconfirmedMarks(activity, follower, reloaded);

        // More activity: a follower started on the synced store applies only the new blocks.
        activity.run(steps / 3);
        long before = follower.appliedBlock();
        Follower resumed = follower(activity, store, 16);
        assertThat(resumed.appliedBlock()).isEqualTo(before);
        resumed.syncToHead();
        assertThat(resumed.blocksApplied())
                .isEqualTo(
                        anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact()
                                - before);
        assertMatchesChain(activity, resumed.state());
    }

    /**
     * Positions changed in the last {@code confirmations} blocks are marked with that block, in
     * memory and after a reload from the store alike; older changes are not marked.
     */
    private static void assertSameUnconfirmedMarks(
            ProtocolActivity activity, Follower follower, ChainState reloaded) {
        int marked = 0;
        for (var entry : activity.deployment.markets().values()) {
            MarketId id = MarketId.of(entry.id());
            for (String account : activity.accounts()) {
                OptionalLong live =
                        follower.state().positionChangedUnconfirmed(id, Address.of(account));
                assertThat(reloaded.positionChangedUnconfirmed(id, Address.of(account)))
                        .isEqualTo(live);
                if (live.isPresent()) {
                    marked++;
                    assertThat(live.getAsLong()).isGreaterThan(follower.finalBlock());
                    assertThat(follower.isFinal(live.getAsLong())).isFalse();
                }
            }
        }
        assertThat(marked).as("positions changed by unconfirmed blocks").isPositive();
    }

    private Follower follower(ProtocolActivity activity, StateStore store, int confirmations) {
        if (rpc == null) {
            rpc = new ChainRpc(RpcConfiguration.builder(List.of(anvil.rpcUrl())).build());
        }
        Path file = dir.resolve("deployment.json");
        activity.deployment.write(file);
        NodeConfiguration config =
                NodeConfiguration.of(anvil.chainId(), file.toString())
                        .withConfirmations(confirmations);
        return new Follower(rpc, store, ContractAddresses.resolve(config), config, 50);
    }

    static void assertMatchesChain(ProtocolActivity activity, ChainState state) throws Exception {
        ChainComparison c =
                ChainComparison.compare(
                        activity.anvil, activity.deployment, activity.accounts(), state);
        assertThat(c.differences())
                .as("node vs chain at block " + state.checkpoint().orElseThrow())
                .isEmpty();
        assertThat(c.compared()).isGreaterThan(100);
    }
}
