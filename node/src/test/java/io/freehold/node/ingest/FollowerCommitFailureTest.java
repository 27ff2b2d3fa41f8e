package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.local.Anvil;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.store.StateStore;
import io.freehold.node.store.StateStoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up commits run on the follower's commit thread while the next ranges are applied, so memory
 * runs ahead of the store by up to a commit. When such a commit fails (here: the real H2 store, its
 * second commit refused once, as a database that went away would), the follower reloads memory from
 * the store and resets its listeners, the step fails, and the next sync carries on from the stored
 * checkpoint to books that equal the chain to the wei, in memory and in the store.
 */
class FollowerCommitFailureTest {

    @TempDir Path dir;

    @Test
    void aFailedCatchUpCommitReloadsFromTheStoreAndTheSyncStillEqualsTheChain() throws Exception {
        try (Anvil anvil = Anvil.builder().accounts(10).start();
                TestDatabase db = TestDatabase.h2(dir);
                ChainRpc rpc =
                        new ChainRpc(RpcConfiguration.builder(List.of(anvil.rpcUrl())).build())) {
            ProtocolActivity activity = ProtocolActivity.deploy(anvil, 20261207L);
            activity.run(200);
            StateStore real = db.open();
            AtomicInteger commits = new AtomicInteger();
            StateStore failing =
                    (StateStore)
                            Proxy.newProxyInstance(
                                    StateStore.class.getClassLoader(),
                                    new Class<?>[] {StateStore.class},
                                    (proxy, method, args) -> {
                                        if (method.getName().equals("commit")
                                                && commits.incrementAndGet() == 2) {
                                            throw new StateStoreException(
                                                    "injected: the database refused the commit");
                                        }
                                        try {
                                            return method.invoke(real, args);
                                        } catch (InvocationTargetException e) {
                                            throw e.getCause();
                                        }
                                    });
            Path file = dir.resolve("deployment.json");
            activity.deployment.write(file);
            NodeConfiguration config =
                    NodeConfiguration.of(anvil.chainId(), file.toString()).withConfirmations(16);
            try (Follower follower =
                    new Follower(rpc, failing, ContractAddresses.resolve(config), config, 16)) {
                AtomicInteger resets = new AtomicInteger();
                follower.addListener(
                        new StateListener() {
                            @Override
                            public void applied(AppliedRange range, ChainState state) {}

                            @Override
                            public void reset(ChainState state) {
                                resets.incrementAndGet();
                            }
                        });
                assertThat(resets).hasValue(1); // handed the state when added

                assertThatThrownBy(follower::syncToHead)
                        .isInstanceOf(StateStoreException.class)
                        .hasMessageContaining("injected");
                // Memory went back to what the store holds: the first commit, not what was applied
                // after it.
                long stored = real.checkpoint().map(Checkpoint::number).orElseThrow();
                assertThat(follower.appliedBlock()).isEqualTo(stored);
                assertThat(resets).hasValue(2);

                follower.syncToHead();
                assertThat(commits.get()).isGreaterThan(2);
                FollowerSyncTest.assertMatchesChain(activity, follower.state());
                FollowerSyncTest.assertMatchesChain(
                        activity, ChainState.of(real.loadAll(), real.reversibleChanges()));
            }
        }
    }
}
