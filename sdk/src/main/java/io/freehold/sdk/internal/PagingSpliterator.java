package io.freehold.sdk.internal;

import java.util.Iterator;
import java.util.List;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Not public API. The items of a paged listing, one page fetched at a time as the consumer reaches
 * it: a stream of a million positions holds one page in memory, and a stream that is only partly
 * consumed never asks for the rest.
 */
public final class PagingSpliterator<T> extends Spliterators.AbstractSpliterator<T> {

    /** One page: its items and the token of the next, empty on the last. */
    public record Page<T>(List<T> items, String nextPageToken) {}

    private final Function<String, Page<T>> fetch;
    private Iterator<T> current = List.<T>of().iterator();
    private String nextPageToken = ""; // the first page is asked for with an empty token
    private boolean last;

    public PagingSpliterator(Function<String, Page<T>> fetch) {
        super(Long.MAX_VALUE, ORDERED | NONNULL);
        this.fetch = fetch;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
        // A loop, not an if: a page may be empty and still have a next one.
        while (!current.hasNext()) {
            if (last) {
                return false;
            }
            Page<T> page = fetch.apply(nextPageToken);
            current = page.items().iterator();
            nextPageToken = page.nextPageToken();
            last = nextPageToken.isEmpty();
        }
        action.accept(current.next());
        return true;
    }
}
