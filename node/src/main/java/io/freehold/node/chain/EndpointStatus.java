package io.freehold.node.chain;

import java.time.Instant;

/**
 * What the node knows about one endpoint, for status pages and health checks.
 *
 * @param name {@code rpc<n>/host:port}, n being its place in the configured order (1-based)
 * @param url scheme, host and port only: a path may hold an API key
 * @param breakerState {@code CLOSED} (in use), {@code OPEN} (skipped) or {@code HALF_OPEN} (one
 *     probe allowed), as Resilience4j names them
 * @param lastSeenHead the highest block number it reported, or -1 before it answered
 * @param lagging its head was more than the lag tolerance behind the best head when last compared
 * @param chainCheck {@code UNCHECKED}, {@code OK} or {@code WRONG_CHAIN}
 * @param consecutiveFailures failed attempts since its last success
 * @param lastError the last failure's message, or null
 * @param lastErrorAt when it happened, or null
 * @param logRangeBlocks the block range its next {@code eth_getLogs} will cover
 */
public record EndpointStatus(
        String name,
        String url,
        String breakerState,
        long lastSeenHead,
        boolean lagging,
        String chainCheck,
        int consecutiveFailures,
        String lastError,
        Instant lastErrorAt,
        int logRangeBlocks) {}
