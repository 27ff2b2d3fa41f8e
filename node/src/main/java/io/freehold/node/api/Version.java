package io.freehold.node.api;

/** The node's version: the jar's Implementation-Version, or "dev" when run from classes. */
final class Version {

    static final String NODE = version();

    private Version() {}

    private static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
