package io.freehold.node.api;

/** The node's version: the jar's Implementation-Version, or "dev" when run from classes. */
public final class Version {

    public static final String NODE = version();

    private Version() {}

    private static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
