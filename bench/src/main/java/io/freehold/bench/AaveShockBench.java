package io.freehold.bench;

import static io.freehold.aave.local.SyntheticAaveMarket.COIN;
import static io.freehold.aave.local.SyntheticAaveMarket.PROPERTY;
import static io.freehold.aave.local.SyntheticAaveMarket.STABLE;

import io.freehold.aave.local.SyntheticAaveMarket;
import io.freehold.contracts.math.aave.AaveHealthIndex;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Detection on an Aave pool without a scan (issue 18, item 2): {@link AaveHealthIndex} against a
 * valuation of every account with debt ({@link AaveHealthIndex#scan}), in the same run, on an
 * in-memory market ({@link SyntheticAaveMarket}, no chain) of 100,000 borrowers (2,000 quick) with
 * one to three collaterals: the first answer (the index built), ordinary blocks (a small price tick
 * of one feed, a few accounts acting, time passing), and a shock (the property token −10 %). Each
 * answer of the index is compared with the scan's outside the clock.
 */
final class AaveShockBench implements Benchmark {

    private static final BigInteger WAD = BigInteger.TEN.pow(18);

    @Override
    public String name() {
        return "aave-shock";
    }

    @Override
    public Result run(boolean quick, Path work) {
        int size = quick ? 2_000 : 100_000;
        int rounds = quick ? 5 : 30;
        Random random = new Random(18);
        SyntheticAaveMarket m = new SyntheticAaveMarket();
        long built = System.nanoTime();
        List<Address> accounts = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Address a = SyntheticAaveMarket.account(i);
            accounts.add(a);
            open(m, a, random);
        }
        double buildSeconds = (System.nanoTime() - built) / 1e9;
        AaveHealthIndex index = new AaveHealthIndex(WAD);
        boolean agree = true;

        double[] first = measure(m, index);
        agree &= first[3] == 1;
        double[] indexMs = new double[rounds];
        double[] scanMs = new double[rounds];
        double[] valued = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ordinaryBlock(m, accounts, random);
            double[] one = measure(m, index);
            indexMs[r] = one[0];
            scanMs[r] = one[1];
            valued[r] = one[2];
            agree &= one[3] == 1;
        }
        m.advance(12);
        m.setPrice(PROPERTY, scaled(m.book.price(PROPERTY), 0.9));
        double[] shock = measure(m, index);
        agree &= shock[3] == 1;

        Result result =
                new Result(
                        name(),
                        "Aave pool: accounts below health factor 1 after a step, health index vs"
                                + " full scan");
        result.figure(
                String.format("first answer (the index built), %,d borrowers", size),
                first[0],
                "ms",
                "full scan",
                first[1]);
        result.figure(
                String.format("ordinary block (median of %d)", rounds),
                median(indexMs),
                "ms",
                "full scan",
                median(scanMs));
        result.figure(
                String.format(
                        "property −10 %% (%,d accounts valued, %,d below)",
                        (long) shock[2], (long) shock[4]),
                shock[0],
                "ms",
                "full scan",
                shock[1]);
        result.figure("accounts valued in an ordinary block (median)", median(valued), "");
        result.fact("size", size);
        result.fact("agree", agree ? 1 : 0);
        result.fact("shock.below", shock[4]);
        result.fact("shock.indexMs", shock[0]);
        result.fact("shock.scanMs", shock[1]);
        result.fact("block.indexMs", median(indexMs));
        result.fact("block.scanMs", median(scanMs));
        result.note(
                "one run, System.nanoTime around each call (no JMH), market built in %.1f s; an"
                        + " ordinary block moves one feed by −0.5 %%..+0.5 %%, lets 20 accounts"
                        + " borrow or repay and 12 s to 1 h pass; the index's answers %s the"
                        + " scan's at every step",
                buildSeconds, agree ? "equalled" : "DIFFERED from");
        return result;
    }

    /** {index ms, scan ms, accounts valued, 1 if equal, accounts below}. */
    private static double[] measure(SyntheticAaveMarket m, AaveHealthIndex index) {
        long t0 = System.nanoTime();
        AaveHealthIndex.Step step = index.step(m.book, m.time());
        long t1 = System.nanoTime();
        Map<Address, AccountData> scan = AaveHealthIndex.scan(m.book, m.time(), WAD);
        long t2 = System.nanoTime();
        return new double[] {
            (t1 - t0) / 1e6,
            (t2 - t1) / 1e6,
            step.valued(),
            step.below().equals(scan) ? 1 : 0,
            scan.size()
        };
    }

    private static void open(SyntheticAaveMarket m, Address a, Random random) {
        m.advance(1);
        m.supply(a, PROPERTY, tokens(50 + random.nextInt(450), 18));
        if (random.nextInt(3) == 0) {
            m.supply(a, STABLE, tokens(1_000 + random.nextInt(20_000), 6));
        }
        if (random.nextInt(5) == 0) {
            m.supply(a, COIN, tokens(1 + random.nextInt(10), 18));
        }
        borrow(m, a, 0.5 + 0.49 * random.nextDouble());
    }

    private static void borrow(SyntheticAaveMarket m, Address a, double share) {
        BigInteger available = m.book.accountData(a, m.time()).availableBorrowsBase();
        BigInteger amount =
                new BigDecimal(available)
                        .multiply(BigDecimal.valueOf(share))
                        .toBigInteger()
                        .multiply(m.unit(STABLE))
                        .divide(m.book.price(STABLE));
        if (amount.signum() > 0) {
            m.borrow(a, STABLE, amount);
        }
    }

    private static void ordinaryBlock(
            SyntheticAaveMarket m, List<Address> accounts, Random random) {
        m.advance(12 + random.nextInt(3_600));
        Address feed = List.of(PROPERTY, STABLE, COIN).get(random.nextInt(3));
        m.setPrice(feed, scaled(m.book.price(feed), 0.995 + 0.01 * random.nextDouble()));
        for (int i = 0; i < 20; i++) {
            Address a = accounts.get(random.nextInt(accounts.size()));
            BigInteger owed = m.owed(a, STABLE);
            if (random.nextBoolean() && owed.signum() > 0) {
                m.repay(a, STABLE, owed.divide(BigInteger.TEN));
            } else {
                borrow(m, a, 0.1 * random.nextDouble());
            }
        }
    }

    private static BigInteger scaled(BigInteger price, double factor) {
        return new BigDecimal(price).multiply(BigDecimal.valueOf(factor)).toBigInteger();
    }

    private static BigInteger tokens(long whole, int decimals) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(decimals));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
