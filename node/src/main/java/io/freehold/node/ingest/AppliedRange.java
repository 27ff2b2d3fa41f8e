package io.freehold.node.ingest;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Set;

/**
 * What one follower step applied: the block range, the time of its last block, and which records
 * changed. A market's totals changing (accrual, supply, borrow...) changes every position's debt in
 * it; a token's price feed or flags changing touches every market on that token.
 *
 * @param toTimestamp unix seconds of block {@code toBlock}
 * @param reversible whether the blocks are still inside the unconfirmed window
 * @param markets markets whose totals or parameters changed
 * @param positions positions whose shares, collateral or rent changed
 * @param tokens property tokens whose price feed, pause flag, frozen holders or rent changed
 */
public record AppliedRange(
        long fromBlock,
        long toBlock,
        long toTimestamp,
        boolean reversible,
        Set<MarketId> markets,
        Set<PositionKey> positions,
        Set<Address> tokens) {

    public AppliedRange {
        markets = Set.copyOf(markets);
        positions = Set.copyOf(positions);
        tokens = Set.copyOf(tokens);
    }

    /** A position's identity: its market and account. */
    public record PositionKey(MarketId marketId, Address account) {}
}
