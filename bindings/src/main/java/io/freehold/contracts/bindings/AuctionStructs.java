package io.freehold.contracts.bindings;

import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.types.Address;

/**
 * The liquidation structs as the web3j wrappers return them (the pool's liquidation terms and cure
 * flags, the auction's parameters), turned into the math's types, as {@link PoolStructs} does for
 * markets and positions.
 */
public final class AuctionStructs {

    private AuctionStructs() {}

    /** The terms as the pool's {@code liquidationTerms(id)} view returns them. */
    public static LiquidationTerms liquidationTerms(LendingPool.LiquidationTerms t) {
        return new LiquidationTerms(
                Address.of(t.auction), t.cureWindow.longValueExact(), t.hardFloorHealth);
    }

    /** The flag as the pool's {@code cureFlag(id, borrower)} view returns it. */
    public static CureFlagState cureFlag(LendingPool.CureFlag f) {
        return new CureFlagState(
                f.flaggedAt.longValueExact(), f.appraisalSeq, f.price, f.inAuction);
    }

    /**
     * The parameters as the auction's {@code auctionParams(id)} view or {@code
     * AuctionMarketConfigured} event carries them.
     */
    public static AuctionTerms auctionTerms(DutchAuction.AuctionParams a) {
        return new AuctionTerms(
                a.startPremium,
                a.floorRatio,
                a.duration.longValueExact(),
                a.penalty,
                a.keeperFlatFee,
                a.keeperFeeRate,
                a.keeperFeeCap,
                a.maxPaidRestarts.intValueExact());
    }
}
