package io.freehold.contracts.math.aave;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The accounts with debt of an Aave pool whose health factor is below one threshold, found after
 * each step without valuing every account: each account is valued exactly once, then carries a
 * <b>certificate</b> — a trigger price per price feed it is exposed to and a deadline — that proves
 * it is not below the threshold as long as every feed is on the safe side of its trigger and the
 * time is before the deadline. A step values again only the accounts whose certificate may no
 * longer hold.
 *
 * <p><b>Why a certificate and not a crossing price per reserve.</b> With several collaterals the
 * price of reserve R at which an account crosses depends on every other price the account holds: a
 * key computed with the others as they were goes stale when any of them moves, and keeping it exact
 * would revalue every holder of a reserve whose price moved. A certificate gives every feed of the
 * account a margin at once, so a move of one feed that stays inside its margin needs nothing (the
 * others' triggers are still valid), and a move past it fires the trigger, which is a range query
 * on that feed's sorted triggers.
 *
 * <p><b>The proof.</b> Below the threshold h (WAD) means {@code wadDiv(X, TD) < h} with {@code X =
 * percentMul(TC, avgThreshold)}. {@code X · 1e18 ≥ h · TD} makes it at least h, and {@code X} loses
 * to the roundings (each collateral's value floored, the average threshold floored, {@code
 * percentMul}) less than one basis point of each collateral plus {@code n + 1/2} base units (n
 * collaterals). So with real amounts {@code a_i} (collateral) and {@code d_j} (debt) at prices
 * {@code p}: not below if {@code Σ a_i p_i (LT_i − 1) / (1e4 u_i) − (h/1e18) Σ d_j p_j / u_j ≥ n +
 * 1}. This is linear in the prices: per feed f (the oracle asset that prices a reserve for this
 * account: its own, or its eMode category's price source) a coefficient {@code α_f}, positive when
 * the account is net collateral in f. Over time collateral only grows (the liquidity index never
 * falls) and each debt grows by at most {@code exp(ρ_j Δt)} and half a wei (ρ_j the reserve's rate
 * ceiling, below), so with {@code α_f(H)} the coefficients with the debts grown by that factor over
 * H seconds, an account is not below at any time up to {@code t0 + H} and any prices with {@code
 * p_f ≥ q_f} where {@code α_f(H) ≥ 0} and {@code p_f ≤ q_f} where {@code α_f(H) < 0}, provided
 * {@code Σ α_f(H) q_f ≥ n + 1}. The triggers {@code q} and the horizon H are chosen so (half the
 * account's margin for interest, most of the rest spread as one relative move δ of every feed), and
 * checked in doubles with every term widened against it (1e-9 relative); an account whose margin
 * does not allow it — at or near the threshold, or below — is <b>hot</b>: valued at every step.
 *
 * <p><b>What a step values again</b>: the accounts the book's journal says changed ({@link
 * AaveBook#accountsChangedSince}: positions, bits, eMode); those whose trigger the feed's current
 * price reached (for each feed, a range of its sorted triggers); those whose deadline passed; the
 * hot ones; every holder of a reserve whose configuration word changed or that was dropped or added
 * again, and every account of an eMode category that changed; and every holder of a reserve whose
 * variable debt index grew faster than its ceiling allows since the previous step (checked exactly
 * at each step, so intermediate rates within a step do not matter) or whose current rate exceeds it
 * — the ceiling is then doubled (at least twice the current rate, 2 % at least). A ceiling is
 * lowered (to twice the rate, when the rate is under a quarter of it) without revaluing anyone: the
 * stricter check implies the looser one every older certificate assumed. A reserve's price source
 * changing is a change of that feed's price, caught by the triggers. Every other account is proved
 * not below, so the answer — the valued accounts whose exact {@link AaveBook#accountData} is below
 * h — equals a full scan's ({@link #scan}). Doubles only choose what to value; the decision is the
 * book's integer math.
 *
 * <p><b>What it costs.</b> A step is O(reserves + feeds · log n) plus the accounts valued: those
 * changed, near the line, or whose feed moved past their margin. A move of one feed by x % revalues
 * the accounts whose margin in that feed is under x % (about those within x % of the line in
 * health-factor terms); other holders are untouched. Rare, market-wide events revalue a reserve's
 * holders: a configuration change, a rate past its ceiling (at most once per doubling). A book that
 * is not a descendant of the one the index last saw (a reorg, a resync, a restart, a journal cut)
 * or an earlier timestamp rebuilds the index: one valuation of every account.
 *
 * <p>Pure, like the book (no chain, no node): the node's {@code AaveUnhealthyAccounts} keeps one
 * per threshold and serializes it. Not thread-safe.
 */
public final class AaveHealthIndex {

    /** The answer of one step: the accounts below, and how many accounts were valued for it. */
    public record Step(Map<Address, AccountData> below, int valued, boolean rebuilt) {}

    private static final double YEAR = AaveInterest.SECONDS_PER_YEAR.doubleValue();
    private static final double RAY = RayMath.RAY.doubleValue();
    private static final double WAD = RayMath.WAD.doubleValue();

    /** Relative widening of every double against the proof (each is within ~1e-15 of its value). */
    private static final double WIDEN = 1e-9;

    /**
     * The widening of the index-growth check, which compares two figures a step apart: small, so
     * that a ceiling twice the rate passes for one-second blocks.
     */
    private static final double GROWTH_WIDEN = 1e-13;

    /** A ceiling below this (a year's rate) is raised to it: rates at rest are often zero. */
    private static final double MIN_CEILING = 0.02;

    /** The longest deadline, so that a market without interest still revalues once a decade. */
    private static final long MAX_HORIZON = 10L * 365 * 24 * 3600;

    /** Part of an account's margin given to interest; the rest to prices. */
    private static final double TIME_SHARE = 0.5;

    /**
     * Part of what is left after interest that the price triggers use (the rest absorbs doubles).
     */
    private static final double PRICE_SHARE = 0.9;

    private final BigInteger threshold;
    private final double thresholdScale;

    /** Where the book's journal was at the last step; null before the first. */
    private AaveBook.ChangeMark mark;

    private long timestamp;
    private final Map<Address, Certificate> certificates = new HashMap<>();
    private final Set<Address> hot = new HashSet<>();
    private final Map<Address, NavigableSet<Trigger>> falls = new HashMap<>();
    private final Map<Address, NavigableSet<Trigger>> rises = new HashMap<>();
    private final NavigableSet<Deadline> deadlines = new TreeSet<>();
    private final Map<Address, Set<Address>> holders = new HashMap<>();
    private final Map<Integer, Set<Address>> eModeMembers = new HashMap<>();
    private final Map<Address, ReserveWatch> reserves = new HashMap<>();
    private Map<Integer, EModeCategory> categories = Map.of();

    /** An index for health factors below {@code threshold} (WAD; 1e18 is the pool's line). */
    public AaveHealthIndex(BigInteger threshold) {
        if (threshold.signum() <= 0) {
            throw new IllegalArgumentException("a health factor threshold must be positive");
        }
        this.threshold = threshold;
        this.thresholdScale = threshold.doubleValue() / WAD;
    }

    public BigInteger threshold() {
        return threshold;
    }

    /** The accounts indexed: those with a borrowing bit. */
    public int size() {
        return certificates.size();
    }

    /**
     * Brings the index to {@code book} at {@code time} (a block's timestamp, no earlier than the
     * book's last block) and answers the accounts with debt whose health factor is below the
     * threshold, with {@code getUserAccountData}'s figures at that time, in address order.
     */
    public Step step(AaveBook book, long time) {
        Optional<Set<Address>> changed =
                mark == null || time < timestamp
                        ? Optional.empty()
                        : book.accountsChangedSince(mark);
        if (changed.isEmpty()) {
            return rebuild(book, time);
        }
        Set<Address> candidates = new HashSet<>(changed.get());
        watchReserves(book, time, candidates);
        watchCategories(book, candidates);
        for (Map.Entry<Address, NavigableSet<Trigger>> e : falls.entrySet()) {
            // Fires when the price is at or below the trigger (widened for the double).
            double p = book.price(e.getKey()).doubleValue() / (1 + WIDEN);
            e.getValue()
                    .tailSet(new Trigger(p, null), true)
                    .forEach(t -> candidates.add(t.account));
        }
        for (Map.Entry<Address, NavigableSet<Trigger>> e : rises.entrySet()) {
            double p = book.price(e.getKey()).doubleValue() / (1 - WIDEN);
            e.getValue()
                    .headSet(new Trigger(Math.nextUp(p), null), false)
                    .forEach(t -> candidates.add(t.account));
        }
        for (Deadline d : deadlines.headSet(new Deadline(time, null), true)) {
            candidates.add(d.account);
        }
        candidates.addAll(hot);
        Map<Address, AccountData> below = new TreeMap<>();
        for (Address account : candidates) {
            AccountData data = certify(book, account, time);
            if (data != null) {
                below.put(account, data);
            }
        }
        mark = book.changeMark();
        timestamp = time;
        return new Step(below, candidates.size(), false);
    }

    /** Every account valued and certified afresh: the first step, and after another history. */
    private Step rebuild(AaveBook book, long time) {
        certificates.clear();
        hot.clear();
        falls.clear();
        rises.clear();
        deadlines.clear();
        holders.clear();
        eModeMembers.clear();
        reserves.clear();
        watchReserves(book, time, new HashSet<>());
        categories = Map.copyOf(book.eModeCategories());
        Map<Address, AccountData> below = new TreeMap<>();
        for (Address account : book.accounts()) {
            AccountData data = certify(book, account, time);
            if (data != null) {
                below.put(account, data);
            }
        }
        mark = book.changeMark();
        timestamp = time;
        return new Step(below, book.accounts().size(), true);
    }

    /**
     * The reference the index replaces: every account with debt valued. Kept for tests and
     * benchmarks, which compare the two.
     */
    public static Map<Address, AccountData> scan(AaveBook book, long time, BigInteger threshold) {
        Map<Address, AccountData> out = new TreeMap<>();
        for (Address account : book.accounts()) {
            if (!borrows(book, account)) {
                continue;
            }
            AccountData data = book.accountData(account, time);
            if (data.healthFactor().compareTo(threshold) < 0) {
                out.put(account, data);
            }
        }
        return out;
    }

    private static boolean borrows(AaveBook book, Address account) {
        return book.positions(account).values().stream().anyMatch(AaveUserReserve::borrowing);
    }

    // ---- market-wide changes ----

    /** What the index last saw of a reserve, and the rate ceiling its certificates assume. */
    private record ReserveWatch(
            ReserveConfiguration configuration,
            BigInteger normalizedIncome,
            BigInteger normalizedDebt,
            long time,
            double ceiling) {}

    private void watchReserves(AaveBook book, long time, Set<Address> candidates) {
        for (Address asset : List.copyOf(reserves.keySet())) {
            if (book.reserveOf(asset) == null) {
                reserves.remove(asset);
                candidates.addAll(holders.getOrDefault(asset, Set.of()));
            }
        }
        for (AaveReserve reserve : book.reserves().values()) {
            ReserveWatch was = reserves.get(reserve.asset());
            BigInteger income = reserve.normalizedIncome(time);
            BigInteger debt = reserve.normalizedDebt(time);
            double rate = reserve.variableBorrowRate().doubleValue() / RAY;
            double ceiling = was == null ? Math.max(2 * rate, MIN_CEILING) : was.ceiling;
            if (was == null) {
                // A reserve (again) after positions in its asset were kept: they count now.
                candidates.addAll(holders.getOrDefault(reserve.asset(), Set.of()));
            } else {
                boolean same = was.configuration.equals(reserve.configuration());
                boolean incomeHeld = income.compareTo(was.normalizedIncome) >= 0;
                boolean debtHeld =
                        debt.compareTo(was.normalizedDebt) <= 0
                                || debt.doubleValue() * (1 + GROWTH_WIDEN)
                                        <= was.normalizedDebt.doubleValue()
                                                * Math.exp(ceiling * (time - was.time) / YEAR);
                if (!debtHeld || rate > ceiling) {
                    ceiling = Math.max(2 * rate, 2 * ceiling);
                } else if (4 * rate < ceiling && ceiling > MIN_CEILING) {
                    // Lowered without revaluing: the check against a lower ceiling implies every
                    // higher one a certificate was made with.
                    ceiling = Math.max(2 * rate, MIN_CEILING);
                }
                if (!same || !incomeHeld || !debtHeld || ceiling > was.ceiling) {
                    candidates.addAll(holders.getOrDefault(reserve.asset(), Set.of()));
                }
            }
            reserves.put(
                    reserve.asset(),
                    new ReserveWatch(reserve.configuration(), income, debt, time, ceiling));
        }
    }

    private void watchCategories(AaveBook book, Set<Address> candidates) {
        Map<Integer, EModeCategory> now = book.eModeCategories();
        if (now.equals(categories)) {
            return;
        }
        Set<Integer> ids = new HashSet<>(now.keySet());
        ids.addAll(categories.keySet());
        for (int id : ids) {
            if (!java.util.Objects.equals(now.get(id), categories.get(id))) {
                candidates.addAll(eModeMembers.getOrDefault(id, Set.of()));
            }
        }
        categories = Map.copyOf(now);
    }

    // ---- one account ----

    /** An account's trigger price in one feed. */
    private record Trigger(double price, Address account) implements Comparable<Trigger> {
        private static final Comparator<Trigger> ORDER =
                Comparator.comparingDouble(Trigger::price)
                        .thenComparing(
                                Trigger::account, Comparator.nullsFirst(Comparator.naturalOrder()));

        @Override
        public int compareTo(Trigger o) {
            return ORDER.compare(this, o);
        }
    }

    private record Deadline(long time, Address account) implements Comparable<Deadline> {
        private static final Comparator<Deadline> ORDER =
                Comparator.comparingLong(Deadline::time)
                        .thenComparing(
                                Deadline::account, Comparator.nullsLast(Comparator.naturalOrder()));

        @Override
        public int compareTo(Deadline o) {
            return ORDER.compare(this, o);
        }
    }

    /** Where an account is filed, to unfile it: its triggers, deadline, reserves and category. */
    private record Certificate(
            Map<Address, Double> falls,
            Map<Address, Double> rises,
            long deadline,
            boolean hot,
            List<Address> reserves,
            int eModeCategory) {}

    /**
     * Values {@code account} exactly and files its new certificate (or makes it hot); returns its
     * account data when it is below the threshold, else null. An account without a borrowing bit is
     * not filed.
     */
    private AccountData certify(AaveBook book, Address account, long time) {
        forget(account);
        if (!borrows(book, account)) {
            return null;
        }
        List<AaveBook.Exposure> exposures = book.exposures(account, time);
        AccountData data = AaveBook.accountData(exposures);
        boolean below = data.healthFactor().compareTo(threshold) < 0;
        Map<Address, Double> fallAt = new HashMap<>();
        Map<Address, Double> riseAt = new HashMap<>();
        long deadline = below ? HOT : certificate(exposures, time, fallAt, riseAt);
        boolean isHot = deadline == HOT;
        List<Address> held = new ArrayList<>();
        book.positions(account)
                .forEach(
                        (asset, p) -> {
                            if (p.collateral() || p.borrowing()) {
                                held.add(asset);
                                holders.computeIfAbsent(asset, a -> new HashSet<>()).add(account);
                            }
                        });
        int category = book.eModeOf(account);
        if (category != 0) {
            eModeMembers.computeIfAbsent(category, c -> new HashSet<>()).add(account);
        }
        if (isHot) {
            hot.add(account);
            fallAt.clear();
            riseAt.clear();
        } else {
            fallAt.forEach(
                    (feed, q) ->
                            falls.computeIfAbsent(feed, f -> new TreeSet<>())
                                    .add(new Trigger(q, account)));
            riseAt.forEach(
                    (feed, q) ->
                            rises.computeIfAbsent(feed, f -> new TreeSet<>())
                                    .add(new Trigger(q, account)));
            deadlines.add(new Deadline(deadline, account));
        }
        certificates.put(account, new Certificate(fallAt, riseAt, deadline, isHot, held, category));
        return below ? data : null;
    }

    private void forget(Address account) {
        Certificate c = certificates.remove(account);
        if (c == null) {
            return;
        }
        if (c.hot) {
            hot.remove(account);
        } else {
            c.falls.forEach((feed, q) -> unfile(falls, feed, new Trigger(q, account)));
            c.rises.forEach((feed, q) -> unfile(rises, feed, new Trigger(q, account)));
            deadlines.remove(new Deadline(c.deadline, account));
        }
        for (Address asset : c.reserves) {
            Set<Address> set = holders.get(asset);
            if (set != null && set.remove(account) && set.isEmpty()) {
                holders.remove(asset);
            }
        }
        if (c.eModeCategory != 0) {
            Set<Address> set = eModeMembers.get(c.eModeCategory);
            if (set != null && set.remove(account) && set.isEmpty()) {
                eModeMembers.remove(c.eModeCategory);
            }
        }
    }

    private static void unfile(
            Map<Address, NavigableSet<Trigger>> side, Address feed, Trigger trigger) {
        NavigableSet<Trigger> set = side.get(feed);
        if (set != null && set.remove(trigger) && set.isEmpty()) {
            side.remove(feed);
        }
    }

    /** One feed's share of an account: its collateral coefficient and its debts by reserve. */
    private static final class Feed {
        final double price;
        double collateral; // Σ a_i (LT_i − 1) / (1e4 u_i), widened down
        final List<double[]> debts = new ArrayList<>(); // {(d + 1/2)·h/u, 1/2·h/u, ceiling}

        Feed(double price) {
            this.price = price;
        }

        /** α_f(H): the coefficient of this feed's price with every debt grown over H seconds. */
        double coefficient(long horizon) {
            double c = collateral;
            for (double[] d : debts) {
                double growth = horizon == 0 ? 1 : Math.exp(d[2] * horizon / YEAR) * (1 + WIDEN);
                c -= (d[0] * growth + d[1]) * (1 + WIDEN);
            }
            return c;
        }
    }

    /** {@link #certificate}'s answer for an account without one. */
    private static final long HOT = Long.MIN_VALUE;

    /**
     * Chooses the triggers and the horizon of a certificate for these exposures, into {@code
     * fallAt}/{@code riseAt}; returns its deadline, or {@link #HOT} when the account's margin is
     * too small for one.
     */
    private long certificate(
            List<AaveBook.Exposure> exposures,
            long time,
            Map<Address, Double> fallAt,
            Map<Address, Double> riseAt) {
        Map<Address, Feed> feeds = new HashMap<>();
        int collaterals = 0;
        double maxCeiling = 0;
        for (AaveBook.Exposure e : exposures) {
            Feed f = feeds.computeIfAbsent(e.priceAsset(), a -> new Feed(e.price().doubleValue()));
            double unit = e.unit().doubleValue();
            if (e.collateral().signum() != 0) {
                if (e.liquidationThreshold() == 0) {
                    // Counted at a zero threshold (an eMode category without one): its growth
                    // would widen the rounding the bound allows for, so no certificate.
                    return HOT;
                }
                collaterals++;
                // Non-negative: the threshold is at least one basis point.
                f.collateral +=
                        e.collateral().doubleValue()
                                * (e.liquidationThreshold() - 1)
                                / (1e4 * unit)
                                * (1 - WIDEN);
            }
            if (e.debt().signum() != 0) {
                double ceiling = reserves.get(e.asset()).ceiling;
                maxCeiling = Math.max(maxCeiling, ceiling);
                f.debts.add(
                        new double[] {
                            (e.debt().doubleValue() + 0.5) * thresholdScale / unit,
                            0.5 * thresholdScale / unit,
                            ceiling
                        });
            }
        }
        double absolute = collaterals + 1;
        double now = -absolute;
        double debtValue = 0;
        for (Feed f : feeds.values()) {
            now += f.coefficient(0) * f.price;
            for (double[] d : f.debts) {
                debtValue += (d[0] + d[1]) * f.price;
            }
        }
        if (!(now > 0)) {
            return HOT;
        }
        long horizon =
                maxCeiling == 0 || debtValue == 0
                        ? MAX_HORIZON
                        : (long)
                                Math.min(
                                        MAX_HORIZON,
                                        YEAR
                                                * Math.log1p(TIME_SHARE * now / debtValue)
                                                / maxCeiling);
        double left = margin(feeds, horizon, absolute);
        if (!(left > 0)) {
            horizon = 0;
            left = now;
        }
        double spread = 0;
        for (Feed f : feeds.values()) {
            spread += Math.abs(f.coefficient(horizon)) * f.price;
        }
        double delta = PRICE_SHARE * left / spread;
        // The certificate, checked: Σ α_f(H) q_f − (n + 1) must stay above the doubles' error.
        double atTriggers = -absolute;
        double scale = absolute;
        for (Map.Entry<Address, Feed> e : feeds.entrySet()) {
            Feed f = e.getValue();
            double alpha = f.coefficient(horizon);
            if (alpha >= 0) {
                double q = delta >= 1 ? 0 : f.price * (1 - delta);
                if (q > 0) {
                    fallAt.put(e.getKey(), q);
                }
                atTriggers += alpha * q;
                scale += alpha * q;
            } else {
                double q = f.price * (1 + delta);
                riseAt.put(e.getKey(), q);
                atTriggers += alpha * q;
                scale -= alpha * q;
            }
        }
        if (!(atTriggers > WIDEN * scale) || !Double.isFinite(scale)) {
            fallAt.clear();
            riseAt.clear();
            return HOT;
        }
        return time + horizon;
    }

    private static double margin(Map<Address, Feed> feeds, long horizon, double absolute) {
        double w = -absolute;
        for (Feed f : feeds.values()) {
            w += f.coefficient(horizon) * f.price;
        }
        return w;
    }
}
