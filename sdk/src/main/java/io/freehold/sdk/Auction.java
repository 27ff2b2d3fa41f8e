package io.freehold.sdk;

import io.freehold.contracts.math.AuctionTake;
import io.freehold.contracts.math.Auctions;
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
 * <p>{@link #previewTake(BigInteger, Instant)} tells what a take would buy and pay, offline and
 * exactly as the auction contract computes it:
 *
 * <pre>{@code
 * Auction a = position.actionability().auction().orElseThrow();
 * TakePreview now = a.previewTake(new BigInteger("50000000000000000000"));  // 50 tokens, at asOf
 * TakePreview later = a.previewTake(Uint256.MAX, a.endsAt());               // all of it, at the floor
 * }</pre>
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

    /**
     * The moment the values are from: the position's {@code asOfTime} ({@code endsAt −
     * timeToFloor}; {@code endsAt} once the auction needs a restart).
     */
    public Instant asOf() {
        return endsAt.minus(timeToFloor);
    }

    /**
     * What taking {@code collateral} (base units; {@code Uint256.MAX} for all that is left) would
     * buy and pay at the position's {@link #asOf()}: equal to the contract's {@code take} in a
     * block with that timestamp, to the wei.
     *
     * <pre>{@code
     * TakePreview p = auction.previewTake(new BigInteger("50000000000000000000"));
     * pool.auction(marketId).take(auction.auctionId(), TokenAmount.of(p.bought(), 18), p.price());
     * }</pre>
     *
     * @throws IllegalStateException if the auction needs a restart (no take is possible)
     */
    public TakePreview previewTake(BigInteger collateral) {
        if (needsRestart) {
            throw new IllegalStateException(
                    "auction "
                            + auctionId
                            + " reached its floor at "
                            + endsAt
                            + ": it needs a restart");
        }
        return previewTake(collateral, asOf());
    }

    /**
     * What taking {@code collateral} (base units; {@code Uint256.MAX} for all that is left) would
     * buy and pay in a block at {@code at}, between {@link #asOf()} and {@code endsAt}: the price
     * then (as the auction's {@code priceAt}), from the lot and tab left at {@link #asOf()}.
     *
     * <p>Exact to the wei when nobody else takes in between and either {@code at} is {@link
     * #asOf()}, or the take does not clear the debt (the debt only grows by interest until then, so
     * a take that pays less than the tab at {@code asOf} pays the same later). A take that clears
     * the debt at a later moment pays the interest since {@code asOf} too: a few base units more,
     * for a little more collateral.
     *
     * <pre>{@code
     * Instant inAnHour = auction.asOf().plusSeconds(3_600);
     * TakePreview p = auction.previewTake(new BigInteger("50000000000000000000"), inAnHour);
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code at} is before {@link #asOf()} or after {@code
     *     endsAt} (the contract reverts {@code AuctionNeedsRestart} then), or {@code collateral} is
     *     zero ({@code ZeroTake}) or not a uint256
     */
    public TakePreview previewTake(BigInteger collateral, Instant at) {
        Objects.requireNonNull(collateral, "collateral");
        Objects.requireNonNull(at, "at");
        if (collateral.signum() == 0) {
            throw new IllegalArgumentException("a take of zero collateral is refused (ZeroTake)");
        }
        if (at.isBefore(asOf())) {
            throw new IllegalArgumentException(
                    "cannot preview a take at " + at + ", before the values' moment " + asOf());
        }
        BigInteger price =
                Auctions.priceAt(
                        startPrice,
                        floorPrice,
                        startedAt.getEpochSecond(),
                        endsAt.getEpochSecond() - startedAt.getEpochSecond(),
                        at.getEpochSecond());
        AuctionTake take = Auctions.take(lotLeft, tabLeft, collateral, price);
        return new TakePreview(
                Instant.ofEpochSecond(at.getEpochSecond()),
                price,
                take.bought(),
                take.paid(),
                take.closesDebt());
    }
}
