package io.freehold.sdk;

import io.freehold.types.MarketId;
import java.util.Objects;
import java.util.Optional;

/**
 * Which opportunities to watch: one market or all, and how close to the liquidation line.
 * Immutable.
 *
 * <pre>{@code
 * OpportunityQuery nearLine = OpportunityQuery.liquidatable()
 *         .inMarket(marketId)
 *         .withHealthFactorBelow(Wad.parse("1.05")); // also those about to become liquidatable
 * }</pre>
 *
 * @param market only this market's; empty for every market
 * @param healthFactorBelow also positions below this health factor that are not liquidatable yet;
 *     empty for the node's default of 1.0 (liquidatable only); at most 2.0
 */
public record OpportunityQuery(Optional<MarketId> market, Optional<Wad> healthFactorBelow) {

    private static final OpportunityQuery LIQUIDATABLE =
            new OpportunityQuery(Optional.empty(), Optional.empty());

    public OpportunityQuery {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(healthFactorBelow, "healthFactorBelow");
    }

    /** Liquidatable positions in every market. */
    public static OpportunityQuery liquidatable() {
        return LIQUIDATABLE;
    }

    /** This query, for one market only. */
    public OpportunityQuery inMarket(MarketId id) {
        return new OpportunityQuery(Optional.of(id), healthFactorBelow);
    }

    /** This query, also with positions below {@code healthFactor} (at most 2.0). */
    public OpportunityQuery withHealthFactorBelow(Wad healthFactor) {
        return new OpportunityQuery(market, Optional.of(healthFactor));
    }
}
