package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;
import java.util.Optional;

/**
 * Which liquidations (or attempts) to list: one market's or all, one borrower's or all; newest
 * first.
 *
 * <pre>{@code
 * LiquidationQuery mine = LiquidationQuery.all().inMarket(marketId).ofBorrower(me);
 * }</pre>
 *
 * @param market only this market's; empty for all
 * @param borrower only this borrower's; empty for all
 */
public record LiquidationQuery(Optional<MarketId> market, Optional<Address> borrower) {

    private static final LiquidationQuery ALL =
            new LiquidationQuery(Optional.empty(), Optional.empty());

    public LiquidationQuery {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(borrower, "borrower");
    }

    /** Every liquidation in every market. */
    public static LiquidationQuery all() {
        return ALL;
    }

    public LiquidationQuery inMarket(MarketId id) {
        return new LiquidationQuery(Optional.of(id), borrower);
    }

    public LiquidationQuery ofBorrower(Address account) {
        return new LiquidationQuery(market, Optional.of(account));
    }
}
