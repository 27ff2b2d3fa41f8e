package io.freehold.node.risk;

import io.freehold.node.ingest.AppliedRange;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.StateListener;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.MarketRecord;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every position's risk current as the follower applies blocks: collateral value, debt
 * accrued to the block, LTV, health factor, liquidation price and max borrowable, equal to the
 * pool's views at that block; each position's {@link HealthBand}; and each market's flags (stale or
 * missing price, paused token, an oracle the node does not follow), under which the node never
 * liquidates.
 *
 * <p>Per step it re-reads only what moved: the positions the step changed, and in every market (the
 * passing of time moves every debt) the positions whose band may have changed with the new price
 * and borrow index, found by a range query on the market's {@link LiquidationIndex}. Bands are
 * therefore always exact without valuing every position; the numbers themselves are valued when
 * read.
 *
 * <p>Threads: the follower's thread writes ({@link #applied}, {@link #reset}; serialized, also when
 * a reset comes from the thread that registers the engine); readers on any thread see whole steps
 * only: a step is computed aside and made visible under a write lock held for the time it takes to
 * swap it in. Listeners are told of band crossings after that, on the writer's thread.
 */
public final class RiskEngine implements StateListener {

    private static final Logger LOG = LoggerFactory.getLogger(RiskEngine.class);
    // Positions copied out per hold of the read lock (they are valued after it is released): the
    // follower never waits for more than that copy; large enough that the O(log n) seeks are rare.
    private static final int WALK_CHUNK = 256;

    private final RiskConfiguration config;
    private final Address followedOracle;
    private final Object writer = new Object();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<MarketId, MarketBook> books = new ConcurrentHashMap<>();
    private final List<RiskListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Checkpoint asOf;

    /**
     * @param followedOracle the oracle whose appraisals the node follows: a market priced by
     *     another is flagged {@link MarketFlag#ORACLE_NOT_FOLLOWED}
     */
    public RiskEngine(RiskConfiguration config, Address followedOracle) {
        this.config = Objects.requireNonNull(config, "config");
        this.followedOracle = Objects.requireNonNull(followedOracle, "followedOracle");
    }

