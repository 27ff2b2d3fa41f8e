package io.freehold.examples.demo;

import io.freehold.aave.local.ChainWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The Aave scenario's accounts: a lender supplying USDC, and borrowers who supply the property
 * token (REALT-0412, 70 % LTV) and borrow USDC at different shares of what the pool lets them, so
 * they start at different health: from 40 % of their borrowing power (health factor about 2.7) to
 * 99 % (about 1.08). Every fifth also supplies some USDC as collateral (RMM's stablecoins are
 * collateral too), so accounts mix two collaterals.
 */
final class AaveBorrowers {

    /** The lender's supply: room for every borrower. */
    static final BigInteger LENDER_USDC = AavePool.USDC.multiply(BigInteger.valueOf(50_000_000));

    /** The lowest and highest share of the borrowing power used, in basis points. */
    static final int LOWEST_USE_BPS = 4_000;

    static final int HIGHEST_USE_BPS = 9_900;

    /**
     * One borrower.
     *
     * @param useBps the share of its borrowing power it borrowed, basis points
     */
    record Borrower(String address, BigInteger realt, BigInteger usdcCollateral, int useBps) {}

    private AaveBorrowers() {}

    /**
     * Seeds the lender (anvil's account 1) and {@code count} borrowers, each on a key derived from
     * its number (repeatable runs), given ETH for gas, the tokens, and its loan; four at a time.
     *
     * @param progress told how many borrowers are done, as they finish
     */
    static List<Borrower> seed(AavePool pool, int count, IntConsumer progress) throws Exception {
        ChainWriter lender = new ChainWriter(pool.anvil, pool.anvil.credentials(1));
        pool.fund(lender, LENDER_USDC, BigInteger.ZERO);
        pool.supply(lender, pool.usdc(), LENDER_USDC);
        AnvilControl control = new AnvilControl(pool.anvil);
        AtomicInteger done = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Borrower>> work = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Credentials key =
                        Credentials.create(
                                Numeric.toHexStringNoPrefix(
                                        Hash.sha3(
                                                ("freehold demo aave borrower " + i)
                                                        .getBytes(StandardCharsets.UTF_8))));
                control.fund(key.getAddress());
                int useBps =
                        count == 1
                                ? HIGHEST_USE_BPS
                                : LOWEST_USE_BPS
                                        + (HIGHEST_USE_BPS - LOWEST_USE_BPS) * i / (count - 1);
                // 50 to 500 tokens ($2,620 to $26,200 at $52.40).
                BigInteger realt =
                        AavePool.TOKEN.multiply(BigInteger.valueOf(50 + (i * 37L) % 451));
                BigInteger usdc =
                        i % 5 == 4
                                ? AavePool.USDC.multiply(BigInteger.valueOf(1_000))
                                : BigInteger.ZERO;
                work.add(
                        threads.submit(
                                () -> {
                                    Borrower b = borrow(pool, key, realt, usdc, useBps);
                                    progress.accept(done.incrementAndGet());
                                    return b;
                                }));
            }
            List<Borrower> borrowers = new ArrayList<>();
            for (Future<Borrower> f : work) {
                borrowers.add(f.get());
            }
            return borrowers;
        } finally {
            threads.shutdownNow();
        }
    }

    private static Borrower borrow(
            AavePool pool, Credentials key, BigInteger realt, BigInteger usdc, int useBps)
            throws Exception {
        ChainWriter who = new ChainWriter(pool.anvil, key);
        pool.fund(who, usdc, realt);
        pool.supply(who, pool.realt(), realt);
        if (usdc.signum() > 0) {
            pool.supply(who, pool.usdc(), usdc);
        }
        // availableBorrowsBase is in the oracle's base currency (8 decimals) and USDC is $1.00
        // with 6: divide by 100 for USDC base units (rounded down, so never above the limit).
        BigInteger available = pool.accountData(who.address(), pool.head()).availableBorrowsBase();
        BigInteger borrow =
                available
                        .multiply(BigInteger.valueOf(useBps))
                        .divide(BigInteger.valueOf(10_000))
                        .divide(BigInteger.valueOf(100));
        pool.borrow(who, borrow);
        return new Borrower(Keys.toChecksumAddress(who.address()), realt, usdc, useBps);
    }
}
