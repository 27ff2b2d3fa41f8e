package io.freehold.node.ingest;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * A map's entries sorted once, seen as a {@link SortedMap} for exactly one use: handing them to
 * {@code new ConcurrentSkipListMap<>(sortedMap)}, which builds its levels in one pass from sorted
 * input, where a put per entry searches the list each time. Read-only; the views a caller would
 * need a real sorted map for are not offered.
 */
public final class SortedEntries<K extends Comparable<? super K>, V> extends AbstractMap<K, V>
        implements SortedMap<K, V> {

    private final Map.Entry<K, V>[] entries;

    private SortedEntries(Map.Entry<K, V>[] entries) {
        this.entries = entries;
    }

    /**
     * {@code map}'s entries in their keys' natural order (a sort that costs one pass when they
     * already are).
     */
    @SuppressWarnings("unchecked")
    public static <K extends Comparable<? super K>, V> SortedEntries<K, V> of(Map<K, V> map) {
        Map.Entry<K, V>[] entries = map.entrySet().toArray(new Map.Entry[0]);
        Arrays.sort(entries, Map.Entry.comparingByKey());
        return new SortedEntries<>(entries);
    }

    /**
     * {@code values} by their keys, in the keys' natural order (one pass when they already are).
     *
     * @throws IllegalArgumentException if two values have the same key
     */
    @SuppressWarnings("unchecked")
    public static <K extends Comparable<? super K>, V> SortedEntries<K, V> of(
            Collection<V> values, Function<V, K> key) {
        Map.Entry<K, V>[] entries = new Map.Entry[values.size()];
        int i = 0;
        for (V v : values) {
            entries[i++] = Map.entry(key.apply(v), v);
        }
        Arrays.sort(entries, Map.Entry.comparingByKey());
        for (int j = 1; j < entries.length; j++) {
            if (entries[j - 1].getKey().compareTo(entries[j].getKey()) == 0) {
                throw new IllegalArgumentException("key given twice: " + entries[j].getKey());
            }
        }
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
