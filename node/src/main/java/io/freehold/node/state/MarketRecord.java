package io.freehold.node.state;

import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.types.MarketId;
import java.util.Objects;

/** One isolated market as the store keeps it: its id, its fixed parameters and its totals. */
public record MarketRecord(MarketId id, MarketTerms params, MarketState totals) {

    public MarketRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(totals, "totals");
    }

    /** The same market with new totals (parameters never change after creation). */
    public MarketRecord withTotals(MarketState newTotals) {
        return new MarketRecord(id, params, newTotals);
    }
}
