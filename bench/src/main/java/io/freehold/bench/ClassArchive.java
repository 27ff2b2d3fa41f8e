package io.freehold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A class-data-sharing archive for a JVM the benchmark starts, made the way {@code node.sh} makes
 * the node's: the first run writes it at a clean exit ({@code -XX:ArchiveClassesAtExit}), later
 * runs map it ({@code -XX:SharedArchiveFile}). Later runs of the same classpath then skip most of
 * class loading; the JVM ignores an archive it cannot use and starts as it would without.
 */
final class ClassArchive {

    private final Path file;

    ClassArchive(Path file) {
        this.file = file;
    }

    /** The JVM options for the next run: write the archive if there is none yet, else use it. */
    List<String> jvmArgs() {
        return exists()
                ? List.of("-XX:SharedArchiveFile=" + file)
                // The JVM's notes on classes it leaves out are not the benchmark's output.
                : List.of("-XX:ArchiveClassesAtExit=" + file, "-Xlog:cds*=error");
    }

    boolean exists() {
        return Files.isRegularFile(file);
    }

    long bytes() throws IOException {
        return exists() ? Files.size(file) : 0;
    }
}
