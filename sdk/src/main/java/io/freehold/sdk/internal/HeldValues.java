package io.freehold.sdk.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Not public API. What a watch has told its caller, by position key, so that a snapshot the node
 * sends again (after a restart, or when its journal no longer reaches the cursor) becomes only the
 * differences: unchanged values are not repeated, values that changed are updates, and what the new
 * snapshot lacks is removed. Values are the node's messages with their cursor fields cleared.
 *
 * @param <V> the value held per key
 */
final class HeldValues<V> {

    /** What to tell the caller about one snapshot entry. */
    enum Verdict {
        NEW_IN_FIRST_SNAPSHOT,
        CHANGED,
        UNCHANGED
    }

    private final Map<String, V> held = new HashMap<>();
    private Set<String> inSnapshot; // non-null while a snapshot is arriving
    private boolean synced; // the first snapshot has completed

    /** One entry of a snapshot. */
    Verdict snapshot(String key, V value) {
        if (inSnapshot == null) {
            inSnapshot = new HashSet<>();
        }
        inSnapshot.add(key);
        V before = held.put(key, value);
        if (value.equals(before)) {
            return Verdict.UNCHANGED;
        }
        return synced ? Verdict.CHANGED : Verdict.NEW_IN_FIRST_SNAPSHOT;
    }

    /**
     * The end of a snapshot: the keys held that it did not contain (to be reported removed, and
     * forgotten).
     */
    List<String> snapshotEnded() {
        List<String> gone = new ArrayList<>();
        Set<String> seen = inSnapshot == null ? Set.of() : inSnapshot;
        held.keySet()
                .removeIf(
                        k -> {
                            if (!seen.contains(k)) {
                                gone.add(k);
                                return true;
                            }
                            return false;
                        });
        inSnapshot = null;
        return gone;
    }

    /** Whether the snapshot that just ended was the first (the caller then hears "in sync"). */
    boolean markSynced() {
        boolean first = !synced;
        synced = true;
        return first;
    }

    void updated(String key, V value) {
        held.put(key, value);
    }

    /** Whether the key was held (a removal of something never delivered is not passed on). */
    boolean removed(String key) {
        return held.remove(key) != null;
    }
}
