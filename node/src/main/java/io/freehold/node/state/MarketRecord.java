package io.freehold.node.state;

import io.freehold.types.MarketId;

import java.util.Objects;

/** One isolated market as the store keeps it: its id, its fixed parameters and its totals. */
public record MarketRecord(MarketId id, MarketParams params, MarketTotals totals) {

    public MarketRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(totals, "totals");
    }

    /** The same market with new totals (parameters never change after creation). */
    public MarketRecord withTotals(MarketTotals newTotals) {
        return new MarketRecord(id, params, newTotals);
    }
}
