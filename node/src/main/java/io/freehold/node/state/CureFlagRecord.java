package io.freehold.node.state;

import io.freehold.contracts.math.CureFlagState;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * A position's cure flag and auction lock, as the pool's {@code cureFlag(id, borrower)} view
 * returns them. Only positions flagged or in auction have a row; every other reads {@link
 * CureFlagState#NONE}.
 */
public record CureFlagRecord(MarketId marketId, Address borrower, CureFlagState flag) {

    public CureFlagRecord {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(flag, "flag");
    }
}
