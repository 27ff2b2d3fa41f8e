package io.freehold.node.risk;

import io.freehold.node.risk.LiquidationIndex.Entry;
import io.freehold.types.Address;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The entries of one bucket of a {@link LiquidationIndex}, sorted by key (then account): a sorted
 * array, rebuilt now and then, plus a small tree of the entries added since and marks on the
 * array's entries removed since.
 *
 * <p>Why not a tree alone: a price shock may make a hundred thousand positions unhealthy at once,
 * and walking that many tree nodes is pointer chasing, a cache miss each (~100 ns). The array is
 * walked in order over primitive keys (a few ns each), and an entry object is touched only when it
 * is returned or valued exactly. Changes cost O(log n) until the tree and the marks reach 1/32 of
 * the bucket; then the array is rebuilt in O(n), which keeps the amortized cost per change
 * constant.
 */
final class IndexBucket {

    /**
     * Receives an entry with its key, so that the key is read from the array, not the entry object.
     */
    interface Visitor {
        void visit(double key, Entry entry);
    }

    // By key, then by account.
    static final Comparator<Entry> ORDER =
            (a, b) -> {
                int byKey = Double.compare(a.key(), b.key());
                return byKey != 0 ? byKey : a.account().compareTo(b.account());
            };
    private static final int MIN_PENDING = 8;
    // Bounds of the tree's ranges, taken inclusively: the lowest and highest accounts there are.
    private static final Address FIRST = Address.of("0x0000000000000000000000000000000000000000");
    private static final Address LAST = Address.of("0xffffffffffffffffffffffffffffffffffffffff");

    private double[] keys = new double[0];
    private Entry[] entries = new Entry[0];
    private boolean[] removed = new boolean[0];
    private int removedCount;
    private final NavigableSet<Entry> added = new TreeSet<>(ORDER);

    int size() {
        return entries.length - removedCount + added.size();
    }

    void add(Entry e) {
        added.add(e);
        compactIfDue();
    }

    /**
     * Adds many entries with one sort of the whole bucket, O((n + m) log(n + m)), instead of m tree
     * inserts and the array rebuilds they trigger: how a rebuilt index is filled.
     */
    void addAll(List<Entry> es) {
        if (es.isEmpty()) {
            return;
        }
        Entry[] all = new Entry[size() + es.size()];
        int n = 0;
        for (int i = 0; i < entries.length; i++) {
            if (!removed[i]) {
                all[n++] = entries[i];
            }
        }
        for (Entry e : added) {
            all[n++] = e;
        }
        for (Entry e : es) {
            all[n++] = e;
        }
        sort(all);
        double[] k = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            k[i] = all[i].key();
        }
        keys = k;
        entries = all;
        removed = new boolean[all.length];
        removedCount = 0;
        added.clear();
    }

    /**
     * Sorts {@code entries} in {@link #ORDER}. A comparator sort of a million entries follows two
     * pointers per comparison, a cache miss each: it was half of a restart's index building. So the
     * keys are sorted as primitives first: a positive double's bits are in its order, and each
     * key's bits, cut short to make room for the entry's position in the array, make one {@code
     * long}. The entries read back in that order are in {@link #ORDER} except among keys equal in
     * the bits kept (and among equal keys, by account), which a comparator sort then fixes in about
     * one pass: it finds the array already in long ascending runs.
     */
    static void sort(Entry[] entries) {
        int n = entries.length;
        if (n < 2) {
            return;
        }
        int positionBits = 64 - Long.numberOfLeadingZeros(n - 1);
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            // Keys are positive (shares over collateral, both above 0): the sign bit is 0, and
            // dropping the low bits keeps the order (equal keys may tie, never swap).
            long bits = Double.doubleToRawLongBits(entries[i].key());
            packed[i] = (bits >>> positionBits) << positionBits | i;
        }
        Arrays.sort(packed);
        Entry[] byKey = new Entry[n];
        long position = (1L << positionBits) - 1;
        for (int i = 0; i < n; i++) {
            byKey[i] = entries[(int) (packed[i] & position)];
        }
        Arrays.sort(byKey, ORDER);
        System.arraycopy(byKey, 0, entries, 0, n);
    }

    void remove(Entry e) {
        if (!added.remove(e)) {
            int i = indexOf(e);
            removed[i] = true;
            removedCount++;
        }
        compactIfDue();
    }

    /**
     * Hands {@code visitor} every entry with {@code lowest ≤ key ≤ highest} (either may be
     * infinite).
     */
    void forEach(double lowest, double highest, Visitor visitor) {
        if (!(lowest <= highest)) {
            return;
        }
        for (int i = firstAtLeast(lowest); i < keys.length && keys[i] <= highest; i++) {
            if (!removed[i]) {
                visitor.visit(keys[i], entries[i]);
            }
        }
        if (!added.isEmpty()) {
            for (Entry e : added.subSet(probe(lowest, false), true, probe(highest, true), true)) {
                visitor.visit(e.key(), e);
            }
        }
    }

    /** Every entry, for the full scan. */
    void forEach(Visitor visitor) {
        forEach(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, visitor);
    }

    private void compactIfDue() {
        if (added.size() + removedCount <= Math.max(MIN_PENDING, entries.length / 32)) {
            return;
        }
        int live = size();
        double[] k = new double[live];
        Entry[] e = new Entry[live];
        int n = 0;
        int i = 0;
        for (Entry next : added) {
            for (; i < entries.length && (removed[i] || ORDER.compare(entries[i], next) < 0); i++) {
                if (!removed[i]) {
                    k[n] = keys[i];
                    e[n++] = entries[i];
                }
            }
            k[n] = next.key();
            e[n++] = next;
        }
        for (; i < entries.length; i++) {
            if (!removed[i]) {
                k[n] = keys[i];
                e[n++] = entries[i];
            }
        }
        keys = k;
        entries = e;
        removed = new boolean[live];
        removedCount = 0;
        added.clear();
    }

    /** The first index whose key is at least {@code key} (the length if none). */
    private int firstAtLeast(double key) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The array index of a live entry of the array. */
    private int indexOf(Entry e) {
        int lo = firstAtLeast(e.key());
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = ORDER.compare(entries[mid], e);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                if (removed[mid]) {
                    break;
                }
                return mid;
            }
        }
        throw new IllegalStateException(
                "entry " + e + " is not in its bucket; the index is corrupt");
    }

    /**
     * An entry-shaped bound: before every entry with its key ({@code last} false) or after them
     * all.
     */
    private static Entry probe(double key, boolean last) {
        return new Entry(last ? LAST : FIRST, null, null, key);
    }
}
