package io.freehold.node.store;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Optional;

/**
 * Which liquidations to read from the history, newest first: optionally one market's, optionally
 * one borrower's, only those before a log position (keyset paging: the last row of the previous
 * page).
 */
public record LiquidationQuery(
        Optional<MarketId> market,
        Optional<Address> borrower,
        Optional<LogPosition> before,
        int limit) {

    /**
     * Where a log is in the chain: newest first means by block number, then by index in the block,
     * descending.
     */
    public record LogPosition(long blockNumber, long logIndex) {}

    public LiquidationQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
