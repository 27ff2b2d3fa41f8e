package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * A position valued at one price on a market accrued to one moment: the fields of the contract's
 * {@code PositionView} (without the oracle's timestamp and staleness, and without the rent, which
 * {@link Rent#claimable} computes), plus whether {@code liquidate} would accept it.
 *
 * @param supplyShares the lender's shares
 * @param supplyAssets loan-token base units they are worth, rounded down
 * @param borrowShares the borrower's debt shares
 * @param debt loan-token base units owed, rounded up
 * @param collateral collateral-token base units locked
 * @param collateralValue loan-token base units, rounded down
 * @param ltv debt / collateralValue (WAD), rounded up; 0 without debt, {@code type(uint256).max}
 *     without value
 * @param healthFactor maxDebt(lltv) / debt (WAD), rounded down; {@code type(uint256).max} without
 *     debt
 * @param liquidationPrice liquidatable exactly when the price is below it (PRICE_SCALE); 0 without
 *     debt
 * @param maxBorrowable the largest {@code borrow} passing the maxLtv check now (liquidity and caps
 *     aside)
 * @param price the appraisal used (PRICE_SCALE)
 * @param liquidatable debt &gt; maxDebt(lltv), which is healthFactor &lt; 1e18 and price &lt;
 *     liquidationPrice; the {@code isLiquidatable} view also answers false while the price is stale
 *     or the token paused
 */
public record PositionValuation(
        BigInteger supplyShares,
        BigInteger supplyAssets,
        BigInteger borrowShares,
        BigInteger debt,
        BigInteger collateral,
        BigInteger collateralValue,
        BigInteger ltv,
        BigInteger healthFactor,
        BigInteger liquidationPrice,
        BigInteger maxBorrowable,
        BigInteger price,
        boolean liquidatable) {

    public PositionValuation {
        Uint256.check(supplyShares, "supplyShares");
        Uint256.check(supplyAssets, "supplyAssets");
        Uint256.check(borrowShares, "borrowShares");
        Uint256.check(debt, "debt");
        Uint256.check(collateral, "collateral");
        Uint256.check(collateralValue, "collateralValue");
        Uint256.check(ltv, "ltv");
        Uint256.check(healthFactor, "healthFactor");
        Uint256.check(liquidationPrice, "liquidationPrice");
        Uint256.check(maxBorrowable, "maxBorrowable");
        Uint256.check(price, "price");
    }
}
