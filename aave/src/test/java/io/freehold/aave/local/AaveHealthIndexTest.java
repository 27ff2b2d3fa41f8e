package io.freehold.aave.local;

import static io.freehold.aave.local.SyntheticAaveMarket.COIN;
import static io.freehold.aave.local.SyntheticAaveMarket.PRICED;
import static io.freehold.aave.local.SyntheticAaveMarket.PROPERTY;
import static io.freehold.aave.local.SyntheticAaveMarket.RAY;
import static io.freehold.aave.local.SyntheticAaveMarket.RESERVES;
import static io.freehold.aave.local.SyntheticAaveMarket.STABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveHealthIndex;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index alone, on an in-memory market of many accounts ({@link SyntheticAaveMarket}): after
 * every step of a seeded random history — price moves of one feed (a reserve's, or the eMode
 * category's price source), rates from zero to 120 % and time jumps up to 60 days, borrows, repays,
 * supplies, withdrawals, collateral switches, eMode entered and left, liquidations of the accounts
 * below, liquidation thresholds and the eMode category changed — the accounts the index answers for
 * health factors below 1 and below 1.1 are exactly those a valuation of every account finds, with
 * the same figures. Accounts hold one to three collaterals. The index values far fewer accounts
 * than the scans do; going back to an older copy of the book rebuilds it, and going forward from
 * there again is a step.
 */
class AaveHealthIndexTest {

    private static final BigInteger WAD = BigInteger.TEN.pow(18);
    private static final List<BigInteger> THRESHOLDS =
            List.of(WAD, WAD.add(WAD.divide(BigInteger.TEN)));
    private static final int ACCOUNTS = 300;
    private static final int STEPS = 250;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void theIndexAnswersWhatAFullScanAnswers(long seed) {
        Random random = new Random(seed);
        SyntheticAaveMarket m = new SyntheticAaveMarket();
        List<Address> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            Address a = SyntheticAaveMarket.account(i);
            accounts.add(a);
            open(m, a, random);
        }
        List<AaveHealthIndex> indexes = THRESHOLDS.stream().map(AaveHealthIndex::new).toList();
        long valued = 0;
        long scanned = 0;
        int crossings = 0;
        Set<Address> belowBefore = Set.of();
        Set<Address> everBelowWithSeveralCollaterals = new HashSet<>();
        AaveBook older = null;
        long olderTime = 0;
        for (int step = 0; step < STEPS; step++) {
            act(m, accounts, random);
            for (AaveHealthIndex index : indexes) {
                AaveHealthIndex.Step answer = index.step(m.book, m.time());
                Map<Address, AccountData> scan =
                        AaveHealthIndex.scan(m.book, m.time(), index.threshold());
                assertThat(answer.below())
                        .as("seed %d step %d below %s", seed, step, index.threshold())
                        .isEqualTo(scan);
                if (step > 0) {
                    assertThat(answer.rebuilt()).isFalse();
                }
                valued += answer.valued() - answer.below().size();
                scanned += m.book.accounts().size();
            }
            Set<Address> below = AaveHealthIndex.scan(m.book, m.time(), WAD).keySet();
            if (!below.equals(belowBefore)) {
                crossings++;
            }
            for (Address a : below) {
                if (m.book.exposures(a, m.time()).stream()
                                .filter(e -> e.collateral().signum() != 0)
                                .count()
                        > 1) {
                    everBelowWithSeveralCollaterals.add(a);
                }
            }
            belowBefore = below;
            if (step == STEPS / 2) {
                older = m.book.copy();
                olderTime = m.time();
            }
        }
        assertThat(crossings).as("steps where the set below 1 changed").isGreaterThan(20);
        assertThat(everBelowWithSeveralCollaterals).hasSizeGreaterThan(5);
        assertThat(valued)
                .as("accounts valued by the index vs by the scans")
                .isLessThan(scanned / 4);

        // Back to an older copy (another history as far as the index knows): rebuilt, exact;
        // then forward from it to the newest book again: a step, exact.
        for (AaveHealthIndex index : indexes) {
            AaveHealthIndex.Step back = index.step(older, olderTime);
            assertThat(back.rebuilt()).isTrue();
            assertThat(back.below())
                    .isEqualTo(AaveHealthIndex.scan(older, olderTime, index.threshold()));
            AaveHealthIndex.Step forward = index.step(m.book, m.time());
            assertThat(forward.rebuilt()).isFalse();
            assertThat(forward.below())
                    .isEqualTo(AaveHealthIndex.scan(m.book, m.time(), index.threshold()));
        }
    }

    /** One to three collaterals, a quarter in eMode, a debt at 40–99 % of the borrowing power. */
    private static void open(SyntheticAaveMarket m, Address a, Random random) {
        m.advance(1 + random.nextInt(12));
        boolean any = false;
        if (random.nextInt(4) > 0) {
            m.supply(a, PROPERTY, tokens(50 + random.nextInt(450), 18));
            any = true;
        }
        if (random.nextInt(2) == 0) {
            m.supply(a, STABLE, tokens(1_000 + random.nextInt(20_000), 6));
            any = true;
        }
        if (!any || random.nextInt(3) == 0) {
            m.supply(a, COIN, tokens(1 + random.nextInt(10), 18));
        }
        if (random.nextInt(4) == 0) {
            m.eMode(a, 1);
        }
        borrow(m, a, random.nextInt(5) == 0 ? COIN : STABLE, 0.4 + 0.59 * random.nextDouble());
    }

    private static void borrow(SyntheticAaveMarket m, Address a, Address asset, double share) {
        BigInteger available = m.book.accountData(a, m.time()).availableBorrowsBase();
        BigInteger price = m.book.price(asset);
        BigInteger amount =
                new java.math.BigDecimal(available)
                        .multiply(java.math.BigDecimal.valueOf(share))
                        .toBigInteger()
                        .multiply(m.unit(asset))
                        .divide(price);
        if (amount.signum() > 0) {
            m.borrow(a, asset, amount);
        }
    }

    private static void act(SyntheticAaveMarket m, List<Address> accounts, Random random) {
        // Liquidators take about half of the accounts below 1 each step (a steeper fall leaves
        // more below), then the market moves.
        for (Address a : AaveHealthIndex.scan(m.book, m.time(), WAD).keySet()) {
            if (random.nextBoolean()) {
                liquidate(m, a);
            }
        }
        double r = random.nextDouble();
        m.advance(
                random.nextInt(10) == 0
                        ? 86_400L * (1 + random.nextInt(60))
                        : 1 + random.nextInt(3_600));
        if (r < 0.35) {
            Address feed = PRICED.get(random.nextInt(PRICED.size()));
            BigInteger price = m.book.price(feed);
            double factor = 0.9 + 0.17 * random.nextDouble();
            m.setPrice(
                    feed,
                    new java.math.BigDecimal(price)
                            .multiply(java.math.BigDecimal.valueOf(factor))
                            .toBigInteger()
                            .max(BigInteger.ONE));
        } else if (r < 0.45) {
            Address reserve = RESERVES.get(random.nextInt(RESERVES.size()));
            BigInteger[] rates = {
                BigInteger.ZERO,
                RAY.divide(BigInteger.valueOf(50)),
                RAY.divide(BigInteger.valueOf(20)),
                RAY.multiply(BigInteger.valueOf(3)).divide(BigInteger.TEN),
                RAY.multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN)
            };
            BigInteger variable = rates[random.nextInt(rates.length)];
            m.rates(reserve, variable.shiftRight(1), variable);
        } else if (r < 0.75) {
            int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                change(m, accounts.get(random.nextInt(accounts.size())), random);
            }
        } else if (r < 0.85) {
            Address reserve = RESERVES.get(random.nextInt(RESERVES.size()));
            int threshold = m.book.reserveOf(reserve).configuration().liquidationThreshold();
            int next = Math.max(6_000, Math.min(9_000, threshold + 100 * (random.nextInt(11) - 5)));
            int ltv = Math.min(m.book.reserveOf(reserve).configuration().ltv(), next - 100);
            m.collateralConfiguration(reserve, ltv, next, 10_500);
        } else if (r < 0.87) {
            m.eModeCategory(8_500 + 100 * random.nextInt(5), 9_000 + 100 * random.nextInt(5));
        }
    }

    private static void change(SyntheticAaveMarket m, Address a, Random random) {
        Address asset = RESERVES.get(random.nextInt(RESERVES.size()));
        switch (random.nextInt(7)) {
            case 0 ->
                    borrow(
                            m,
                            a,
                            random.nextInt(4) == 0 ? COIN : STABLE,
                            0.1 + 0.9 * random.nextDouble());
            case 1 -> {
                BigInteger owed = m.owed(a, asset);
                if (owed.signum() > 0) {
                    m.repay(
                            a,
                            asset,
                            owed.multiply(BigInteger.valueOf(10 + random.nextInt(60)))
                                    .divide(BigInteger.valueOf(100)));
                }
            }
            case 2 -> {
                BigInteger supplied = m.supplied(a, asset);
                if (supplied.signum() > 0) {
                    m.withdraw(
                            a,
                            asset,
                            supplied.multiply(BigInteger.valueOf(5 + random.nextInt(25)))
                                    .divide(BigInteger.valueOf(100)));
                }
            }
            case 3 ->
                    m.supply(
                            a,
                            asset,
                            asset.equals(STABLE)
                                    ? tokens(100 + random.nextInt(5_000), 6)
                                    : tokens(1 + random.nextInt(50), 18));
            case 4 -> {
                if (m.supplied(a, asset).signum() > 0) {
                    m.collateral(a, asset, !m.position(a, asset).collateral());
                }
            }
            case 5 -> m.eMode(a, m.book.eModeOf(a) == 0 ? 1 : 0);
            default -> {}
        }
    }

    /** Half the largest debt repaid, the collateral worth it plus 5 % taken from the largest. */
    private static void liquidate(SyntheticAaveMarket m, Address a) {
        Address debtAsset = null;
        Address collateralAsset = null;
        BigInteger debtValue = BigInteger.ZERO;
        BigInteger collateralValue = BigInteger.ZERO;
        for (AaveBook.Exposure e : m.book.exposures(a, m.time())) {
            BigInteger d = e.debt().multiply(e.price()).divide(e.unit());
            BigInteger c = e.collateral().multiply(e.price()).divide(e.unit());
            if (d.compareTo(debtValue) > 0) {
                debtValue = d;
                debtAsset = e.asset();
            }
            if (c.compareTo(collateralValue) > 0) {
                collateralValue = c;
                collateralAsset = e.asset();
            }
        }
        if (debtAsset == null) {
            return;
        }
        m.repay(a, debtAsset, m.owed(a, debtAsset).shiftRight(1));
        if (collateralAsset != null) {
            BigInteger seize =
                    debtValue
                            .shiftRight(1)
                            .multiply(BigInteger.valueOf(105))
                            .divide(BigInteger.valueOf(100))
                            .min(collateralValue);
            BigInteger amount =
                    m.supplied(a, collateralAsset).multiply(seize).divide(collateralValue);
            if (amount.signum() > 0) {
                m.withdraw(a, collateralAsset, amount);
            }
        }
    }

    private static BigInteger tokens(long whole, int decimals) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(decimals));
    }
}
