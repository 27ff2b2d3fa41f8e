package io.freehold.sdk;

import java.util.List;
import java.util.Objects;

/**
 * What the node is doing: how far it has followed the chain and through which RPC endpoints.
 *
 * <pre>{@code
 * NodeStatus s = client.status();
 * if (s.phase() != NodeStatus.Phase.FOLLOWING || s.lagBlocks() > 5) { ... }
 * }</pre>
 *
 * @param chainId the chain the node follows
 * @param head the newest block the endpoints report
 * @param appliedBlock the newest block the node's reads serve: once it is N, every read answers at
 *     N or later (a position that block N opened is found), so waiting for it is how to read your
 *     own transaction
 * @param finalBlock the newest finalized block
 * @param lagBlocks head minus applied
 * @param liquidatorMode whether the node only watches or also liquidates
 * @param cursor where the node stands
 * @param protocol the pool the node follows ({@code freehold.node.protocol}); {@link
 *     Protocol#FREEHOLD} from nodes before the field
 */
public record NodeStatus(
        long chainId,
        long head,
        long appliedBlock,
        long finalBlock,
        long lagBlocks,
        Phase phase,
        List<Endpoint> endpoints,
        String version,
        LiquidatorMode liquidatorMode,
        Cursor cursor,
        Protocol protocol) {

    public NodeStatus {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(protocol, "protocol");
    }

    /** The status of a node following Freehold's pool (as the fields before {@code protocol}). */
    public NodeStatus(
            long chainId,
            long head,
            long appliedBlock,
            long finalBlock,
            long lagBlocks,
            Phase phase,
            List<Endpoint> endpoints,
            String version,
            LiquidatorMode liquidatorMode,
            Cursor cursor) {
        this(
                chainId,
                head,
                appliedBlock,
                finalBlock,
                lagBlocks,
                phase,
                endpoints,
                version,
                liquidatorMode,
                cursor,
                Protocol.FREEHOLD);
    }

    /**
     * Where the node is in its life; {@link #UNKNOWN} for a phase this SDK version does not know.
     */
    public enum Phase {
        STARTING,
        CATCHING_UP,
        FOLLOWING,
        RETRYING,
        FAILED,
        STOPPED,
        UNKNOWN
    }

    /** {@link #UNKNOWN} for a mode this SDK version does not know. */
    public enum LiquidatorMode {
        WATCH,
        EXECUTE,
        UNKNOWN
    }

    /** Circuit-breaker state of one RPC endpoint. */
    public enum Breaker {
        CLOSED,
        OPEN,
        HALF_OPEN,
        UNKNOWN
    }

    /**
     * One of the node's chain RPC endpoints.
     *
     * @param name {@code rpc<n>/host:port}; never a URL path, which may hold an API key
     * @param lastError empty if none
     */
    public record Endpoint(
            String name, Breaker breaker, long lastSeenHead, boolean lagging, String lastError) {}
}
