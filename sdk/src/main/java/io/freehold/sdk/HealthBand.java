package io.freehold.sdk;

/**
 * Where a position stands against the liquidation line.
 *
 * <pre>{@code
 * if (position.band() == HealthBand.WARNING) { alert(position); }
 * }</pre>
 */
public enum HealthBand {
    /** At or above the node's warning threshold (default 1.1), or without debt. */
    HEALTHY,
    /** Below the warning threshold, still at or above 1.0. */
    WARNING,
    /**
     * Below 1.0: the contract accepts a liquidation (unless the price is stale or the token
     * paused).
     */
    LIQUIDATABLE,
    /** The node sent no band, or one this SDK version does not know. */
    UNKNOWN
}
