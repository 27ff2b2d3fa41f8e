package io.freehold.node.risk;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * A map's entries sorted once, seen as a {@link SortedMap} for exactly one use: handing them to
 * {@code new ConcurrentSkipListMap<>(sortedMap)}, which builds its levels in one pass from sorted
 * input, where a put per entry searches the list each time. Read-only; the views a caller would
 * need a real sorted map for are not offered.
 */
final class SortedEntries<K extends Comparable<? super K>, V> extends AbstractMap<K, V>
        implements SortedMap<K, V> {

    private final Map.Entry<K, V>[] entries;

    private SortedEntries(Map.Entry<K, V>[] entries) {
        this.entries = entries;
    }

    /** {@code map}'s entries in their keys' natural order. */
    @SuppressWarnings("unchecked")
    static <K extends Comparable<? super K>, V> SortedEntries<K, V> of(Map<K, V> map) {
        Map.Entry<K, V>[] entries = map.entrySet().toArray(new Map.Entry[0]);
        Arrays.sort(entries, Map.Entry.comparingByKey());
        return new SortedEntries<>(entries);
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return Arrays.asList(entries).iterator();
            }

            @Override
            public int size() {
                return entries.length;
            }
        };
    }

    @Override
    public Comparator<? super K> comparator() {
        return null; // natural order
    }

    @Override
    public K firstKey() {
        return entries[0].getKey();
    }

    @Override
    public K lastKey() {
        return entries[entries.length - 1].getKey();
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
        throw new UnsupportedOperationException();
    }
}
