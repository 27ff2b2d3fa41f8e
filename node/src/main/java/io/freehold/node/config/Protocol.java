package io.freehold.node.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which lending protocol a deployment of the node follows ({@code freehold.node.protocol}). One per
 * process: the beans of the other are not created.
 */
public enum Protocol {
    /** Freehold's own LendingPool (the default: nothing changes for existing deployments). */
    FREEHOLD("freehold"),
    /** An Aave v3 pool ({@code freehold.node.aave.*}): see docs/AAVE.md. */
    AAVE_V3("aave-v3");

    /** The configuration key. */
    public static final String KEY = "freehold.node.protocol";

    private final String value;

    Protocol(String value) {
        this.value = value;
    }

    /** The value as written in the configuration. */
    public String value() {
        return value;
    }

    /**
     * The protocol named {@code value} (null or blank: {@link #FREEHOLD}).
     *
     * @throws IllegalArgumentException naming the key and the accepted values
     */
    public static Protocol parse(String value) {
        if (value == null || value.isBlank()) {
            return FREEHOLD;
        }
        for (Protocol p : values()) {
            if (p.value.equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                KEY
                        + " "
                        + value
                        + " is not a protocol the node follows: use one of "
                        + Arrays.stream(values())
                                .map(Protocol::value)
                                .collect(Collectors.joining(", ")));
    }
}
