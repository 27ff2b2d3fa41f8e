package io.freehold.node.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;

/**
 * Refuses the start when {@code freehold.node.protocol} names no protocol: the beans of each
 * protocol are chosen by that key's exact value, so a typo would otherwise start a node that
 * follows nothing.
 */
@Context
public final class ProtocolCheck {

    private final Protocol protocol;

    public ProtocolCheck(@Value("${freehold.node.protocol:freehold}") String value) {
        this.protocol = Protocol.parse(value);
    }

    public Protocol protocol() {
        return protocol;
    }
}
