package io.freehold.bench;

import io.freehold.node.risk.LiquidationIndex;
import io.freehold.node.risk.MarketConditions;
import io.freehold.types.Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JMH benchmark behind {@code price-shock}: one market of {@code size} borrowers, an appraisal
 * that drops by {@code dropBps}; the newly unhealthy positions found by the {@link
 * LiquidationIndex} (the node's path) against a full scan of the same market that values every
 * position at the new price and drops the ones already unhealthy before (the baseline: what a node
 * without the index does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PriceShockState {

    @Param({"10000"})
    public int size;

    @Param({"500"})
    public int dropBps;

    LiquidationIndex index;
    MarketConditions before;
    MarketConditions after;
    Set<Address> unhealthyBefore;

    @Setup(Level.Trial)
    public void build() {
        index = new LiquidationIndex(SyntheticBook.LLTV);
        SyntheticBook.borrowers(
                0, size, 7, b -> index.put(b.account(), b.borrowShares(), b.collateral()));
        before = SyntheticBook.conditions(SyntheticBook.PRICE);
        after = SyntheticBook.conditions(SyntheticBook.priceAfterDrop(dropBps));
        unhealthyBefore = new HashSet<>();
        index.scanBelow(SyntheticBook.WAD, before).forEach(e -> unhealthyBefore.add(e.account()));
    }

    /** The node's path: a range query per collateral bucket, exact math only in the guard bands. */
    @Benchmark
    public List<LiquidationIndex.Entry> index() {
        return index.newlyBelow(SyntheticBook.WAD, before, after);
    }

    /** The baseline: every position valued at the new price in BigInteger, as the contract does. */
    @Benchmark
    public List<LiquidationIndex.Entry> fullScan() {
        List<LiquidationIndex.Entry> below = index.scanBelow(SyntheticBook.WAD, after);
        below.removeIf(e -> unhealthyBefore.contains(e.account()));
        return below;
    }
}
