package io.freehold.sdk;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A position's active Dutch auction, where it stands at the position's {@link Position#asOf()}
 * (markets created with auction liquidation; see the contracts' README, "Dutch auction").
 *
 * <p>Prices are the oracle's scale: loan-token base units per collateral-token base unit times
 * 10<sup>36</sup> ({@link Market#PRICE_SCALE}). The price falls linearly from {@code startPrice} at
 * {@code startedAt} to {@code floorPrice} at {@code endsAt}; after that a take needs a restart.
 *
 * @param auctionId the auction contract's id for it
 * @param startedAt the start or the latest restart
 * @param endsAt when the price reaches the floor
 * @param restarts how many times it was restarted
 * @param startPrice the price at {@code startedAt}
 * @param floorPrice the price at {@code endsAt}
 * @param currentPrice what a take pays now, exactly as the auction's {@code priceAt}; empty once
 *     {@code endsAt} has passed
 * @param timeToFloor from the position's {@code asOfTime} to {@code endsAt}, at least zero
 * @param lotLeft collateral-token base units still for sale: the position's collateral
 * @param tabLeft loan-token base units still owed: the position's debt, accrued, rounded up
 * @param needsRestart {@code endsAt} has passed
 */
public record Auction(
        long auctionId,
        Instant startedAt,
        Instant endsAt,
        int restarts,
        BigInteger startPrice,
        BigInteger floorPrice,
        Optional<BigInteger> currentPrice,
        Duration timeToFloor,
        BigInteger lotLeft,
        BigInteger tabLeft,
        boolean needsRestart) {

    public Auction {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(startPrice, "startPrice");
        Objects.requireNonNull(floorPrice, "floorPrice");
        Objects.requireNonNull(currentPrice, "currentPrice");
        Objects.requireNonNull(timeToFloor, "timeToFloor");
        Objects.requireNonNull(lotLeft, "lotLeft");
        Objects.requireNonNull(tabLeft, "tabLeft");
    }
}
