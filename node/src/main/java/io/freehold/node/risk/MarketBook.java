package io.freehold.node.risk;

import io.freehold.contracts.math.FixedPoint;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.SortedEntries;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One market in the risk engine. The writer (the follower's thread) computes a step's changes with
 * {@link #advance} or {@link #rebuild} without touching what readers see, then {@link #publish}es
 * them under the engine's write lock; readers take {@link #snapshot} and {@link #positions} under
 * its read lock.
 */
final class MarketBook {

    /** A step's changes, computed by the writer, not yet visible. */
    record Step(
            MarketSnapshot snapshot, Map<Address, TrackedPosition> puts, List<Crossed> crossed) {}

    /** A position that changed band, before its risk is valued. */
    record Crossed(HealthBand from, Address account) {}

    // Read by readers (under the engine's read lock), changed only in publish (under its write
    // lock).
    // Sorted by account so that a page of ListPositions seeks to its token in O(log n) and reads
    // only
    // what it returns, instead of copying and sorting the whole market per page.
    // Replaced whole only while it is empty (a new book's first publish, see there).
    ConcurrentNavigableMap<Address, TrackedPosition> positions = new ConcurrentSkipListMap<>();
    // Band WARNING or LIQUIDATABLE; sorted too, so a page filtered on a low health factor walks
    // only these.
    final NavigableSet<Address> atRisk = new ConcurrentSkipListSet<>();
    volatile MarketSnapshot snapshot;

    // The writer's alone.
    private final LiquidationIndex index;
    private final List<BigInteger> thresholds;
    private final Set<Address> unconfirmed = new HashSet<>(); // accounts with an unconfirmed mark
    private final EnumMap<HealthBand, Integer> borrowers = new EnumMap<>(HealthBand.class);
    private MarketConditions conditions;

    MarketBook(MarketRecord record, BigInteger warningHealthFactor) {
        this.index = new LiquidationIndex(record.params().lltv());
        this.thresholds = List.of(FixedPoint.WAD, warningHealthFactor);
        for (HealthBand band : HealthBand.values()) {
            borrowers.put(band, 0);
        }
    }

    /**
     * The step to {@code next}: the positions in {@code changed} re-read from {@code state} and
     * valued; every other position whose band may have moved with the price or the borrow index
     * (found by the index) valued again; unconfirmed marks refreshed.
     */
    Step advance(MarketSnapshot next, ChainState state, Collection<Address> changed) {
        MarketConditions after = next.conditions();
        Map<Address, TrackedPosition> puts = new LinkedHashMap<>();
        for (Address account : changed) {
            PositionRecord p =
                    state.position(next.record.id(), account).orElseGet(() -> empty(next, account));
            index.put(account, p.borrowShares(), p.collateral());
            long mark = state.positionChangedUnconfirmed(next.record.id(), account).orElse(-1);
            puts.put(account, new TrackedPosition(p, band(p, after), mark));
        }
        if (conditions != null && !conditions.equals(after)) {
            // The candidates' new bands, in BigInteger only inside the guard bands.
            LiquidationIndex.Query liquidatable = index.query(thresholds.get(0), after);
            LiquidationIndex.Query warning = index.query(thresholds.get(1), after);
            index.forEachCandidate(
                    thresholds,
                    conditions,
                    after,
                    e -> {
                        TrackedPosition old = positions.get(e.account());
                        if (old != null && !puts.containsKey(e.account())) {
                            HealthBand band =
                                    liquidatable.isBelow(e)
                                            ? HealthBand.LIQUIDATABLE
                                            : warning.isBelow(e)
                                                    ? HealthBand.WARNING
                                                    : HealthBand.HEALTHY;
                            if (band != old.band()) {
                                puts.put(e.account(), old.withBand(band));
                            }
                        }
                    });
        }
        for (Address account : unconfirmed) {
            TrackedPosition current =
                    puts.containsKey(account) ? puts.get(account) : positions.get(account);
            long mark = state.positionChangedUnconfirmed(next.record.id(), account).orElse(-1);
            if (current != null && mark != current.unconfirmedBlock()) {
                puts.put(account, current.withUnconfirmedBlock(mark));
            }
        }
        conditions = after;
        return finish(next, puts, positions, true);
    }

    /** The step that replaces everything with {@code state}'s positions, valued at {@code next}. */
    Step rebuild(MarketSnapshot next, ChainState state, MarketBook previous) {
        MarketConditions at = next.conditions();
        Collection<PositionRecord> all = state.positions(next.record.id());
        Map<Address, TrackedPosition> puts = new LinkedHashMap<>(all.size() * 4 / 3 + 16);
        index.putAll(all); // one sort per bucket: this is most of a restart's index building
        Map<Address, Long> marks = state.positionsChangedUnconfirmed(next.record.id());
        for (PositionRecord p : all) {
            long mark = marks.isEmpty() ? -1 : marks.getOrDefault(p.account(), -1L);
            puts.put(p.account(), new TrackedPosition(p, HealthBand.HEALTHY, mark));
        }
        // Bands by two range queries instead of valuing every position.
        for (BigInteger threshold : thresholds) {
            HealthBand band =
                    threshold.equals(FixedPoint.WAD) ? HealthBand.LIQUIDATABLE : HealthBand.WARNING;
            for (LiquidationIndex.Entry e : index.below(threshold, at)) {
                TrackedPosition t = puts.get(e.account());
                if (band == HealthBand.WARNING && t.band() == HealthBand.LIQUIDATABLE) {
                    continue;
                }
                puts.put(e.account(), t.withBand(band));
            }
        }
        conditions = at;
        Map<Address, TrackedPosition> before = previous == null ? Map.of() : previous.positions;
        // A position a rollback undid is empty now, as the contract's mapping reads it: HEALTHY.
        before.forEach(
                (account, old) -> {
                    if (!puts.containsKey(account) && old.band() != HealthBand.HEALTHY) {
                        puts.put(
                                account,
                                new TrackedPosition(empty(next, account), HealthBand.HEALTHY, -1));
                    }
                });
        return finish(next, puts, before, false);
    }

    /**
     * Makes a step visible. Call under the engine's write lock, or before any reader can see this
     * book.
     */
    void publish(Step step) {
        if (positions.isEmpty() && step.puts().size() > 1) {
            // A new book (a rebuild, a restart): the map built at once from the sorted positions,
            // in linear time, instead of a million inserts that each search the skip list. Readers
            // see the book only under the engine's lock, or not before it is swapped in.
            positions = new ConcurrentSkipListMap<>(SortedEntries.of(step.puts()));
            step.puts()
                    .forEach(
                            (account, t) -> {
                                if (t.band() != HealthBand.HEALTHY) {
                                    atRisk.add(account);
                                }
                            });
            snapshot = step.snapshot();
            return;
        }
        step.puts()
                .forEach(
                        (account, t) -> {
                            positions.put(account, t);
                            if (t.band() == HealthBand.HEALTHY) {
                                atRisk.remove(account);
                            } else {
                                atRisk.add(account);
                            }
                        });
        snapshot = step.snapshot();
    }

    /**
     * Counts the bands (replacing what {@code before} had when {@code replacing}), notes the
     * crossings against {@code before}'s bands, remembers the marks.
     */
    private Step finish(
            MarketSnapshot next,
            Map<Address, TrackedPosition> puts,
            Map<Address, TrackedPosition> before,
            boolean replacing) {
        List<Crossed> crossed = new ArrayList<>();
        puts.forEach(
                (account, t) -> {
                    TrackedPosition old = before.get(account);
                    if (replacing && old != null && old.borrows()) {
                        borrowers.merge(old.band(), -1, Integer::sum);
                    }
                    if (t.borrows()) {
                        borrowers.merge(t.band(), 1, Integer::sum);
                    }
                    HealthBand from = old == null ? HealthBand.HEALTHY : old.band();
                    if (from != t.band()) {
                        crossed.add(new Crossed(from, account));
                    }
                    if (t.unconfirmedBlock() >= 0) {
                        unconfirmed.add(account);
                    } else if (!unconfirmed.isEmpty()) {
                        unconfirmed.remove(account);
                    }
                });
        return new Step(next.withBorrowers(borrowers), puts, crossed);
    }

    private HealthBand band(PositionRecord p, MarketConditions at) {
        return HealthBand.of(
                LiquidationIndex.healthFactor(index.lltv(), p.borrowShares(), p.collateral(), at),
                thresholds.get(1));
    }

    private static PositionRecord empty(MarketSnapshot market, Address account) {
        BigInteger zero = BigInteger.ZERO;
        return new PositionRecord(market.record.id(), account, zero, zero, zero, zero, zero);
    }
}
