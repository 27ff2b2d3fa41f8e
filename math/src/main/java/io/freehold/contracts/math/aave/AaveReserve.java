package io.freehold.contracts.math.aave;

import static io.freehold.contracts.math.aave.RayMath.RAY;
import static io.freehold.contracts.math.aave.RayMath.rayMul;

import io.freehold.types.Address;
import java.math.BigInteger;

/**
 * One reserve as the pool stores it (the part of {@code DataTypes.ReserveData} the account data
 * reads): the indexes and rates of its last update, rays, and the configuration word.
 *
 * @param id the reserve's slot in the pool's reserves list: its bits in every account's {@code
 *     UserConfigurationMap} are {@code 2 * id} (borrowing) and {@code 2 * id + 1} (collateral)
 * @param lastUpdateTimestamp the block time of the last {@code ReserveDataUpdated}; 0 before the
 *     first (the pool's {@code init} leaves it so, with both indexes at one ray)
 */
public record AaveReserve(
        Address asset,
        int id,
        Address aToken,
        Address stableDebtToken,
        Address variableDebtToken,
        Address interestRateStrategy,
        ReserveConfiguration configuration,
        BigInteger liquidityIndex,
        BigInteger variableBorrowIndex,
        BigInteger liquidityRate,
        BigInteger variableBorrowRate,
        BigInteger stableBorrowRate,
        long lastUpdateTimestamp) {

    /** A reserve as {@code Pool.initReserve} leaves it. */
    static AaveReserve initialized(
            Address asset,
            int id,
            Address aToken,
            Address stableDebtToken,
            Address variableDebtToken,
            Address strategy,
            ReserveConfiguration configuration) {
        return new AaveReserve(
                asset,
                id,
                aToken,
                stableDebtToken,
                variableDebtToken,
                strategy,
                configuration,
                RAY,
                RAY,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                0);
    }

    /**
     * {@code getNormalizedIncome()} in a block at {@code timestamp}: the liquidity index grown
     * linearly since the last update.
     */
    public BigInteger normalizedIncome(long timestamp) {
        if (timestamp == lastUpdateTimestamp) {
            return liquidityIndex;
        }
        return rayMul(
                AaveInterest.linear(liquidityRate, timestamp - lastUpdateTimestamp),
                liquidityIndex);
    }

    /**
     * {@code getNormalizedDebt()} in a block at {@code timestamp}: the variable borrow index
     * compounded since the last update.
     */
    public BigInteger normalizedDebt(long timestamp) {
        if (timestamp == lastUpdateTimestamp) {
            return variableBorrowIndex;
        }
        return rayMul(
                AaveInterest.compounded(variableBorrowRate, timestamp - lastUpdateTimestamp),
                variableBorrowIndex);
    }

    AaveReserve withConfiguration(ReserveConfiguration next) {
        return new AaveReserve(
                asset,
                id,
                aToken,
                stableDebtToken,
                variableDebtToken,
                interestRateStrategy,
                next,
                liquidityIndex,
                variableBorrowIndex,
                liquidityRate,
                variableBorrowRate,
                stableBorrowRate,
                lastUpdateTimestamp);
    }

    AaveReserve withStrategy(Address strategy) {
        return new AaveReserve(
                asset,
                id,
                aToken,
                stableDebtToken,
                variableDebtToken,
                strategy,
                configuration,
                liquidityIndex,
                variableBorrowIndex,
                liquidityRate,
                variableBorrowRate,
                stableBorrowRate,
                lastUpdateTimestamp);
    }

    AaveReserve updated(
            BigInteger liquidityRate,
            BigInteger stableBorrowRate,
            BigInteger variableBorrowRate,
            BigInteger liquidityIndex,
            BigInteger variableBorrowIndex,
            long timestamp) {
        return new AaveReserve(
                asset,
                id,
                aToken,
                stableDebtToken,
                variableDebtToken,
                interestRateStrategy,
                configuration,
                liquidityIndex,
                variableBorrowIndex,
                liquidityRate,
                variableBorrowRate,
                stableBorrowRate,
                timestamp);
    }
}
