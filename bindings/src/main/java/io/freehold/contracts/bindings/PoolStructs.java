package io.freehold.contracts.bindings;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.types.Address;

/**
 * The pool's structs as the web3j wrappers return them, turned into the math's types ({@code
 * io.freehold.contracts.math}), which are the one definition every module computes and stores with.
 * Here, not in the math, so that the math needs no web3j.
 */
public final class PoolStructs {

    private PoolStructs() {}

    /**
     * The terms as the pool's {@code marketParams(id)} view or {@code MarketCreated} event carries
     * them.
     */
    public static MarketTerms terms(LendingPool.MarketParams p) {
        return new MarketTerms(
                Address.of(p.collateralToken),
                Address.of(p.loanToken),
                Address.of(p.oracle),
                p.lltv,
                p.maxLtv,
                p.liquidationIncentive,
                p.baseRatePerYear,
                p.slope1PerYear,
                p.slope2PerYear,
                p.kinkUtilization,
                p.supplyCap,
                p.borrowCap,
                p.minLeftoverDebt);
    }

    /** The totals as the pool's {@code market(id)} view returns them. */
    public static MarketState market(LendingPool.Market m) {
        return new MarketState(
                m.totalSupplyAssets,
                m.totalSupplyShares,
                m.totalBorrowAssets,
                m.totalBorrowShares,
                m.totalCollateral,
                m.lastUpdate.longValueExact());
    }

    /** The position as the pool's {@code positionShares(id, account)} view returns it. */
    public static PositionState position(LendingPool.Position p) {
        return new PositionState(
                p.supplyShares, p.borrowShares, p.collateral, p.rentIndexPaid, p.rentAccrued);
    }
}
