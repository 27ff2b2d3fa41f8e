package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.types.Address;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The follower on the real local Aave v3 market (anvil, {@code @aave/core-v3}'s contracts) over a
 * seeded history — supplies of both assets, borrows, repays, withdrawals, time, price moves — with
 * two reorgs (each a branch of several blocks dropped by {@code evm_revert}, then another history
 * mined at the same heights): after every step, every account's figures in the follower's book at
 * its applied block equal {@code getUserAccountData} called at that block, to the wei.
 *
 * <p>Two followers watch the same chain: one keeps 64 blocks of snapshots (each reorg is undone
 * from a snapshot), one keeps 2 (each reorg is deeper: it reads the market again from the start
 * block). Both must agree with the pool throughout.
 */
class AaveFollowerReorgTest {

    private static final int STEPS = 36;

    @ParameterizedTest
    @ValueSource(longs = {18L, 4242L})
    void theBookAtTheAppliedBlockEqualsThePoolThroughReorgs(long seed) throws Exception {
        try (AaveChain chain = new AaveChain();
                ChainRpc rpc =
                        new ChainRpc(
                                RpcConfiguration.builder(List.of(chain.anvil.rpcUrl()))
                                        .requestsPerSecond(0)
                                        .build())) {
            AaveMarketContracts market =
                    new AaveMarketCheck(rpc)
                            .check(
                                    new AaveConfiguration(
                                            chain.market.addressesProvider(),
                                            null,
                                            null,
                                            null,
                                            chain.market.startBlock(),
                                            null,
                                            null,
                                            null));
            // A narrow range, so that catching up takes several steps.
            AaveFollower wide = new AaveFollower(rpc, market, 64, 7);
            AaveFollower narrow = new AaveFollower(rpc, market, 2, 50);
            AaveHistory history = new AaveHistory(chain, new Random(seed));
            history.checkWith(() -> check(chain, history, List.of(wide, narrow)));
            history.setUp();
            for (int i = 0; i < STEPS; i++) {
                if (i == STEPS / 3 || i == 2 * STEPS / 3) {
                    history.reorg();
                } else {
                    history.randomStep();
                }
                history.check();
            }

            history.crash();

            assertThat(wide.reorgs()).as("reorgs undone from a snapshot").isEqualTo(2);
            assertThat(wide.resyncs()).isZero();
            assertThat(narrow.resyncs()).as("reorgs deeper than 2 blocks").isEqualTo(2);
            assertThat(history.borrowed).as("borrows that went through").isPositive();
            assertThat(history.checks).isGreaterThan(100);
            assertThat(history.maxDebtSeen).isPositive();
        }
    }

    /** Brings each follower to the head and compares every account with the pool there. */
    private static void check(AaveChain chain, AaveHistory history, List<AaveFollower> followers)
            throws Exception {
        long head = chain.head();
        for (AaveFollower follower : followers) {
            for (int i = 0; i < 1_000 && follower.step() != AaveFollower.StepResult.AT_HEAD; i++) {
                // step until caught up
            }
            AppliedAaveBook applied = follower.applied().orElseThrow();
            assertThat(applied.block().number()).isEqualTo(head);
            for (ChainWriter account : history.accounts()) {
                AccountData expected = chain.accountData(account.address(), head);
                assertThat(applied.accountData(Address.of(account.address())))
                        .as(
                                "%s at block %d, follower %d (reorgs %d, resyncs %d), after %s",
                                account.address(),
                                head,
                                followers.indexOf(follower),
                                follower.reorgs(),
                                follower.resyncs(),
                                history.log)
                        .isEqualTo(expected);
                history.maxDebtSeen = history.maxDebtSeen.max(expected.totalDebtBase());
                history.checks++;
            }
        }
    }
}
