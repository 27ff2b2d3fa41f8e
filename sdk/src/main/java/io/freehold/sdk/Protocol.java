package io.freehold.sdk;

/**
 * Which lending protocol a market, position or node belongs to: Freehold's own pool, or an Aave v3
 * pool a node follows with {@code freehold.node.protocol=aave-v3} (docs/AAVE.md). A node from
 * before the field existed sends none: read as {@link #FREEHOLD}.
 */
public enum Protocol {
    FREEHOLD("freehold"),
    AAVE_V3("aave-v3"),
    /** A protocol this SDK version does not know. */
    UNKNOWN("");

    private final String wireName;

    Protocol(String wireName) {
        this.wireName = wireName;
    }

    /** The name the node sends ({@code "freehold"}, {@code "aave-v3"}). */
    public String wireName() {
        return wireName;
    }

    /** The protocol the node named; empty (a node older than the field) is {@link #FREEHOLD}. */
    public static Protocol fromWireName(String name) {
        if (name == null || name.isEmpty()) {
            return FREEHOLD;
        }
        for (Protocol p : values()) {
            if (p != UNKNOWN && p.wireName.equals(name)) {
                return p;
            }
        }
        return UNKNOWN;
    }
}