    public void addListener(RiskListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(RiskListener listener) {
        listeners.remove(listener);
    }

    // ---- writes, from the follower --------------------------------------------------------------

    @Override
    public void applied(AppliedRange range, ChainState state) {
        synchronized (writer) {
            Optional<Checkpoint> checkpoint = state.checkpoint();
            if (checkpoint.isEmpty()) {
                return;
            }
            List<BandCrossing> crossings;
            try {
                crossings = step(range, state, checkpoint.get());
            } catch (RuntimeException e) {
                // Nothing of the step was published; start again from the state rather than drift.
                LOG.error(
                        "the risk engine failed on blocks {}..{}; rebuilding it from the state",
                        range.fromBlock(),
                        range.toBlock(),
                        e);
                crossings = rebuild(state);
            }
            tell(crossings);
        }
    }

    @Override
    public void reset(ChainState state) {
        synchronized (writer) {
            tell(rebuild(state));
        }
    }

    private List<BandCrossing> step(AppliedRange range, ChainState state, Checkpoint checkpoint) {
        Map<MarketId, List<Address>> changed = new HashMap<>();
        range.positions()
                .forEach(
                        p ->
                                changed.computeIfAbsent(p.marketId(), id -> new ArrayList<>())
                                        .add(p.account()));
        Map<MarketBook, MarketBook.Step> steps = new LinkedHashMap<>();
        Map<MarketId, MarketBook> created = new HashMap<>();
        for (MarketRecord market : state.markets()) {
            MarketBook book = books.get(market.id());
            if (book == null) {
                book = new MarketBook(market, config.warningHealthFactorWad());
                created.put(market.id(), book);
            }
            MarketSnapshot next =
                    MarketSnapshot.of(market, state, checkpoint, config, followedOracle);
            steps.put(
                    book, book.advance(next, state, changed.getOrDefault(market.id(), List.of())));
        }
        lock.writeLock().lock();
        try {
            books.putAll(created);
            steps.forEach(MarketBook::publish);
            asOf = checkpoint;
        } finally {
            lock.writeLock().unlock();
        }
        return crossings(steps);
    }

    private List<BandCrossing> rebuild(ChainState state) {
        Optional<Checkpoint> checkpoint = state.checkpoint();
        Map<MarketId, MarketBook> rebuilt = new HashMap<>();
        Map<MarketBook, MarketBook.Step> steps = new LinkedHashMap<>();
        if (checkpoint.isPresent()) {
            // Markets are independent (each book has its own index and maps, the state is only
            // read), so
            // they are built on every core: at a restart this is most of the time before serving.
            List<Map.Entry<MarketBook, MarketBook.Step>> built =
                    new ArrayList<>(state.markets())
                            .parallelStream()
                                    .map(
                                            market -> {
                                                MarketBook book =
                                                        new MarketBook(
                                                                market,
                                                                config.warningHealthFactorWad());
                                                MarketSnapshot next =
                                                        MarketSnapshot.of(
                                                                market,
                                                                state,
                                                                checkpoint.get(),
                                                                config,
                                                                followedOracle);
                                                MarketBook.Step step =
                                                        book.rebuild(
                                                                next,
                                                                state,
                                                                books.get(market.id()));
                                                book.publish(
                                                        step); // no reader sees a new book before
                                                // it is swapped in below
                                                return Map.entry(book, step);
                                            })
                                    .toList();
            for (Map.Entry<MarketBook, MarketBook.Step> e : built) {
                steps.put(e.getKey(), e.getValue());
                rebuilt.put(e.getValue().snapshot().record.id(), e.getKey());
            }
        }
        lock.writeLock().lock();
        try {
            books.clear();
            books.putAll(rebuilt);
            asOf = checkpoint.orElse(null);
        } finally {
            lock.writeLock().unlock();
        }
        return crossings(steps);
    }

    private static List<BandCrossing> crossings(Map<MarketBook, MarketBook.Step> steps) {
        List<BandCrossing> crossings = new ArrayList<>();
        steps.forEach(
                (book, step) -> {
                    MarketSnapshot snapshot = step.snapshot();
                    for (MarketBook.Crossed c : step.crossed()) {
                        TrackedPosition now = step.puts().get(c.account());
                        crossings.add(
                                new BandCrossing(
                                        snapshot.record.id(),
                                        c.account(),
                                        c.from(),
                                        now.band(),
                                        snapshot.asOf,
                                        () -> snapshot.value(now)));
                    }
                });
        return crossings;
    }

    private void tell(List<BandCrossing> crossings) {
        if (crossings.isEmpty()) {
            return;
        }
        List<BandCrossing> told = List.copyOf(crossings);
        for (RiskListener l : listeners) {
            try {
                l.crossed(told);
            } catch (RuntimeException e) {
                LOG.error("risk listener {} failed on {} band crossing(s)", l, told.size(), e);
            }
        }
    }

    // ---- reads, from any thread
    // --------------------------------------------------------------------

    /** The block the engine's numbers are for; empty before the first block. */
    public Optional<Checkpoint> asOf() {
        return Optional.ofNullable(asOf);
    }

    /**
     * The position's risk now, or empty if the market does not exist or the account never had a
     * position in it.
     */
    public Optional<PositionRisk> risk(MarketId marketId, Address account) {
        MarketSnapshot snapshot;
        TrackedPosition tracked;
        lock.readLock().lock();
        try {
            MarketBook book = books.get(marketId);
            if (book == null) {
                return Optional.empty();
            }
            snapshot = book.snapshot;
            tracked = book.positions.get(account);
        } finally {
            lock.readLock().unlock();
        }
        return tracked == null ? Optional.empty() : Optional.of(snapshot.valueForRead(tracked));
    }

    /**
     * Every position of the market (lenders and emptied positions included), by account. Values
     * each one: O(n) BigInteger work on the caller's thread.
     */
    public List<PositionRisk> positions(MarketId marketId) {
        MarketSnapshot snapshot;
        List<TrackedPosition> tracked;
        lock.readLock().lock();
        try {
            MarketBook book = books.get(marketId);
            if (book == null) {
                return List.of();
            }
            snapshot = book.snapshot;
            tracked =
                    new ArrayList<>(book.positions.values()); // in account order: the map is sorted
        } finally {
            lock.readLock().unlock();
        }
        return tracked.stream().map(snapshot::value).toList();
    }

    /**
     * A page of the market's positions (lenders and emptied positions included), by account: those
     * after {@code after} (exclusive; null: from the first) that {@code filter} accepts and, when
     * {@code healthFactorBelow} is set, that have debt and a health factor below it; at most {@code
     * limit}. Empty if the market does not exist.
     *
     * <p>Cost: O(log n) to find the start, then one valuation per position walked, so a page
     * without a health filter costs O(limit · log n) whatever the market's size. With a health
     * filter at or under the warning threshold only the market's WARNING and LIQUIDATABLE positions
     * are walked (a health factor below it puts a position in one of those bands); above it, every
     * position from the start until the page fills.
     *
     * <p>Every position of a page is valued at one snapshot of the market. The walk reads the book
     * in chunks under the read lock and values outside it, so a long filtered walk does not hold up
     * the follower; if a step is published mid-walk the walk starts again at the new snapshot, and
     * the second time round it holds the read lock to the end so that it always finishes.
     */
    public List<PositionRisk> positions(
            MarketId marketId,
            Address after,
            int limit,
            BigInteger healthFactorBelow,
            Predicate<PositionRisk> filter) {
        if (limit <= 0) {
            return List.of();
        }
        Predicate<PositionRisk> accepts =
                healthFactorBelow == null
                        ? filter
                        : p ->
                                p.debt().signum() > 0
                                        && p.healthFactor().compareTo(healthFactorBelow) < 0
                                        && filter.test(p);
        boolean atRiskOnly =
                healthFactorBelow != null
                        && healthFactorBelow.compareTo(config.warningHealthFactorWad()) <= 0;
        for (int attempt = 0; ; attempt++) {
            List<PositionRisk> page =
                    walk(marketId, after, limit, atRiskOnly, accepts, attempt > 0);
            if (page != null) {
                return page;
            }
        }
    }

    /**
     * One walk of {@link #positions(MarketId, Address, int, BigInteger, Predicate)}; null: a step
     * came in between.
     */
    private List<PositionRisk> walk(
            MarketId marketId,
            Address after,
            int limit,
            boolean atRiskOnly,
            Predicate<PositionRisk> accepts,
            boolean holdLock) {
        List<PositionRisk> page = new ArrayList<>();
        MarketSnapshot at = null;
        Address cursor = after;
        List<TrackedPosition> chunk = new ArrayList<>(WALK_CHUNK);
        if (holdLock) {
            lock.readLock().lock();
        }
        try {
            while (true) {
                chunk.clear();
                MarketSnapshot snapshot;
                lock.readLock().lock();
                try {
                    MarketBook book = books.get(marketId);
                    if (book == null) {
                        return at == null ? List.of() : null; // the market went away with a rebuild
                    }
                    snapshot = book.snapshot;
                    if (at != null && snapshot != at) {
                        return null;
                    }
                    if (atRiskOnly) {
                        for (Address a :
                                cursor == null ? book.atRisk : book.atRisk.tailSet(cursor, false)) {
                            chunk.add(book.positions.get(a));
                            if (chunk.size() == WALK_CHUNK) {
                                break;
                            }
                        }
                    } else {
                        for (TrackedPosition t :
                                (cursor == null
                                                ? book.positions
                                                : book.positions.tailMap(cursor, false))
                                        .values()) {
                            chunk.add(t);
                            if (chunk.size() == WALK_CHUNK) {
                                break;
                            }
                        }
                    }
                } finally {
                    lock.readLock().unlock();
                }
                at = snapshot;
                for (TrackedPosition t : chunk) {
                    PositionRisk p = snapshot.valueForRead(t);
                    if (accepts.test(p)) {
                        page.add(p);
                        if (page.size() == limit) {
                            return page;
                        }
                    }
                }
                if (chunk.size() < WALK_CHUNK) {
                    return page;
                }
                cursor = chunk.get(chunk.size() - 1).position().account();
            }
        } finally {
            if (holdLock) {
                lock.readLock().unlock();
            }
        }
    }

    /**
     * The positions the node may liquidate now: health factor below 1 in a market without flags. A
     * flagged market's unhealthy positions are not here; {@link #markets()} says why. By market,
     * then account.
     */
    public List<PositionRisk> liquidatable() {
        List<Map.Entry<MarketSnapshot, TrackedPosition>> found = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (MarketBook book : books.values()) {
                MarketSnapshot snapshot = book.snapshot;
                if (snapshot.flagged()) {
                    continue;
                }
                for (Address account : book.atRisk) {
                    TrackedPosition t = book.positions.get(account);
                    if (t.band() == HealthBand.LIQUIDATABLE) {
                        found.add(Map.entry(snapshot, t));
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return found.stream()
                .map(e -> e.getKey().value(e.getValue()))
                .sorted(
                        Comparator.comparing(PositionRisk::marketId)
                                .thenComparing(PositionRisk::account))
                .toList();
    }

    /** Every market's price, age, flags and borrowers by band, by market id. */
    public List<MarketRisk> markets() {
        List<MarketSnapshot> snapshots = new ArrayList<>();
        lock.readLock().lock();
        try {
            books.values().forEach(b -> snapshots.add(b.snapshot));
        } finally {
            lock.readLock().unlock();
        }
        return snapshots.stream()
                .map(MarketSnapshot::risk)
                .sorted(Comparator.comparing(MarketRisk::marketId))
                .toList();
    }

    public Optional<MarketRisk> market(MarketId marketId) {
        MarketBook book = books.get(marketId);
        return book == null ? Optional.empty() : Optional.of(book.snapshot.risk());
    }
}
