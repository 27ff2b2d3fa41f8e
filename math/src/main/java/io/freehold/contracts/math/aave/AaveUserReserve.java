package io.freehold.contracts.math.aave;

import java.math.BigInteger;

/**
 * One account in one reserve: its scaled aToken and variable-debt balances (what {@code
 * scaledBalanceOf} returns; times the reserve's normalized income or debt they are the underlying
 * amounts) and its two bits of the pool's {@code UserConfigurationMap}.
 *
 * @param collateral the account uses this reserve as collateral
 * @param borrowing the pool counts the account as borrowing this reserve (set when a borrow starts
 *     from a zero scaled debt, cleared when a repay or liquidation burns the whole debt: the pool's
 *     own rule, which a dust remainder can make differ from "scaled debt > 0")
 */
public record AaveUserReserve(
        BigInteger scaledATokenBalance,
        BigInteger scaledVariableDebt,
        boolean collateral,
        boolean borrowing) {

    public static final AaveUserReserve EMPTY =
            new AaveUserReserve(BigInteger.ZERO, BigInteger.ZERO, false, false);

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    AaveUserReserve withATokens(BigInteger scaled) {
        return new AaveUserReserve(scaled, scaledVariableDebt, collateral, borrowing);
    }

    AaveUserReserve withDebt(BigInteger scaled, boolean borrowing) {
        return new AaveUserReserve(scaledATokenBalance, scaled, collateral, borrowing);
    }

    AaveUserReserve withCollateral(boolean collateral) {
        return new AaveUserReserve(scaledATokenBalance, scaledVariableDebt, collateral, borrowing);
    }
}
