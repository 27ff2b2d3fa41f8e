package io.freehold.node;

import io.micronaut.runtime.Micronaut;

/**
 * Starts the Freehold node: configuration from application.yml, environment and system properties.
 */
public final class NodeApplication {

    private NodeApplication() {}

    public static void main(String[] args) {
        Micronaut.run(NodeApplication.class, args);
    }
}
