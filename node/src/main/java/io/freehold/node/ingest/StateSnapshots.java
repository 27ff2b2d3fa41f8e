package io.freehold.node.ingest;

import io.freehold.node.state.Checkpoint;
import io.freehold.node.store.SnapshotFile;
import io.freehold.node.store.StateSnapshot;
import io.freehold.node.store.StateStore;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower's {@link SnapshotFile}: read at start (with the store's changes since, {@link
 * StateStore#loadSince}), written again every {@code intervalBlocks} blocks and at a clean close.
 *
 * <p>A snapshot is only ever taken when the store is at the state's checkpoint (the follower calls
 * {@link #offer} and {@link #writeNow} only then, between steps), so the file always holds what the
 * store held at the block it names. The copy of the state is taken on the follower's thread (it
 * holds the records, not copies of them: they are immutable) and written on another, one write at a
 * time; a step that comes while a write runs skips its turn.
 *
 * <p>The interval must stay under the journal's depth: a restart can use a snapshot only while the
 * store still journals every block after it.
 */
final class StateSnapshots implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateSnapshots.class);

    private final SnapshotFile file;
    private final int intervalBlocks;
    private final ExecutorService writer =
            Executors.newSingleThreadExecutor(
                    runnable -> {
                        Thread thread = new Thread(runnable, "freehold-snapshot");
                        thread.setDaemon(true);
                        return thread;
                    });

    // The block of the newest snapshot written or being written; -1: none usable.
    /** Whether a write was logged at INFO yet; written by the writer thread or at close. */
    private volatile boolean loggedOnce;

    private final AtomicLong written = new AtomicLong(-1);
    private Future<?> writing;

    StateSnapshots(SnapshotFile file, int intervalBlocks) {
        if (intervalBlocks < 1) {
            throw new IllegalArgumentException(
                    "intervalBlocks must be positive: " + intervalBlocks);
        }
        this.file = file;
        this.intervalBlocks = intervalBlocks;
    }

    /**
     * The store's state from the file and the rows changed since; empty (and why, logged) when
     * there is no usable file or the store cannot say what changed since it: then the caller reads
     * the whole store.
     */
    Optional<StateSnapshot> load(StateStore store) {
        long start = System.nanoTime();
        Optional<StateSnapshot> copy = file.read();
        if (copy.isEmpty()) {
            return Optional.empty();
        }
        Checkpoint at = copy.get().checkpoint().orElseThrow();
        Optional<StateSnapshot> loaded = store.loadSince(copy.get());
        if (loaded.isEmpty()) {
            LOG.info(
                    "the state snapshot {} (block {}) does not follow from the store's journal: reading the whole"
                            + " store",
                    file.path(),
                    at.number());
            return Optional.empty();
        }
        long now = loaded.get().checkpoint().map(Checkpoint::number).orElseThrow();
        written.set(at.number());
        LOG.info(
                "loaded the state from the snapshot {} at block {} and the store's changes up to block {}"
                        + " ({} positions, {} ms)",
                file.path(),
                at.number(),
                now,
                loaded.get().positions().size(),
                (System.nanoTime() - start) / 1_000_000);
        return loaded;
    }

    /**
     * Writes the state in the background if the file is {@code intervalBlocks} behind it (or ahead
     * of it, after a rollback) and no write is running. Call only when the store is at the state's
     * checkpoint.
     */
    void offer(ChainState state) {
        Optional<Checkpoint> checkpoint = state.checkpoint();
        if (checkpoint.isEmpty()) {
            return;
        }
        long block = checkpoint.get().number();
        long last = written.get();
        if (last >= 0 && last <= block && block - last < intervalBlocks) {
            return;
        }
        if (writing != null && !writing.isDone()) {
            return;
        }
        StateSnapshot contents = state.contents();
        written.set(block);
        writing = writer.submit(() -> write(contents, false));
    }

    /**
     * Writes the state now unless the file already holds its block; waits for a write in progress
     * first. Call only when the store is at the state's checkpoint (a clean close).
     */
    void writeNow(ChainState state) {
        awaitWrite();
        Optional<Checkpoint> checkpoint = state.checkpoint();
        if (checkpoint.isEmpty() || written.get() == checkpoint.get().number()) {
            return;
        }
        written.set(checkpoint.get().number());
        write(state.contents(), true);
    }

    /**
     * Writes the file. The first write of the run and the one at a clean close are logged at INFO;
     * the routine ones while following at DEBUG (with a short interval they come every block and
     * would bury the log).
     */
    private void write(StateSnapshot contents, boolean atClose) {
        boolean first = !loggedOnce;
        loggedOnce = true;
        long start = System.nanoTime();
        long block = contents.checkpoint().orElseThrow().number();
        try {
            file.write(contents);
            if (atClose || first || LOG.isDebugEnabled()) {
                String message = "wrote the state snapshot {} at block {} ({} positions, {} ms)";
                Object[] args = {
                    file.path(),
                    block,
                    contents.positions().size(),
                    (System.nanoTime() - start) / 1_000_000
                };
                if (atClose || first) {
                    LOG.info(message, args);
                } else {
                    LOG.debug(message, args);
                }
            }
        } catch (Exception e) {
            written.compareAndSet(block, -1);
            LOG.warn(
                    "could not write the state snapshot {} at block {} ({}); the next start reads the whole store"
                            + " unless a later one is written",
                    file.path(),
                    block,
                    e.toString());
        }
    }

    private void awaitWrite() {
        Future<?> running = writing;
        if (running == null) {
            return;
        }
        try {
            running.get();
        } catch (ExecutionException e) {
            LOG.warn("the state snapshot's write failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a write in progress (a torn one would only be ignored), then stops. */
    @Override
    public void close() {
        awaitWrite();
        writer.shutdownNow();
    }
}
