package io.freehold.contracts.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary directories the local tools make (anvil's states, browser profiles, work dirs). */
public final class Directories {

    private Directories() {}

    /**
     * Deletes {@code root} and everything under it, deepest first; nothing if it is null or gone.
     *
     * @throws UncheckedIOException if something could not be listed or deleted
     */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
