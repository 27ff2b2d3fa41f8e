package io.freehold.node.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.FixedPoint;
import io.freehold.contracts.math.Risk;
import io.freehold.contracts.math.Shares;
import io.freehold.types.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The index finds exactly the positions a full scan finds, across random markets (lltv, borrow
 * index, virtual shares, price scale), thousands of random positions (ordinary loans, dust, debt
 * without collateral, collateral without debt, equal ratios, huge values, positions one base unit
 * either side of the liquidation boundary) and random paths of price (drifts, crashes, jumps, zero)
 * and time (interest, bad debt written off), at every step: the positions below 1 (liquidatable),
 * below the warning threshold and below a random threshold; the newly unhealthy ones between two
 * steps; and the band-change candidates, which must include every position whose band changed.
 *
 * <p>The full scan here is the contract's own formulas ({@code debt > maxDebt}, the rounded-down
 * health factor), position by position. Seeded: {@code -Dfreehold.risk.seed=N} replays a run; a
 * failure names the seed and the market's seed.
 */
class LiquidationIndexPropertyTest {

    private static final long SEED = Long.getLong("freehold.risk.seed", 20_260_401L);
    private static final int MARKETS = 20;
    private static final int STEPS = 20;
    private static final BigInteger WAD = FixedPoint.WAD;
    // Shares of one position stay below this, so that thousands of them sum to a uint256.
    private static final BigInteger MAX_SHARES = BigInteger.ONE.shiftLeft(240);

