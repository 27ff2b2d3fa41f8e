package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.types.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's stored book on the real local Aave v3 market: a follower made again on the same
 * file takes the book up at the stored final block (it reads no log before it) and, at the head,
 * every account equals {@code getUserAccountData} to the wei — after a hard stop (only the periodic
 * write) and after a clean one ({@link AaveFollower#storeNow}). A book whose block was reorged
 * away, a damaged file and a file of another chain are not used: the follower reads from the start
 * block and still equals the pool.
 */
class AaveFollowerStoreTest {

    private static final int CONFIRMATIONS = 2;
    private static final int INTERVAL = 3;

    @TempDir Path dir;

    @Test
    void aRestartTakesUpTheStoredBookAndEqualsThePool() throws Exception {
        try (AaveChain chain = new AaveChain();
                ChainRpc rpc = rpc(chain)) {
            AaveMarketContracts market = market(chain, rpc);
            AaveFollower.Store store = store(chain, dir.resolve("node.aave-book"));
            AaveHistory history = new AaveHistory(chain, new Random(7));

            AaveFollower first = new AaveFollower(rpc, market, 8, 50, store);
            assertThat(first.resumedFrom()).as("no file yet").isEmpty();
            history.checkWith(() -> atHead(chain, history, first));
            history.setUp();
            for (int i = 0; i < 12; i++) {
                history.randomStep();
                history.check();
            }
            assertThat(first.firstBlockRead()).hasValue(market.startBlock());
            long periodic = first.storedBlock();
            assertThat(periodic)
                    .as("stored periodically at a final block")
                    .isGreaterThan(market.startBlock())
                    .isLessThanOrEqualTo(chain.head() - CONFIRMATIONS);

            // A hard stop: no final write, only the periodic one remains. More history meanwhile.
            history.checkWith(() -> {});
            for (int i = 0; i < 6; i++) {
                history.randomStep();
            }
            AaveFollower second = new AaveFollower(rpc, market, 8, 50, store);
            assertThat(second.resumedFrom()).hasValue(periodic);
            history.checkWith(() -> atHead(chain, history, second));
            history.check();
            assertThat(second.firstBlockRead())
                    .as("read from the block after the stored one, not the start block")
                    .hasValue(periodic + 1);

            // A clean stop writes the newest final book.
            second.storeNow();
            long clean = second.storedBlock();
            assertThat(clean).isEqualTo(chain.head() - CONFIRMATIONS);
            history.checkWith(() -> {});
            for (int i = 0; i < 4; i++) {
                history.randomStep();
            }
            history.crash();
            AaveFollower third = new AaveFollower(rpc, market, 8, 50, store);
            assertThat(third.resumedFrom()).hasValue(clean);
            history.checkWith(() -> atHead(chain, history, third));
            history.check();
            assertThat(third.firstBlockRead()).hasValue(clean + 1);

            // A file of another chain is refused.
            AaveFollower.Store foreign =
                    new AaveFollower.Store(
                            store.file(), chain.anvil.chainId() + 1, CONFIRMATIONS, INTERVAL);
            assertThat(new AaveFollower(rpc, market, 8, 50, foreign).resumedFrom()).isEmpty();

            // A damaged file is refused; the follower reads from the start and equals the pool.
            Path file = store.file().path();
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(file, bytes);
            AaveFollower fourth = new AaveFollower(rpc, market, 8, 50, store);
            assertThat(fourth.resumedFrom()).isEmpty();
            history.checkWith(() -> atHead(chain, history, fourth));
            history.check();
            assertThat(fourth.firstBlockRead()).hasValue(market.startBlock());
            assertThat(history.maxDebtSeen).isPositive();
        }
    }

    @Test
    void aStoredBookWhoseBlockWasReorgedAwayIsNotUsed() throws Exception {
        try (AaveChain chain = new AaveChain();
                ChainRpc rpc = rpc(chain)) {
            AaveMarketContracts market = market(chain, rpc);
            AaveFollower.Store store = store(chain, dir.resolve("node.aave-book"));
            AaveHistory history = new AaveHistory(chain, new Random(11));
            AaveFollower first = new AaveFollower(rpc, market, 8, 50, store);
            history.checkWith(() -> atHead(chain, history, first));
            history.setUp();
            long fork = chain.head();
            Object snapshot = chain.snapshot();
            for (int i = 0; i < 8; i++) {
                history.randomStep();
                chain.passTime(3_600);
                history.check();
            }
            long stored = first.storedBlock();
            assertThat(stored).as("stored inside the branch").isGreaterThan(fork);

            // The branch is dropped and another history mined past the stored height.
            chain.revert(snapshot);
            history.checkWith(() -> {});
            while (chain.head() <= stored + 1) {
                chain.passTime(7_200); // other timestamps: other hashes at the same heights
                history.randomStep();
            }
            AaveFollower second = new AaveFollower(rpc, market, 8, 50, store);
            assertThat(second.resumedFrom()).as("its block is no longer on the chain").isEmpty();
            history.checkWith(() -> atHead(chain, history, second));
            history.check();
            assertThat(second.firstBlockRead()).hasValue(market.startBlock());
        }
    }

    private static ChainRpc rpc(AaveChain chain) {
        return new ChainRpc(
                RpcConfiguration.builder(List.of(chain.anvil.rpcUrl()))
                        .requestsPerSecond(0)
                        .build());
    }

    private static AaveMarketContracts market(AaveChain chain, ChainRpc rpc) {
        return new AaveMarketCheck(rpc)
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
    }

    private static AaveFollower.Store store(AaveChain chain, Path file) {
        return new AaveFollower.Store(
                new AaveBookFile(file), chain.anvil.chainId(), CONFIRMATIONS, INTERVAL);
    }

    /** Brings the follower to the head and compares every account with the pool there. */
    private static void atHead(AaveChain chain, AaveHistory history, AaveFollower follower)
            throws Exception {
        long head = chain.head();
        for (int i = 0; i < 1_000 && follower.step() != AaveFollower.StepResult.AT_HEAD; i++) {
            // step until caught up
        }
        AppliedAaveBook applied = follower.applied().orElseThrow();
        assertThat(applied.block().number()).isEqualTo(head);
        for (ChainWriter account : history.accounts()) {
            AccountData expected = chain.accountData(account.address(), head);
            assertThat(applied.accountData(Address.of(account.address())))
                    .as("%s at block %d after %s", account.address(), head, history.log)
                    .isEqualTo(expected);
            history.maxDebtSeen = history.maxDebtSeen.max(expected.totalDebtBase());
        }
    }
}
