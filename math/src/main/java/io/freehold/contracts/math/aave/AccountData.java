package io.freehold.contracts.math.aave;

import java.math.BigInteger;

/**
 * What {@code Pool.getUserAccountData(user)} returns, in its order and units: values in the
 * oracle's base currency (8 decimals for a USD-based AaveOracle), {@code ltv} and {@code
 * currentLiquidationThreshold} the collateral-weighted averages in basis points, {@code
 * healthFactor} a wad ({@code 2^256 - 1} without debt).
 */
public record AccountData(
        BigInteger totalCollateralBase,
        BigInteger totalDebtBase,
        BigInteger availableBorrowsBase,
        BigInteger currentLiquidationThreshold,
        BigInteger ltv,
        BigInteger healthFactor) {}
