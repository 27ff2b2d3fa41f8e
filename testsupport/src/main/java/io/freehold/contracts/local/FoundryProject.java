package io.freehold.contracts.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Foundry project under {@code contracts/}: where it is, and the forge, anvil and cast binaries
 * its {@code package-lock.json} pins.
 *
 * <p>Tests in any module find it the same way, so none of them depends on the directory Maven or
 * the IDE happens to start in:
 *
 * <pre>{@code
 * FoundryProject project = FoundryProject.locate();
 * Path anvil = project.binary("anvil"); // .../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
 * }</pre>
 */
public final class FoundryProject {

    /** System property naming the contracts directory explicitly. */
    public static final String DIRECTORY_PROPERTY = "freehold.contracts.dir";

    private static final String MARKER = "foundry.toml";

    private final Path directory;

    private FoundryProject(Path directory) {
        this.directory = directory;
    }

    /**
     * The directory named by {@value #DIRECTORY_PROPERTY}, else the first directory that is, or
     * holds a {@code contracts/} that is, a Foundry project, walking up from the working directory.
     *
     * @throws IllegalStateException if neither finds a {@code foundry.toml}
     */
    public static FoundryProject locate() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return at(Path.of(configured));
        }
        return locateFrom(Path.of("").toAbsolutePath());
    }

    static FoundryProject locateFrom(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return new FoundryProject(dir);
            }
            if (Files.isRegularFile(dir.resolve("contracts").resolve(MARKER))) {
                return new FoundryProject(dir.resolve("contracts"));
            }
        }
        throw new IllegalStateException(
                "no contracts/"
                        + MARKER
                        + " in "
                        + start
                        + " or any parent; set -D"
                        + DIRECTORY_PROPERTY
                        + "=<path to contracts>");
    }

    /**
     * The Foundry project in {@code directory}.
     *
     * @throws IllegalArgumentException if it holds no {@code foundry.toml}
     */
    public static FoundryProject at(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
            throw new IllegalArgumentException(
                    dir + " is not a Foundry project: it has no " + MARKER);
        }
        return new FoundryProject(dir);
    }

    public Path directory() {
        return directory;
    }

    /**
     * The native binary of a Foundry tool ({@code "anvil"}, {@code "forge"}, {@code "cast"}) for
     * this platform, as npm installed it. Not {@code node_modules/.bin/<tool>}: that is a Node
     * wrapper, and stopping the wrapper would leave the real process running.
     *
     * @throws IllegalStateException if it is not installed (run {@code npm ci} in contracts/)
     */
    public Path binary(String tool) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String platform =
                os.startsWith("windows") ? "win32" : os.startsWith("mac") ? "darwin" : "linux";
        String arch =
                switch (System.getProperty("os.arch")) {
                    case "aarch64", "arm64" -> "arm64";
                    default -> "amd64";
                };
        String file = platform.equals("win32") ? tool + ".exe" : tool;
        Path binary =
                directory
                        .resolve("node_modules/@foundry-rs")
                        .resolve(tool + "-" + platform + "-" + arch)
                        .resolve("bin")
                        .resolve(file);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(
                    binary
                            + " is missing; run `npm ci` in "
                            + directory
                            + " (or build the contracts module once)");
        }
        return binary;
    }

    @Override
    public String toString() {
        return "FoundryProject[" + directory + "]";
    }
}
