package io.freehold.node.liquidation;

import io.freehold.node.liquidation.decide.SkipReason;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The liquidator's numbers for {@code /prometheus}: liquidations sent, replaced, mined, failed,
 * given up and skipped (by reason), those in flight, realised profit, and the two latencies
 * operators watch — from the block that made a position unhealthy to its detection, and to the
 * inclusion of its liquidation — in blocks and in seconds of block time.
 *
 * <p>No dependencies at all, on purpose: the meter registry binds every {@link MeterBinder} while
 * it is built, and the registry is built while the data source is (Hikari reports to it); a binder
 * that needed the executor, and through it the data source, would close that cycle (see {@link
 * io.freehold.node.ingest.IngestionMetrics}, which reads a provider lazily for the same reason).
 * Here the executor pushes its events in; counts live in adders, so nothing recorded before the
 * registry binds is lost.
 */
@Singleton
public final class LiquidationMetrics implements MeterBinder {

    private final LongAdder sent = new LongAdder();
    private final LongAdder replaced = new LongAdder();
    private final LongAdder mined = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder gaveUp = new LongAdder();
    private final LongAdder orphaned = new LongAdder();
    private final LongAdder noncesFilled = new LongAdder();
    private final Map<SkipReason, LongAdder> skipped = new EnumMap<>(SkipReason.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger leader = new AtomicInteger();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicReference<BigInteger> profit = new AtomicReference<>(BigInteger.ZERO);
    private final List<Bound> bound = new CopyOnWriteArrayList<>();

    private record Bound(
            DistributionSummary detectionBlocks,
            DistributionSummary inclusionBlocks,
            Timer detectionTime,
            Timer inclusionTime) {}

    public LiquidationMetrics() {
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(reason, new LongAdder());
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(
                registry,
                "freehold.liquidation.sent",
                sent,
                "liquidations sent (first transactions)");
        counter(
                registry,
                "freehold.liquidation.replaced",
                replaced,
                "fee-bumped replacements and cancels sent");
        counter(registry, "freehold.liquidation.mined", mined, "liquidations mined and successful");
        counter(
                registry,
                "freehold.liquidation.failed",
                failed,
                "liquidations that reverted on chain, were refused by every endpoint, or lost their nonce");
        counter(
                registry,
                "freehold.liquidation.gave.up",
                gaveUp,
                "liquidations cancelled because the position stopped needing one while they waited");
        counter(
                registry,
                "freehold.liquidation.orphaned",
                orphaned,
                "liquidations whose mined block a reorg orphaned; each was sent again at its nonce");
        counter(
                registry,
                "freehold.liquidation.nonce.filled",
                noncesFilled,
                "self-transfers sent to fill a free nonce below a liquidation in flight (no gap ever holds one back)");
        skipped.forEach(
                (reason, count) ->
                        FunctionCounter.builder(
                                        "freehold.liquidation.skipped",
                                        count,
                                        LongAdder::doubleValue)
                                .tag("reason", reason.name())
                                .description("candidates preflight refused, by reason")
                                .register(registry));
        Gauge.builder("freehold.liquidation.leader", leader, AtomicInteger::get)
                .description(
                        "1 while this replica holds the liquidator lease (or runs without one), else 0")
                .register(registry);
        Gauge.builder("freehold.liquidation.lease.epoch", epoch, AtomicLong::get)
                .description(
                        "the liquidator lease epoch this replica executes under; 0 when it does not")
                .register(registry);
        Gauge.builder("freehold.liquidation.in.flight", inFlight, AtomicInteger::get)
                .description("liquidations sent and not yet mined")
                .register(registry);
        Gauge.builder("freehold.liquidation.profit", profit, p -> p.get().doubleValue())
                .baseUnit("loan-token base units")
                .description(
                        "realised profit: seized collateral at the appraisal, minus repayments, minus the"
                                + " gas of every mined transaction (failed and cancelled ones too)")
                .register(registry);
        bound.add(
                new Bound(
                        DistributionSummary.builder("freehold.liquidation.detection.blocks")
                                .baseUnit("blocks")
                                .description(
                                        "blocks from the one that made a position unhealthy to its detection")
                                .register(registry),
                        DistributionSummary.builder("freehold.liquidation.inclusion.blocks")
                                .baseUnit("blocks")
                                .description(
                                        "blocks from the one that made a position unhealthy to its liquidation's")
                                .register(registry),
                        Timer.builder("freehold.liquidation.detection.time")
                                .description(
                                        "block time from the block that made a position unhealthy to the detection block")
                                .register(registry),
                        Timer.builder("freehold.liquidation.inclusion.time")
                                .description(
                                        "block time from the block that made a position unhealthy to the inclusion block")
                                .register(registry)));
    }

    private static void counter(
            MeterRegistry registry, String name, LongAdder count, String description) {
        FunctionCounter.builder(name, count, LongAdder::doubleValue)
                .description(description)
                .register(registry);
    }

    // ---- recorded by the executor ---------------------------------------------------------------

    public void detected(long blocks, Duration blockTime) {
        for (Bound b : bound) {
            b.detectionBlocks().record(blocks);
            b.detectionTime().record(blockTime);
        }
    }

    public void sent() {
        sent.increment();
    }

    public void replaced() {
        replaced.increment();
    }

    public void skipped(SkipReason reason) {
        skipped.get(reason).increment();
    }

    public void mined(long blocksSinceUnhealthy, Duration blockTime) {
        // The distributions first, the count last: whoever reads the count (a scrape, a test
        // waiting for it) on another thread then finds the inclusion recorded for each one counted.
        for (Bound b : bound) {
            b.inclusionBlocks().record(blocksSinceUnhealthy);
            b.inclusionTime().record(blockTime);
        }
        mined.increment();
    }

    /**
     * Profit (or, negative, the gas of a failed or cancelled attempt) made real by a mined
     * transaction.
     */
    public void realised(BigInteger amount) {
        profit.accumulateAndGet(amount, BigInteger::add);
    }

    public void failed() {
        failed.increment();
    }

    public void gaveUp() {
        gaveUp.increment();
    }

    public void orphaned() {
        orphaned.increment();
    }

    public void nonceFilled() {
        noncesFilled.increment();
    }

    void leadership(boolean leads, long leaseEpoch) {
        leader.set(leads ? 1 : 0);
        epoch.set(leads ? leaseEpoch : 0);
    }

    public void inFlight(int count) {
        inFlight.set(count);
    }

    // ---- read by tests and the health of the service
    // ----------------------------------------------

    public long orphanedCount() {
        return orphaned.sum();
    }

    public long noncesFilledCount() {
        return noncesFilled.sum();
    }

    public long sentCount() {
        return sent.sum();
    }

    public long replacedCount() {
        return replaced.sum();
    }

    public long minedCount() {
        return mined.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    public long gaveUpCount() {
        return gaveUp.sum();
    }

    public long skippedCount(SkipReason reason) {
        return skipped.get(reason).sum();
    }

    public int inFlightCount() {
        return inFlight.get();
    }

    public BigInteger realisedProfit() {
        return profit.get();
    }
}
