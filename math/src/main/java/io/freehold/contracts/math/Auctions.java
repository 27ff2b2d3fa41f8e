package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.PRICE_SCALE;
import static io.freehold.contracts.math.FixedPoint.WAD;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * The Dutch auction's math ({@code DutchAuction.sol}, {@code AuctionLib.sol} and the pool's auction
 * hooks), exact to the wei:
 *
 * <pre>
 *   penalty      = ⌈debt × penalty / 1e18⌉                          added to the debt at the start
 *   keeperReward = min(flatFee + ⌊debt × feeRate / 1e18⌋, feeCap)    on the debt after the penalty;
 *                                                                   the pool pays at most its idle liquidity
 *   startPrice   = ⌈appraisal × startPremium / 1e18⌉,  floorPrice = ⌈appraisal × floorRatio / 1e18⌉
 *   price(t)     = startPrice − ⌊(startPrice − floorPrice) × (t − startedAt) / duration⌋
 *                  for startedAt ≤ t ≤ startedAt + duration; after that the auction needs a restart
 *   take:  bought = min(requested, lot);  paid = ⌈bought × price / 1e36⌉
 *          if paid &gt; debt: paid = debt;  bought = ⌈debt × 1e36 / price⌉
 * </pre>
 *
 * <p>Prices are PRICE_SCALE (1e36) loan-token base units per collateral base unit, as the oracle's.
 */
public final class Auctions {

    private Auctions() {}

    /** The price an auction starts (or restarts) at on {@code appraisal}. */
    public static BigInteger startPrice(AuctionTerms terms, BigInteger appraisal) {
        return FixedPoint.mulDivUp(appraisal, terms.startPremium(), WAD);
    }

    /** The price an auction started on {@code appraisal} falls to. */
    public static BigInteger floorPrice(AuctionTerms terms, BigInteger appraisal) {
        return FixedPoint.mulDivUp(appraisal, terms.floorRatio(), WAD);
    }

    /**
     * The price at {@code timestamp} of an auction (re)started at {@code startedAt}, as the
     * auction's {@code priceAt}.
     *
     * @throws IllegalArgumentException outside [startedAt, startedAt + duration] (the contract
     *     reverts {@code AuctionNeedsRestart} there)
     */
    public static BigInteger priceAt(
            AuctionTerms terms,
            BigInteger startPrice,
            BigInteger floorPrice,
            long startedAt,
            long timestamp) {
        return priceAt(startPrice, floorPrice, startedAt, terms.durationSeconds(), timestamp);
    }

    /**
     * {@link #priceAt(AuctionTerms, BigInteger, BigInteger, long, long)} for a reader who has the
     * auction's run ({@code startedAt}, {@code durationSeconds} = endsAt − startedAt) rather than
     * the market's terms, e.g. from the node's position.
     *
     * @throws IllegalArgumentException outside [startedAt, startedAt + durationSeconds], or for a
     *     duration that is not positive
     */
    public static BigInteger priceAt(
            BigInteger startPrice,
            BigInteger floorPrice,
            long startedAt,
            long durationSeconds,
            long timestamp) {
        Uint256.check(startPrice, "startPrice");
        Uint256.check(floorPrice, "floorPrice");
        if (durationSeconds <= 0) {
            throw new IllegalArgumentException(
                    "durationSeconds must be positive: " + durationSeconds);
        }
        long endsAt = Math.addExact(startedAt, durationSeconds);
        if (timestamp < startedAt || timestamp > endsAt) {
            throw new IllegalArgumentException(
                    "the auction has no price at "
                            + timestamp
                            + ": it runs from "
                            + startedAt
                            + " to "
                            + endsAt);
        }
        BigInteger drop =
                FixedPoint.mulDivDown(
                        UintMath.sub(startPrice, floorPrice, "startPrice - floorPrice"),
                        BigInteger.valueOf(timestamp - startedAt),
                        BigInteger.valueOf(durationSeconds));
        return startPrice.subtract(drop);
    }

    /** When an auction (re)started at {@code startedAt} reaches its floor; takes stop after it. */
    public static long endsAt(AuctionTerms terms, long startedAt) {
        return Math.addExact(startedAt, terms.durationSeconds());
    }

    /** The penalty the pool adds to a debt of {@code debt} when its auction starts. */
    public static BigInteger penalty(AuctionTerms terms, BigInteger debt) {
        return FixedPoint.mulDivUp(debt, terms.penalty(), WAD);
    }

    /**
     * The keeper reward of a start or paid restart on a position owing {@code debt} (after the
     * penalty); what the keeper receives is this capped at the market's idle liquidity.
     */
    public static BigInteger keeperReward(AuctionTerms terms, BigInteger debt) {
        BigInteger reward =
                UintMath.add(
                        terms.keeperFlatFee(),
                        FixedPoint.wMulDown(debt, terms.keeperFeeRate()),
                        "keeperFlatFee + debt x keeperFeeRate");
        return reward.min(terms.keeperFeeCap());
    }

    /** Whether restart number {@code restart} (1 for the first) pays its keeper. */
    public static boolean restartIsPaid(AuctionTerms terms, int restart) {
        return restart <= terms.maxPaidRestarts();
    }

    /**
     * What a take of {@code requested} collateral ({@link Uint256#MAX} for all that is left) buys
     * and pays at {@code price} from a position holding {@code lot} and owing {@code debt} (accrued
     * to the take's block): the taker never pays above the price rounded up, and pays less only on
     * the slice that clears the debt, by less than one collateral base unit's worth.
     */
    public static AuctionTake take(
            BigInteger lot, BigInteger debt, BigInteger requested, BigInteger price) {
        Uint256.check(lot, "lot");
        Uint256.check(debt, "debt");
        Uint256.check(requested, "requested");
        Uint256.check(price, "price");
        BigInteger bought = requested.min(lot);
        BigInteger paid = FixedPoint.mulDivUp(bought, price, PRICE_SCALE);
        if (paid.compareTo(debt) > 0) {
            return new AuctionTake(FixedPoint.mulDivUp(debt, PRICE_SCALE, price), debt, true);
        }
        return new AuctionTake(bought, paid, paid.equals(debt));
    }
}
