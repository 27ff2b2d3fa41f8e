package io.freehold.node.risk;

import io.freehold.contracts.math.Risk;
import io.freehold.contracts.math.Shares;
import io.freehold.node.state.PositionRecord;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One market's borrowers, ordered so that "whose health factor is below h at this price and this
 * borrow index" is a range query: the answer is a tail of the order, found in O(log n) and read in
 * time proportional to its size, instead of valuing every position.
 *
 * <p><b>The key.</b> A position with borrow shares {@code s} and collateral {@code c} is below
 * {@code h} exactly when {@code h × debt > 1e18 × maxDebt} (the pool's rounded-down health factor
 * compared with {@code h}), where {@code debt = ⌈s × N / D⌉} with the market's borrow index {@code
 * N / D = (totalBorrowAssets + 1) / (totalBorrowShares + 1e6)}, and {@code maxDebt = ⌊⌊c × p /
 * 1e36⌋ × lltv / 1e18⌋}. Without the roundings that reads {@code s / c > T}, {@code T = p × lltv ×
 * D / (N × h × 1e36)}: the key is {@code s / c}, which depends on the position alone. Interest
 * moves N / D for every borrower alike and a new appraisal moves p for the whole market: both move
 * the threshold T, never a key, so nothing is recomputed when time passes or a price changes; a key
 * changes only with its position.
 *
 * <p><b>The roundings</b> make the answer exact with a guard band. Writing X = s·N/D and Y =
 * c·p·lltv/1e54 (real numbers): debt is in [X, X + 1) and maxDebt in (Y − 1 − lltv/1e18, Y], so
 *
 * <ul>
 *   <li>X > Y·1e18/h, that is {@code s / c > T}, is below h for certain;
 *   <li>X ≤ Y·1e18/h − B with {@code B = (1e18 + lltv)/h + 1} base units is above for certain: in
 *       key terms {@code s / c ≤ T − B·D/(c·N)};
 *   <li>in between, the position is valued exactly ({@link #healthFactor}, the pool's own
 *       formulas).
 * </ul>
 *
 * The band is B base units of debt wide, under three for any h ≥ 1e18: negligible for a real loan,
 * but for dust it spans a wide range of keys. So positions are kept in buckets by the magnitude of
 * their collateral (bucket k holds {@code 2^k ≤ c < 2^(k+1)}), where the band is at most {@code
 * B·D/(2^k·N)}: each bucket is queried from its own lower bound. Positions with debt and no
 * collateral are below every threshold and kept apart; positions without borrow shares are never
 * below any and are not indexed.
 *
 * <p><b>Floating point.</b> Keys and bounds are doubles (53-bit mantissa; every uint256 ratio is in
 * range). Each is within a few ulps (~1e-15 relative) of the real number; bounds are widened by
 * {@code 1e-12} relative, so a key above a "certain" bound is certain and every position that might
 * be below is a candidate. Doubles only choose candidates; every answer that is not certain is
 * decided in exact integer arithmetic.
 *
 * <p><b>Cost.</b> A query is one binary search per occupied bucket (at most 256, in practice a
 * dozen), then a sequential walk over the keys of the answer and of the guard band; only positions
 * in the guard band are valued in BigInteger. Keeping the index is O(log n) per changed position,
 * amortized ({@link IndexBucket}).
 *
 * <p>Not thread-safe: the risk engine's writer owns it.
 */
public final class LiquidationIndex {

    /**
     * An indexed borrower: its shares and collateral as stored, and its key {@code s / c} as a
     * double, fixed until the position changes.
     */
    public record Entry(
            Address account, BigInteger borrowShares, BigInteger collateral, double key) {}

    // Relative widening of every floating-point bound: the computations below are each within
    // ~1e-15
    // (a dozen roundings of 1.1e-16) of the real value; 1e-12 leaves a thousandfold margin.
    private static final double MARGIN = 1e-12;
    private static final double PRICE_SCALE = 1e36;
    private static final double WAD = 1e18;

    private final BigInteger lltv;
    private final double lltvDouble;
    private Map<Address, Entry> entries = new HashMap<>();
    private final IndexBucket[] buckets = new IndexBucket[256];
    private final Set<Address> withoutCollateral = new TreeSet<>();

    /** An empty index for a market with this liquidation LTV (WAD). */
    public LiquidationIndex(BigInteger lltv) {
        this.lltv = Uint256.check(lltv, "lltv");
        this.lltvDouble = lltv.doubleValue();
    }

    public BigInteger lltv() {
        return lltv;
    }

    /** Positions with borrow shares. */
    public int size() {
        return entries.size();
    }

    /** The account's entry, if it borrows. */
    public Optional<Entry> entry(Address account) {
        return Optional.ofNullable(entries.get(account));
    }

    /**
     * Indexes the position as it now is (replacing what was indexed for the account); no shares:
     * removed.
     */
    public void put(Address account, BigInteger borrowShares, BigInteger collateral) {
        Uint256.check(borrowShares, "borrowShares");
        Uint256.check(collateral, "collateral");
        remove(account);
        if (borrowShares.signum() == 0) {
            return;
        }
        if (collateral.signum() == 0) {
            entries.put(
                    account,
                    new Entry(account, borrowShares, collateral, Double.POSITIVE_INFINITY));
            withoutCollateral.add(account);
            return;
        }
        Entry entry =
                new Entry(
                        account,
                        borrowShares,
                        collateral,
                        borrowShares.doubleValue() / collateral.doubleValue());
        entries.put(account, entry);
        int k = bucketOf(collateral);
        if (buckets[k] == null) {
            buckets[k] = new IndexBucket();
        }
        buckets[k].add(entry);
    }

    /**
     * Indexes many positions, as {@link #put} would one by one, but sorting each bucket once: a
     * rebuild of a million positions spends seconds less than with a put each. Each account at most
     * once.
     */
    public void putAll(Collection<PositionRecord> positions) {
        List<List<Entry>> pending = new ArrayList<>(Collections.nCopies(buckets.length, null));
        // Sized up front: a restart puts a million positions into an empty index.
        Set<Address> seen = new HashSet<>(positions.size() * 4 / 3 + 16);
        boolean wasEmpty = entries.isEmpty();
        if (wasEmpty) {
            entries = new HashMap<>(positions.size() * 4 / 3 + 16);
        }
        for (PositionRecord p : positions) {
            Uint256.check(p.borrowShares(), "borrowShares");
            Uint256.check(p.collateral(), "collateral");
            if (!seen.add(p.account())) {
                throw new IllegalArgumentException("account " + p.account() + " given twice");
            }
            if (!wasEmpty) {
                remove(p.account());
            }
            if (p.borrowShares().signum() == 0) {
                continue;
            }
            if (p.collateral().signum() == 0) {
                entries.put(
                        p.account(),
                        new Entry(
                                p.account(),
                                p.borrowShares(),
                                p.collateral(),
                                Double.POSITIVE_INFINITY));
                withoutCollateral.add(p.account());
                continue;
            }
            Entry entry =
                    new Entry(
                            p.account(),
                            p.borrowShares(),
                            p.collateral(),
                            p.borrowShares().doubleValue() / p.collateral().doubleValue());
            entries.put(p.account(), entry);
            int k = bucketOf(p.collateral());
            if (pending.get(k) == null) {
                pending.set(k, new ArrayList<>());
            }
            pending.get(k).add(entry);
        }
        for (int k = 0; k < buckets.length; k++) {
            if (pending.get(k) != null && !pending.get(k).isEmpty()) {
                if (buckets[k] == null) {
                    buckets[k] = new IndexBucket();
                }
                buckets[k].addAll(pending.get(k));
            }
        }
    }

    public void remove(Address account) {
        Entry old = entries.remove(account);
        if (old == null) {
            return;
        }
        if (old.collateral().signum() == 0) {
            withoutCollateral.remove(account);
            return;
        }
        int k = bucketOf(old.collateral());
        buckets[k].remove(old);
        if (buckets[k].size() == 0) {
            buckets[k] = null;
        }
    }

    /**
     * One threshold at one set of conditions, ready to answer for positions: exactly, and in
     * BigInteger only for positions inside the guard band.
     */
    public Query query(BigInteger threshold, MarketConditions at) {
        return new Query(threshold, at);
    }

    /**
     * Every position whose health factor is below {@code threshold} (WAD) at {@code at}: with
     * threshold 1e18, the liquidatable ones. Exact, equal to {@link #scanBelow}.
     */
    public List<Entry> below(BigInteger threshold, MarketConditions at) {
        Query q = new Query(threshold, at);
        List<Entry> found = new ArrayList<>();
        withoutCollateral.forEach(a -> found.add(entries.get(a)));
        for (int k = 0; k < 256; k++) {
            if (buckets[k] != null) {
                int bucket = k;
                buckets[k].forEach(
                        q.lower[k],
                        Double.POSITIVE_INFINITY,
                        (key, e) -> {
                            if (q.isBelow(key, e, bucket)) {
                                found.add(e);
                            }
                        });
            }
        }
        return found;
    }

    /**
     * The positions below {@code threshold} at {@code after} that were not at {@code before} (the
     * positions themselves unchanged in between): what a price drop or the passing of time made
     * unhealthy. Reads only the positions whose answer may differ, those between the two thresholds
     * and in the guard bands, and values in BigInteger only those in the guard bands.
     */
    public List<Entry> newlyBelow(
            BigInteger threshold, MarketConditions before, MarketConditions after) {
        Query was = new Query(threshold, before);
        Query now = new Query(threshold, after);
        List<Entry> found = new ArrayList<>();
        for (int k = 0; k < 256; k++) {
            if (buckets[k] != null) {
                int bucket = k;
                buckets[k].forEach(
                        Math.min(was.lower[k], now.lower[k]),
                        Math.max(was.sure, now.sure),
                        (key, e) -> {
                            if (now.isBelow(key, e, bucket) && !was.isBelow(key, e, bucket)) {
                                found.add(e);
                            }
                        });
            }
        }
        return found;
    }

    /**
     * Hands {@code action} every position whose answer for any of {@code thresholds} may differ
     * between {@code before} and {@code after}, each once: a superset of the positions that changed
     * band. Every other position is, for every threshold, certainly below at both or certainly not
     * below at both.
     */
    public void forEachCandidate(
            Collection<BigInteger> thresholds,
            MarketConditions before,
            MarketConditions after,
            Consumer<Entry> action) {
        List<Query[]> queries = new ArrayList<>();
        for (BigInteger h : thresholds) {
            queries.add(new Query[] {new Query(h, before), new Query(h, after)});
        }
        for (int k = 0; k < 256; k++) {
            if (buckets[k] == null) {
                continue;
            }
            List<double[]> ranges = new ArrayList<>(queries.size());
            for (Query[] pair : queries) {
                ranges.add(
                        new double[] {
                            Math.min(pair[0].lower[k], pair[1].lower[k]),
                            Math.max(pair[0].sure, pair[1].sure)
                        });
            }
            ranges.sort(Comparator.comparingDouble(r -> r[0]));
            double[] current = null;
            for (double[] r : ranges) {
                if (current != null && r[0] <= current[1]) {
                    current[1] = Math.max(current[1], r[1]);
                    continue;
                }
                if (current != null) {
                    buckets[k].forEach(current[0], current[1], (key, e) -> action.accept(e));
                }
                current = r;
            }
            if (current != null) {
                buckets[k].forEach(current[0], current[1], (key, e) -> action.accept(e));
            }
        }
    }

    /**
     * The reference the index replaces: every position valued exactly, O(n) BigInteger work. Kept
     * for tests and benchmarks, which compare the two.
     */
    public List<Entry> scanBelow(BigInteger threshold, MarketConditions at) {
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (isBelow(threshold, e, at)) {
                found.add(e);
            }
        }
        return found;
    }

    /** Whether the position's exact health factor at {@code at} is below {@code threshold}. */
    public boolean isBelow(BigInteger threshold, Entry e, MarketConditions at) {
        return healthFactor(lltv, e.borrowShares(), e.collateral(), at).compareTo(threshold) < 0;
    }

    /**
     * The health factor the pool's views give (WAD, rounded down; {@code type(uint256).max} without
     * debt): debt is the shares in assets rounded up, the collateral value and the allowed debt
     * rounded down.
     */
    public static BigInteger healthFactor(
            BigInteger lltv, BigInteger borrowShares, BigInteger collateral, MarketConditions at) {
        BigInteger debt =
                Shares.toAssetsUp(borrowShares, at.totalBorrowAssets(), at.totalBorrowShares());
        return Risk.healthFactor(Risk.collateralValue(collateral, at.price()), lltv, debt);
    }

    private static int bucketOf(BigInteger collateral) {
        return collateral.bitLength() - 1;
    }

    /**
     * One threshold h at one set of conditions, with its floating-point bounds (see the class
     * comment): a key above {@code sure} is below h for certain; in bucket k a key under {@code
     * lower[k]} is not.
     */
    public final class Query {

        private final BigInteger threshold;
        private final MarketConditions at;
        final double sure;
        final double[] lower = new double[256];

        private Query(BigInteger h, MarketConditions at) {
            if (h.signum() <= 0) {
                throw new IllegalArgumentException(
                        "a health factor threshold must be positive, was " + h);
            }
            this.threshold = h;
            this.at = at;
            double hd = h.doubleValue();
            double indexInverse =
                    at.totalBorrowShares().add(Shares.VIRTUAL_SHARES).doubleValue()
                            / at.totalBorrowAssets()
                                    .add(Shares.VIRTUAL_ASSETS)
                                    .doubleValue(); // D / N
            double t = at.price().doubleValue() / PRICE_SCALE * (lltvDouble / hd) * indexInverse;
            sure = t * (1 + MARGIN);
            double start = t * (1 - 2 * MARGIN);
            // The guard band B·D/N in key units for collateral 1, rounded up; bucket k's is this /
            // 2^k.
            double band = ((WAD + lltvDouble) / hd + 1) * indexInverse * (1 + MARGIN);
            for (int k = 0; k < 256; k++) {
                double bound = start - Math.scalb(band, -k);
                lower[k] = bound > 0 ? bound * (1 - MARGIN) : Double.NEGATIVE_INFINITY;
            }
        }

        /** Whether the position's health factor is below the threshold: exact. */
        public boolean isBelow(Entry e) {
            return e.collateral().signum() == 0 || isBelow(e.key(), e, bucketOf(e.collateral()));
        }

        private boolean isBelow(double key, Entry e, int bucket) {
            if (key > sure) {
                return true;
            }
            if (key < lower[bucket]) {
                return false;
            }
            return LiquidationIndex.this.isBelow(threshold, e, at);
        }
    }
}
