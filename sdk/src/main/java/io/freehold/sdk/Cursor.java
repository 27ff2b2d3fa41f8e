package io.freehold.sdk;

import java.util.Objects;

/**
 * Where in the chain a response stands: the block the node had applied when it produced it, and an
 * order within that block. A watch resumed from a cursor continues after it.
 *
 * <pre>{@code
 * Cursor at = position.asOf();
 * at.blockNumber();  // 1234567
 * }</pre>
 *
 * @param blockNumber the applied block (a uint64 on the wire; block numbers fit a long)
 * @param blockHash {@code 0x} and 64 hex digits, as the node sends it
 * @param sequence orders messages within one block; increases along a stream
 */
public record Cursor(long blockNumber, String blockHash, long sequence) {

    public Cursor {
        Objects.requireNonNull(blockHash, "blockHash");
    }
}