    @Test
    void theIndexFindsExactlyWhatAFullScanFinds() {
        Random seeds = new Random(SEED);
        int positions = 0;
        int liquidatableSeen = 0;
        int newlySeen = 0;
        for (int m = 0; m < MARKETS; m++) {
            long seed = seeds.nextLong();
            Market market = new Market(seed);
            try {
                market.run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        "failed with -Dfreehold.risk.seed="
                                + SEED
                                + ", market "
                                + m
                                + " (seed "
                                + seed
                                + ", step "
                                + market.step
                                + "): "
                                + e.getMessage(),
                        e);
            }
            positions += market.created;
            liquidatableSeen += market.liquidatableSeen;
            newlySeen += market.newlySeen;
        }
        // A run that never met the interesting cases proves little.
        assertThat(positions).as("positions created").isGreaterThan(20_000);
        assertThat(liquidatableSeen).as("liquidatable answers compared").isGreaterThan(10_000);
        assertThat(newlySeen).as("newly unhealthy positions found").isGreaterThan(500);
    }

    /** One random market and its path. */
    private static final class Market {

        final Random random;
        final BigInteger lltv;
        final BigInteger warning;
        final LiquidationIndex index;
        // The price stays below 2^priceBits, collateral below 2^collateralBits: values and debts
        // fit a uint256.
        final int priceBits;
        final int collateralBits;
        // Most markets spread collateral over many magnitudes (many small buckets); some keep it
        // within a
        // few (large buckets, whose sorted arrays are rebuilt as positions change).
        final int collateralLowBits;
        final int collateralHighBits;
        final int changesPerStep;
        final Map<Address, BigInteger[]> positions =
                new HashMap<>(); // account -> {shares, collateral}
        final List<Address> accounts = new ArrayList<>();
        MarketConditions conditions;
        int step;
        int created;
        int liquidatableSeen;
        int newlySeen;
        private int nextAccount;

        Market(long seed) {
            random = new Random(seed);
            lltv =
                    switch (random.nextInt(8)) {
                        case 0 -> BigInteger.ONE;
                        case 1 -> WAD.subtract(BigInteger.ONE);
                        default -> wad(0.3 + 0.65 * random.nextDouble());
                    };
            warning =
                    switch (random.nextInt(6)) {
                        case 0 -> WAD.add(BigInteger.ONE);
                        case 1 -> wad(1.5 + random.nextDouble());
                        default -> wad(1.1);
                    };
            index = new LiquidationIndex(lltv);
            BigInteger price = magnitude(1, 200);
            priceBits = Math.min(200, price.bitLength() + 24);
            collateralBits = Math.min(200, 339 - priceBits);
            if (random.nextInt(3) == 0) {
                collateralLowBits = 1 + random.nextInt(Math.min(150, collateralBits) - 2);
                collateralHighBits = collateralLowBits + 2;
            } else {
                collateralLowBits = 1;
                collateralHighBits = Math.min(150, collateralBits);
            }
            changesPerStep = random.nextBoolean() ? 40 : 400;
            BigInteger shares = random.nextInt(10) == 0 ? BigInteger.ZERO : magnitude(1, 200);
            // A borrow share is worth ~1e-6 of an asset in a fresh market, more as interest
            // accrues.
            BigInteger assets =
                    random.nextInt(10) == 0
                            ? BigInteger.ZERO
                            : shares.multiply(BigInteger.valueOf(1 + random.nextInt(50)))
                                    .divide(BigInteger.TEN.pow(6));
            conditions = new MarketConditions(price, assets, shares);
        }

        void run() {
            int count = 300 + random.nextInt(2_500);
            for (int i = 0; i < count; i++) {
                newPosition(conditions);
            }
            settleTotals();
            for (step = 0; step < STEPS; step++) {
                MarketConditions before = conditions;
                MarketConditions after = nextConditions(before);
                for (int i = random.nextInt(changesPerStep); i > 0; i--) {
                    mutate(random.nextBoolean() ? before : after);
                }
                settleTotals();
                before = withTotals(before);
                after = withTotals(after);
                check(before, after);
                conditions = after;
            }
        }

        private void check(MarketConditions before, MarketConditions after) {
            assertThat(index.size())
                    .as("indexed borrowers")
                    .isEqualTo(
                            (int)
                                    positions.values().stream()
                                            .filter(p -> p[0].signum() > 0)
                                            .count());
            Map<Address, BigInteger> was = healthFactors(before);
            Map<Address, BigInteger> now = healthFactors(after);
            BigInteger random3 = wad(0.5 + 2.5 * random.nextDouble());
            for (BigInteger h : List.of(WAD, warning, random3)) {
                Set<Address> expected = below(now, h);
                assertThat(accounts(index.below(h, after)))
                        .as("below " + h + " at " + after)
                        .isEqualTo(expected);
                LiquidationIndex.Query query = index.query(h, after);
                List<Address> wrong = new ArrayList<>();
                for (Address a : positions.keySet()) {
                    boolean answer = index.entry(a).map(query::isBelow).orElse(false);
                    if (answer != expected.contains(a)) {
                        wrong.add(a);
                    }
                }
                assertThat(wrong)
                        .as("positions the query answers wrongly for, below " + h)
                        .isEmpty();
                if (h.equals(WAD)) {
                    assertThat(accounts(index.scanBelow(h, after))).isEqualTo(expected);
                    liquidatableSeen += expected.size();
                }
                Set<Address> newly = new TreeSet<>(expected);
                newly.removeAll(below(was, h));
                assertThat(accounts(index.newlyBelow(h, before, after)))
                        .as("newly below " + h)
                        .isEqualTo(newly);
                newlySeen += newly.size();
            }
            Set<Address> candidates = new HashSet<>();
            List<Address> duplicates = new ArrayList<>();
            index.forEachCandidate(
                    List.of(WAD, warning),
                    before,
                    after,
                    e -> {
                        if (!candidates.add(e.account())) {
                            duplicates.add(e.account());
                        }
                    });
            assertThat(duplicates).as("candidates handed twice").isEmpty();
            for (Address a : positions.keySet()) {
                if (HealthBand.of(was.get(a), warning) != HealthBand.of(now.get(a), warning)) {
                    assertThat(candidates).as("a position that changed band").contains(a);
                }
            }
        }

        /**
         * The full scan: every position valued with the contract's formulas. Checks on the way that
         * the contract's liquidation test ({@code debt > maxDebt}) is exactly "health factor below
         * 1".
         */
        private Map<Address, BigInteger> healthFactors(MarketConditions at) {
            Map<Address, BigInteger> factors = new HashMap<>();
            positions.forEach(
                    (a, p) -> {
                        BigInteger debt =
                                Shares.toAssetsUp(
                                        p[0], at.totalBorrowAssets(), at.totalBorrowShares());
                        BigInteger value = Risk.collateralValue(p[1], at.price());
                        BigInteger hf = Risk.healthFactor(value, lltv, debt);
                        if (Risk.isLiquidatable(debt, value, lltv) != hf.compareTo(WAD) < 0) {
                            throw new AssertionError(
                                    "liquidatable is not health factor below 1 for "
                                            + a
                                            + ": "
                                            + hf);
                        }
                        factors.put(a, hf);
                    });
            return factors;
        }

        private static Set<Address> below(Map<Address, BigInteger> healthFactors, BigInteger h) {
            Set<Address> found = new TreeSet<>();
            healthFactors.forEach(
                    (a, hf) -> {
                        if (hf.compareTo(h) < 0) {
                            found.add(a);
                        }
                    });
            return found;
        }

        private MarketConditions nextConditions(MarketConditions c) {
            BigInteger price = c.price();
            switch (random.nextInt(12)) {
                case 0 -> price = scale(price, 0.3 + 0.6 * random.nextDouble()); // a crash
                case 1 -> price = scale(price, 1.1 + random.nextDouble()); // a jump
                case 2 ->
                        price =
                                random.nextInt(4) == 0
                                        ? BigInteger.ZERO
                                        : price; // no price at all, now and then
                case 3 -> price = price.add(BigInteger.ONE); // one base unit
                default -> price = scale(price, 1 + 0.08 * random.nextGaussian());
            }
            if (c.price().signum() == 0 && random.nextBoolean()) {
                price = magnitude(1, priceBits);
            }
            price = price.min(BigInteger.ONE.shiftLeft(priceBits).subtract(BigInteger.ONE));
            BigInteger assets = c.totalBorrowAssets();
            if (random.nextInt(8) == 0) {
                assets =
                        assets.multiply(BigInteger.valueOf(random.nextInt(100)))
                                .divide(BigInteger.valueOf(100));
            } else {
                // interest: up to 5% per step, sometimes a single base unit
                assets =
                        random.nextInt(4) == 0
                                ? assets.add(BigInteger.ONE)
                                : assets.add(scale(assets, 0.05 * random.nextDouble()));
            }
            return new MarketConditions(price, assets, c.totalBorrowShares());
        }

        /** A new position, or a change to one, or one repaid and withdrawn. */
        private void mutate(MarketConditions at) {
            if (accounts.isEmpty() || random.nextInt(3) == 0) {
                newPosition(at);
                return;
            }
            Address a = accounts.get(random.nextInt(accounts.size()));
            if (random.nextInt(4) == 0) {
                positions.remove(a);
                index.put(a, BigInteger.ZERO, BigInteger.ZERO);
                accounts.remove(a);
                return;
            }
            BigInteger[] p = draw(at);
            put(a, p[0], p[1]);
        }

        private void newPosition(MarketConditions at) {
            BigInteger[] p = draw(at);
            Address a = Address.of(String.format("0x%040x", ++nextAccount));
            accounts.add(a);
            put(a, p[0], p[1]);
            created++;
        }

        private void put(Address a, BigInteger shares, BigInteger collateral) {
            positions.put(a, new BigInteger[] {shares, collateral});
            index.put(a, shares, collateral);
        }

        /** Shares and collateral of a random kind of position. */
        private BigInteger[] draw(MarketConditions at) {
            int kind = random.nextInt(20);
            if (kind == 0) { // dust
                return new BigInteger[] {magnitude(1, 20), magnitude(1, 40)};
            }
            if (kind == 1) { // debt, no collateral
                return new BigInteger[] {magnitude(1, 120), BigInteger.ZERO};
            }
            if (kind == 2) { // collateral, no debt
                return new BigInteger[] {BigInteger.ZERO, magnitude(1, 120)};
            }
            if (kind == 3 && !positions.isEmpty()) { // the same ratio as another, possibly scaled
                BigInteger[] other = positions.get(accounts.get(random.nextInt(accounts.size())));
                BigInteger k =
                        BigInteger.valueOf(1 + random.nextInt(random.nextBoolean() ? 1 : 1_000));
                if (other[0].multiply(k).compareTo(MAX_SHARES) < 0
                        && other[1].multiply(k).bitLength() <= collateralBits) {
                    return new BigInteger[] {other[0].multiply(k), other[1].multiply(k)};
                }
                return other.clone();
            }
            BigInteger collateral =
                    kind == 4
                            ? magnitude(Math.max(1, collateralBits - 40), collateralBits)
                            : magnitude(collateralLowBits, collateralHighBits);
            BigInteger maxDebt = Risk.maxDebt(Risk.collateralValue(collateral, at.price()), lltv);
            BigInteger debt;
            if (kind <= 8) { // at the boundary: maxDebt and a base unit either side
                debt = maxDebt.add(BigInteger.valueOf(random.nextInt(3) - 1)).max(BigInteger.ONE);
            } else { // an ordinary loan, health factor around 1
                double hf = Math.max(0.2, 1.05 + 0.25 * random.nextGaussian());
                debt = scale(maxDebt, 1 / hf).max(BigInteger.ONE);
            }
            BigInteger n = at.totalBorrowAssets().add(BigInteger.ONE);
            BigInteger d = at.totalBorrowShares().add(Shares.VIRTUAL_SHARES);
            BigInteger shares =
                    debt.multiply(d).divide(n).add(BigInteger.valueOf(random.nextInt(3) - 1));
            return new BigInteger[] {shares.max(BigInteger.ONE).min(MAX_SHARES), collateral};
        }

        /**
         * The market's borrow shares at least the positions' sum, as on chain; assets keep their
         * index.
         */
        private void settleTotals() {
            BigInteger sum = BigInteger.ZERO;
            for (BigInteger[] p : positions.values()) {
                sum = sum.add(p[0]);
            }
            BigInteger shares = conditions.totalBorrowShares();
            if (sum.compareTo(shares) > 0) {
                BigInteger grown =
                        sum.add(
                                random.nextBoolean()
                                        ? BigInteger.ZERO
                                        : magnitude(1, sum.bitLength()));
                BigInteger assets =
                        conditions
                                .totalBorrowAssets()
                                .add(BigInteger.ONE)
                                .multiply(grown.add(Shares.VIRTUAL_SHARES))
                                .divide(shares.add(Shares.VIRTUAL_SHARES))
                                .subtract(BigInteger.ONE)
                                .max(BigInteger.ZERO);
                conditions = new MarketConditions(conditions.price(), assets, grown);
            }
        }

        /**
         * {@code c} with the market's current totals, its price unchanged; interest kept relative.
         */
        private MarketConditions withTotals(MarketConditions c) {
            if (c.totalBorrowShares().equals(conditions.totalBorrowShares())) {
                return c;
            }
            BigInteger assets =
                    c.totalBorrowAssets()
                            .add(BigInteger.ONE)
                            .multiply(conditions.totalBorrowShares().add(Shares.VIRTUAL_SHARES))
                            .divide(c.totalBorrowShares().add(Shares.VIRTUAL_SHARES))
                            .subtract(BigInteger.ONE)
                            .max(BigInteger.ZERO);
            return new MarketConditions(c.price(), assets, conditions.totalBorrowShares());
        }

        private BigInteger magnitude(int minBits, int maxBits) {
            int bits = minBits + random.nextInt(maxBits - minBits + 1);
            return new BigInteger(bits, random).setBit(bits - 1);
        }

        private BigInteger scale(BigInteger x, double factor) {
            return new BigDecimal(x)
                    .multiply(BigDecimal.valueOf(Math.max(0, factor)))
                    .setScale(0, RoundingMode.DOWN)
                    .toBigIntegerExact();
        }

        private static BigInteger wad(double x) {
            return BigDecimal.valueOf(x)
                    .multiply(new BigDecimal(WAD))
                    .setScale(0, RoundingMode.DOWN)
                    .toBigIntegerExact();
        }

        private static Set<Address> accounts(List<LiquidationIndex.Entry> entries) {
            Set<Address> found = new TreeSet<>();
            for (LiquidationIndex.Entry e : entries) {
                assertThat(found.add(e.account())).as("found twice: " + e.account()).isTrue();
            }
            return found;
        }
    }
}
