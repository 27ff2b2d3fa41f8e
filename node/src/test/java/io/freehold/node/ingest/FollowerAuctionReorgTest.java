package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.store.SnapshotFile;
import io.freehold.node.store.StateStore;
import io.freehold.types.MarketId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The auction market followed through reorgs: a seeded random history on a real anvil where keepers
 * flag positions, clear flags, start auctions (penalty and keeper reward on the position), take
 * from them and restart them, among all the ordinary activity; after every round, and after every
 * rollback of the round's blocks replaced by other activity, the node's positions, market totals,
 * liquidation terms, auction parameters, cure flags, appraisal counts and auctions equal the
 * contracts' views to the wei, in memory and as reloaded from the store.
 */
class FollowerAuctionReorgTest {

    private static final int CONFIRMATIONS = 64;

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
    void flagsAndAuctionsAreFollowedExactlyThroughReorgs() throws Exception {
        anvil = Anvil.builder().accounts(10).start();
        ProtocolActivity activity = ProtocolActivity.deployWithAuctions(anvil, 20261207L);
        activity.leverUpAuctionMarket();
        activity.run(20);

        database = TestDatabase.h2(dir);
        StateStore store = database.open();
        Follower follower = follower(activity, store);
        follower.syncToHead();
        FollowerSyncTest.assertMatchesChain(activity, follower.state());
        MarketId auctionMarket =
                MarketId.of(
                        activity.deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id()).id());
        assertThat(follower.state().liquidationTerms(auctionMarket).isAuction()).isTrue();
        assertThat(follower.state().auctionTerms(auctionMarket)).isPresent();

        Random random = new Random(1207);
        int undone = 0; // rounds whose rollback took auction or flag state away
        for (int r = 0; r < 8; r++) {
            long start = head();
            // A fall of the property's appraisal (some positions under the hard floor at once,
            // others flagged first), then keepers and everyone else at work.
            activity.moveAuctionMarketPrice(new int[] {60, 85, 115}[r % 3]);
            activity.run(12 + random.nextInt(12));
            follower.syncToHead();
            FollowerSyncTest.assertMatchesChain(activity, follower.state());
            List<Object> before = auctionState(follower.state(), auctionMarket, activity);

            // The round's later blocks replaced: what came before stays, so auctions carry over
            // rounds and end.
            int blocks = (int) (head() - start);
            int depth = Math.min(1 + random.nextInt(Math.max(1, blocks * 2 / 3)), CONFIRMATIONS);
            call("anvil_rollback", List.of(depth));
            activity.run(1 + random.nextInt(6));
            follower.syncToHead();
            FollowerSyncTest.assertMatchesChain(activity, follower.state());
            FollowerSyncTest.assertMatchesChain(activity, ChainState.of(store.loadAll()));
            // What a restart reads first: the state snapshot file written from memory.
            SnapshotFile file = new SnapshotFile(dir.resolve("state-" + r));
            file.write(follower.state().contents());
            FollowerSyncTest.assertMatchesChain(activity, ChainState.of(file.read().orElseThrow()));
            if (!before.equals(auctionState(follower.state(), auctionMarket, activity))) {
                undone++;
            }
            activity.leverUpAuctionMarket();
        }

        // The history did what the test is about: flags, starts, takes (or restarts) and ends
        // happened, and rollbacks undid some of them.
        String summary = activity.summary();
        assertThat(activity.succeeded(ProtocolActivity.Action.FLAG)).as(summary).isPositive();
        assertThat(activity.succeeded(ProtocolActivity.Action.START_AUCTION))
                .as(summary)
                .isPositive();
        assertThat(activity.succeeded(ProtocolActivity.Action.TAKE_OR_RESTART))
                .as(summary)
                .isPositive();
        List<AuctionRecord> all = new ArrayList<>();
        for (long id = 1; id <= follower.state().auctionCount(); id++) {
            all.add(follower.state().auction(id).orElseThrow());
        }
        assertThat(all).as(summary).anyMatch(a -> !a.active());
        assertThat(undone).as("rounds whose rollback undid auction state").isPositive();
    }

    /** The node's flags and auctions of the auction market, as comparable values. */
    private static List<Object> auctionState(
            ChainState state, MarketId market, ProtocolActivity activity) {
        List<Object> all = new ArrayList<>();
        all.add(state.auctionCount());
        for (String account : activity.accounts()) {
            var who = io.freehold.types.Address.of(account);
            all.add(state.cureFlag(market, who));
            all.add(state.activeAuction(market, who));
            all.add(state.position(market, who));
        }
        return all;
    }

    private Follower follower(ProtocolActivity activity, StateStore store) {
        rpc =
                new ChainRpc(
                        RpcConfiguration.builder(List.of(anvil.rpcUrl()))
                                .requestsPerSecond(0)
                                .build());
        Path file = dir.resolve("deployment.json");
        activity.deployment.write(file);
        NodeConfiguration config =
                NodeConfiguration.of(anvil.chainId(), file.toString())
                        .withConfirmations(CONFIRMATIONS);
        return new Follower(rpc, store, ContractAddresses.resolve(config), config, 50);
    }

    private void call(String method, List<?> params) throws Exception {
        Response<?> response =
                new Request<>(method, params, new HttpService(anvil.rpcUrl()), VoidResponse.class)
                        .send();
        if (response.hasError()) {
            throw new IllegalStateException(
                    method + " " + params + ": " + response.getError().getMessage());
        }
    }

    private long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }
}
