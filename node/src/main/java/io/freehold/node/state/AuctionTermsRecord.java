package io.freehold.node.state;

import io.freehold.contracts.math.AuctionTerms;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * An auction market's auction parameters, from the auction's {@code AuctionMarketConfigured} (never
 * changed after the market's creation).
 */
public record AuctionTermsRecord(MarketId marketId, AuctionTerms terms) {

    public AuctionTermsRecord {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(terms, "terms");
    }
}
