package io.freehold.node.aave;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded history on the local Aave market — four accounts supplying both assets, borrowing,
 * repaying, withdrawing, time passing, the property's price moving — and reorgs: a branch of steps
 * dropped by {@code evm_revert}, then another history mined at the same heights. After each step it
 * calls the test's check, which compares what the node holds with the pool.
 */
final class AaveHistory {

    /** Steps on a branch a reorg drops: each mines at least two blocks. */
    static final int BRANCH_STEPS = 5;

    /** What a test compares after each step; the chain does not move during it. */
    interface Check {
        void check() throws Exception;
    }

    private final AaveChain chain;
    private final Random random;
    private Check check = () -> {};
    private final List<ChainWriter> accounts = new ArrayList<>();
    private BigInteger propertyPrice = AaveLocalMarket.PROPERTY_PRICE;
    int borrowed;
    int checks;
    int liquidatableSeen;
    BigInteger maxDebtSeen = BigInteger.ZERO;

    /** The steps so far (account:action, and the reverts), for a failure's message. */
    final List<String> log = new ArrayList<>();

    AaveHistory(AaveChain chain, Random random) {
        this.chain = chain;
        this.random = random;
    }

    /** From now on, {@code check} runs after each step. */
    void checkWith(Check check) {
        this.check = check;
    }

    /** The accounts of the history. */
    List<ChainWriter> accounts() {
        return accounts;
    }

    /** Runs the check now. */
    void check() throws Exception {
        check.check();
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
                        AaveChain.TOKEN.multiply(BigInteger.valueOf(1 + random.nextInt(2_000))));
            } else if (action < 30) {
                chain.supply(
                        who,
                        chain.usd(),
                        AaveChain.USDC.multiply(BigInteger.valueOf(1 + random.nextInt(100_000))));
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
                        AaveChain.USDC.multiply(BigInteger.valueOf(1 + random.nextInt(50_000))));
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
     * A fifth account borrows at the edge on property alone, then the property falls 30 %: at least
     * that account is liquidatable.
     */
    void crash() throws Exception {
        ChainWriter edge = chain.account(5);
        chain.fund(edge);
        accounts.add(edge);
        chain.supply(edge, chain.property(), AaveChain.TOKEN.multiply(BigInteger.valueOf(500)));
        chain.borrowShare(edge, 99);
        check();
        propertyPrice = propertyPrice.multiply(BigInteger.valueOf(7)).divide(BigInteger.TEN);
        chain.setPropertyPrice(propertyPrice);
        log.add("crash");
        check();
    }

    /**
     * A branch of steps, each followed and checked, dropped by {@code evm_revert}; the followers
     * meet the shorter chain first, then another history at the same heights.
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
}
