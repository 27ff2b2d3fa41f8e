package io.freehold.node.store;

import java.util.List;

/**
 * A row that a block the store can still roll back has changed, and the newest such block: what a
 * restarted node marks as unconfirmed.
 *
 * @param table the store table: {@code market}, {@code position}, {@code price_feed}, {@code
 *     token_state}, {@code frozen_account} or {@code verified_account}
 * @param key the row's key columns as stored (lowercase 0x hex)
 */
public record ReversibleChange(String table, List<String> key, long block) {

    public ReversibleChange {
        key = List.copyOf(key);
    }
}
