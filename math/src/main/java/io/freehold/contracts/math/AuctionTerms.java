package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * How an auction market sells seized collateral: the auction's {@code AuctionParams}, from its
 * {@code AuctionMarketConfigured} event or {@code auctionParams(id)} view. Like {@link
 * MarketTerms}, the numbers are the chain's and are not validated again.
 *
 * @param startPremium WAD: an auction starts at appraisal × startPremium (rounded up)
 * @param floorRatio WAD: it falls linearly to appraisal × floorRatio (rounded up)
 * @param durationSeconds from a start (or restart) to the floor
 * @param penalty WAD: ⌈debt × penalty⌉ is added to the debt at the start, for lenders
 * @param keeperFlatFee loan-token base units
 * @param keeperFeeRate WAD, of the debt
 * @param keeperFeeCap loan-token base units: no (re)start pays a keeper more
 * @param maxPaidRestarts restarts after this many pay the keeper nothing
 */
public record AuctionTerms(
        BigInteger startPremium,
        BigInteger floorRatio,
        long durationSeconds,
        BigInteger penalty,
        BigInteger keeperFlatFee,
        BigInteger keeperFeeRate,
        BigInteger keeperFeeCap,
        int maxPaidRestarts) {

    public AuctionTerms {
        Uint256.check(startPremium, "startPremium");
        Uint256.check(floorRatio, "floorRatio");
        Uint256.check(penalty, "penalty");
        Uint256.check(keeperFlatFee, "keeperFlatFee");
        Uint256.check(keeperFeeRate, "keeperFeeRate");
        Uint256.check(keeperFeeCap, "keeperFeeCap");
        if (durationSeconds <= 0) {
            throw new IllegalArgumentException(
                    "durationSeconds must be positive: " + durationSeconds);
        }
        if (maxPaidRestarts < 0) {
            throw new IllegalArgumentException("maxPaidRestarts is negative: " + maxPaidRestarts);
        }
    }
}
