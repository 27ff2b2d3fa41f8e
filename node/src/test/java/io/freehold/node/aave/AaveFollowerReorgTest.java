package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
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
    private static final int BRANCH_STEPS = 5;

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
                                            chain.market.startBlock()));
            // A narrow range, so that catching up takes several steps.
            AaveFollower wide = new AaveFollower(rpc, market, 64, 7);
            AaveFollower narrow = new AaveFollower(rpc, market, 2, 50);
            History history = new History(chain, new Random(seed), List.of(wide, narrow));
            history.setUp();
            for (int i = 0; i < STEPS; i++) {
                if (i == STEPS / 3 || i == 2 * STEPS / 3) {
                    history.reorg();
                } else {
                    history.randomStep();
                }
                history.check();
            }

            assertThat(wide.reorgs()).as("reorgs undone from a snapshot").isEqualTo(2);
            assertThat(wide.resyncs()).isZero();
            assertThat(narrow.resyncs()).as("reorgs deeper than 2 blocks").isEqualTo(2);
            assertThat(history.borrowed).as("borrows that went through").isPositive();
            assertThat(history.checks).isGreaterThan(100);
            assertThat(history.maxDebtSeen).isPositive();
        }
    }

    /** A seeded history of four accounts, checked against both followers after each step. */
    private static final class History {
        private final AaveChain chain;
        private final Random random;
        private final List<AaveFollower> followers;
        private final List<ChainWriter> accounts = new ArrayList<>();
        private BigInteger propertyPrice = AaveLocalMarket.PROPERTY_PRICE;
        int borrowed;
        int checks;
        BigInteger maxDebtSeen = BigInteger.ZERO;

        /** The steps so far (account:action, and the reverts), for a failure's message. */
        final List<String> log = new ArrayList<>();

        History(AaveChain chain, Random random, List<AaveFollower> followers) {
            this.chain = chain;
            this.random = random;
            this.followers = followers;
        }

        void setUp() throws Exception {
            for (int i = 1; i <= 4; i++) {
                ChainWriter who = chain.account(i);
                chain.fund(who);
                accounts.add(who);
            }
            // Liquidity to borrow from.
            chain.supply(
                    accounts.get(0),
                    chain.usd(),
                    AaveChain.USDC.multiply(BigInteger.valueOf(5_000_000)));
            check();
        }

        void randomStep() throws Exception {
            ChainWriter who = accounts.get(random.nextInt(accounts.size()));
            int action = random.nextInt(100);
            log.add(accounts.indexOf(who) + ":" + action);
            try {
                if (action < 20) {
                    chain.supply(
                            who,
                            chain.property(),
                            AaveChain.TOKEN.multiply(
                                    BigInteger.valueOf(1 + random.nextInt(2_000))));
                } else if (action < 30) {
                    chain.supply(
                            who,
                            chain.usd(),
                            AaveChain.USDC.multiply(
                                    BigInteger.valueOf(1 + random.nextInt(100_000))));
                } else if (action < 55) {
                    BigInteger available =
                            chain.accountData(who.address(), chain.head()).availableBorrowsBase();
                    // Base units are 1e8 per dollar, the stablecoin 1e6: divide by 100.
                    BigInteger amount =
                            available
                                    .multiply(BigInteger.valueOf(10 + random.nextInt(80)))
                                    .divide(BigInteger.valueOf(10_000));
                    if (amount.signum() > 0) {
                        chain.borrow(who, amount);
                        borrowed++;
                    }
                } else if (action < 67) {
                    chain.repay(
                            who,
                            AaveChain.USDC.multiply(
                                    BigInteger.valueOf(1 + random.nextInt(50_000))));
                } else if (action < 75) {
                    chain.withdraw(
                            who,
                            random.nextBoolean() ? chain.usd() : chain.property(),
                            BigInteger.valueOf(1 + random.nextInt(1_000)).multiply(AaveChain.USDC));
                } else if (action < 87) {
                    chain.passTime(1 + (long) (random.nextDouble() * 60 * 24 * 3600));
                } else {
                    propertyPrice =
                            propertyPrice
                                    .multiply(BigInteger.valueOf(750 + random.nextInt(401)))
                                    .divide(BigInteger.valueOf(1_000));
                    chain.setPropertyPrice(propertyPrice);
                }
            } catch (IllegalStateException refusedByThePool) {
                // health, balance, no debt: the pool said no and the block holds a reverted
                // transaction; still a valid history
            }
        }

        /**
         * A branch of steps, each followed and checked, dropped by {@code evm_revert}; the
         * followers meet the shorter chain first, then another history at the same heights.
         */
        void reorg() throws Exception {
            Object snapshot = chain.snapshot();
            BigInteger priceAtFork = propertyPrice;
            for (int i = 0; i < BRANCH_STEPS; i++) {
                randomStep();
                chain.passTime(3_600);
                check();
            }
            chain.revert(snapshot);
            log.add("revert");
            propertyPrice = priceAtFork;
            check(); // the chain is shorter than what the followers applied
            for (int i = 0; i < BRANCH_STEPS + 1; i++) {
                chain.passTime(7_200); // other timestamps: other hashes at the same heights
                randomStep();
            }
        }

        /** Brings each follower to the head and compares every account with the pool there. */
        void check() throws Exception {
            long head = chain.head();
            for (AaveFollower follower : followers) {
                for (int i = 0;
                        i < 1_000 && follower.step() != AaveFollower.StepResult.AT_HEAD;
                        i++) {
                    // step until caught up
                }
                AppliedAaveBook applied = follower.applied().orElseThrow();
                assertThat(applied.block().number()).isEqualTo(head);
                for (ChainWriter account : accounts) {
                    AccountData expected = chain.accountData(account.address(), head);
                    assertThat(applied.accountData(Address.of(account.address())))
                            .as(
                                    "%s at block %d, follower %d (reorgs %d, resyncs %d), after %s",
                                    account.address(),
                                    head,
                                    followers.indexOf(follower),
                                    follower.reorgs(),
                                    follower.resyncs(),
                                    log)
                            .isEqualTo(expected);
                    maxDebtSeen = maxDebtSeen.max(expected.totalDebtBase());
                    checks++;
                }
            }
        }
    }
}
