package io.freehold.node.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The state snapshot file ({@code io.freehold.node.store.SnapshotFile}): a copy of the state tables
 * that a restart reads in one go instead of every row of the store. Bound from {@code
 * freehold.node.snapshot.*}. Only ever a copy: a missing, damaged or outdated file costs a full
 * read of the store at the next start, nothing else.
 *
 * @param enabled whether the node keeps one. Default true.
 * @param file where. Default: next to an H2 file store ({@code ./data/freehold-node.state} for
 *     {@code jdbc:h2:file:./data/freehold-node}); none for other databases (PostgreSQL) unless set.
 * @param intervalBlocks blocks between two snapshots once at the head (one is also written at the
 *     head after a start that read the whole store, and at a clean stop). Default half the journal
 *     ({@code freehold.node.journal-blocks}); at most the journal, since a snapshot is usable only
 *     while every block after it is journaled.
 */
@ConfigurationProperties("freehold.node.snapshot")
public record SnapshotConfiguration(
        @Bindable(defaultValue = "true") boolean enabled,
        @Nullable String file,
        @Nullable Integer intervalBlocks) {

    /** The file for a store at this JDBC URL, if any. */
    public Optional<Path> fileFor(String datasourceUrl) {
        return fileFor(datasourceUrl, file, ".state");
    }

    /**
     * A snapshot file of another kind (an Aave node's stored book): {@code explicitFile} if set,
     * else next to an H2 file store with {@code suffix}; none when snapshots are disabled.
     */
    public Optional<Path> fileFor(String datasourceUrl, String explicitFile, String suffix) {
        if (!enabled) {
            return Optional.empty();
        }
        if (explicitFile != null && !explicitFile.isBlank()) {
            return Optional.of(Path.of(explicitFile));
        }
        return h2File(datasourceUrl).map(p -> Path.of(p + suffix));
    }

    /** The interval for this journal depth. */
    public int intervalBlocks(int journalBlocks) {
        int interval = intervalBlocks == null ? Math.max(1, journalBlocks / 2) : intervalBlocks;
        if (interval < 1 || interval > journalBlocks) {
            throw new IllegalArgumentException(
                    "freehold.node.snapshot.interval-blocks must be between 1 and"
                            + " freehold.node.journal-blocks ("
                            + journalBlocks
                            + "), was "
                            + interval);
        }
        return interval;
    }

    /** The database file's path (without H2's extension) of an embedded H2 file URL. */
    static Optional<String> h2File(String url) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        String location = options < 0 ? rest : rest.substring(0, options);
        if (location.startsWith("file:")) {
            return Optional.of(location.substring("file:".length()));
        }
        if (location.startsWith("mem:")
                || location.startsWith("tcp:")
                || location.startsWith("ssl:")
                || location.contains(":") && !location.matches("^[A-Za-z]:[\\\\/].*")) {
            return Optional.empty(); // in memory, a server's, or another kind (zip:, nio:)
        }
        return Optional.of(location);
    }
}
