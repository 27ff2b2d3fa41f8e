package io.freehold.node.chain;

/**
 * How many blocks the next {@code eth_getLogs} should cover. Wide ranges make historical sync fast
 * (a local anvil serves ~100k logs/s in wide requests); endpoints refuse ranges with too many
 * results and time out on slow ones. So: halve on a refusal or a timeout, double again after small
 * answers.
 *
 * <p>After a refusal at width w the range stays at or below w/2 (the "ceiling") for {@value
 * #RELAX_AFTER} successful requests, then may grow again. Without that memory, a fixed block-width
 * limit (many providers cap the range, not the log count) would be hit again by every other request
 * as the size doubles back over it; with it, such a limit costs one refused request in {@value
 * #RELAX_AFTER}, while a limit that came from one dense stretch of blocks is forgotten once the
 * fetch has moved past it.
 *
 * <p>One per endpoint, since limits are the provider's: a hung endpoint narrowing its own range
 * must not narrow the range of the healthy one that answers instead. Thread-safe.
 */
final class LogRangeSizer {

    /** Successful requests after which the ceiling learnt from a refusal is forgotten. */
    static final int RELAX_AFTER = 32;

    private final int min;
    private final int max;
    private final int growBelowLogs;
    private int size;
    private int ceiling;
    private int successesUnderCeiling;

    LogRangeSizer(int min, int max, int growBelowLogs) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1 <= min <= max, got " + min + " and " + max);
        }
        this.min = min;
        this.max = max;
        this.growBelowLogs = growBelowLogs;
        this.size = max;
        this.ceiling = max;
    }

    /** Ranges are not split below this. */
    int min() {
        return min;
    }

    /** Blocks the next request should cover. */
    synchronized int size() {
        return size;
    }

    /**
     * A request over {@code failedWidth} blocks was refused or timed out.
     *
     * @param suggestedWidth a width the endpoint said would work, or 0
     * @return false if {@code failedWidth} was already at the minimum: splitting cannot help
     */
    synchronized boolean shrink(long failedWidth, long suggestedWidth) {
        if (failedWidth <= min) {
            return false;
        }
        long next =
                suggestedWidth > 0 && suggestedWidth < failedWidth
                        ? suggestedWidth
                        : failedWidth / 2;
        int bounded = (int) Math.max(min, Math.min(max, next));
        size = Math.min(size, bounded);
        ceiling = size;
        successesUnderCeiling = 0;
        return true;
    }

    /** A request over {@code width} blocks answered {@code logs} logs. */
    synchronized void succeeded(long width, int logs) {
        if (ceiling < max && ++successesUnderCeiling >= RELAX_AFTER) {
            ceiling = max;
            successesUnderCeiling = 0;
        }
        // A short tail chunk at the end of a fetch says little about what a full one would return.
        if (width >= size && logs < growBelowLogs) {
            size = (int) Math.min(ceiling, 2L * size);
        }
    }
}
