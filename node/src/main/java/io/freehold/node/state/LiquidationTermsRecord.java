package io.freehold.node.state;

import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * A market's liquidation terms, from its {@code LiquidationTermsSet} (never changed after the
 * market's creation). A market without a row has {@link LiquidationTerms#FIXED}.
 */
public record LiquidationTermsRecord(MarketId marketId, LiquidationTerms terms) {

    public LiquidationTermsRecord {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(terms, "terms");
    }
}
