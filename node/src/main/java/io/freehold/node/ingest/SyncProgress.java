package io.freehold.node.ingest;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator sees while the node catches up: every {@code interval}, the block reached, the
 * head, blocks and events per second since the catch-up began, and the time left at that pace; once
 * caught up, a one-line summary. Rates are over the whole catch-up, not the last interval, so the
 * estimate does not jump with every busy block range.
 */
final class SyncProgress {

    private static final Logger LOG = LoggerFactory.getLogger("io.freehold.node.sync");

    private final Duration interval;
    private final LongSupplier nanoTime;
    private long startedAt = -1;
    private long startBlock;
    private long blocks;
    private long events;
    private long lastLogAt;
    private boolean caughtUp;

    SyncProgress(Duration interval, LongSupplier nanoTime) {
        this.interval = interval;
        this.nanoTime = nanoTime;
    }

    /** A range of blocks was applied; {@code head} is the chain head it was applied against. */
    void applied(long fromBlock, long toBlock, int eventCount, long head) {
        long now = nanoTime.getAsLong();
        if (startedAt < 0 || caughtUp) {
            if (caughtUp && head - toBlock <= 1) {
                return; // following the tip: one block at a time is not worth a line
            }
            startedAt = now;
            startBlock = fromBlock;
            blocks = 0;
            events = 0;
            lastLogAt = now;
            caughtUp = false;
            LOG.info(
                    "catching up from block {} to head {} ({} blocks)",
                    fromBlock,
                    head,
                    head - fromBlock + 1);
        }
        blocks += toBlock - fromBlock + 1;
        events += eventCount;
        if (toBlock >= head) {
            caughtUp = true;
            double seconds = Math.max(1e-3, (now - startedAt) / 1e9);
            LOG.info(
                    "caught up at block {}: {} blocks and {} events in {} s ({} blocks/s, {} events/s)",
                    toBlock,
                    blocks,
                    events,
                    String.format("%.1f", seconds),
                    rate(blocks, seconds),
                    rate(events, seconds));
        } else if (now - lastLogAt >= interval.toNanos()) {
            lastLogAt = now;
            double seconds = Math.max(1e-3, (now - startedAt) / 1e9);
            double blocksPerSecond = blocks / seconds;
            long left = head - toBlock;
            String eta =
                    blocksPerSecond > 0
                            ? formatDuration((long) (left / blocksPerSecond))
                            : "unknown";
            LOG.info(
                    "syncing: block {} of {} ({}%), {} blocks/s, {} events/s, {} events so far, about {} left",
                    toBlock,
                    head,
                    String.format(
                            "%.1f", 100.0 * (toBlock - startBlock + 1) / (head - startBlock + 1)),
                    rate(blocks, seconds),
                    rate(events, seconds),
                    events,
                    eta);
        }
    }

    /**
     * A step found nothing new: the node is at the head, whether or not it applied anything since
     * start.
     */
    void atHead(long block) {
        if (!caughtUp) {
            caughtUp = true;
            if (startedAt < 0) {
                LOG.info("at the head: block {}", block);
            }
        }
    }

    boolean caughtUp() {
        return caughtUp;
    }

    private static String rate(long count, double seconds) {
        return String.format("%.0f", count / seconds);
    }

    static String formatDuration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
