package io.freehold.node.risk;

import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.Auctions;
import io.freehold.node.state.AuctionRecord;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a position's active auction stands at one moment: its record, and the price a take pays
 * then, computed as the auction's {@code priceAt} (linear from the start price to the floor, the
 * decrease rounded down). The lot and the tab left are the position's collateral and debt.
 *
 * @param price PRICE_SCALE; empty past {@link AuctionRecord#endsAt()}: the auction needs a restart
 *     before anyone takes
 * @param secondsToFloor until the floor time, 0 once it passed
 */
public record AuctionStanding(
        AuctionRecord auction, Optional<BigInteger> price, long secondsToFloor) {

    public AuctionStanding {
        Objects.requireNonNull(auction, "auction");
        Objects.requireNonNull(price, "price");
    }

    /** The auction at unix time {@code now}, under its market's {@code terms}. */
    static AuctionStanding at(AuctionRecord auction, AuctionTerms terms, long now) {
        boolean running = now >= auction.startedAt() && now <= auction.endsAt();
        Optional<BigInteger> price =
                running
                        ? Optional.of(
                                Auctions.priceAt(
                                        terms,
                                        auction.startPrice(),
                                        auction.floorPrice(),
                                        auction.startedAt(),
                                        now))
                        : Optional.empty();
        return new AuctionStanding(auction, price, Math.max(0, auction.endsAt() - now));
    }

    /** Whether the auction passed its floor time: takes revert until someone restarts it. */
    public boolean needsRestart() {
        return price.isEmpty();
    }
}
