package io.freehold.sdk;

import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An account of an Aave v3 pool as a node following it holds it at the position's {@link
 * Position#asOf()}: {@link Position#aave()} of a position whose {@link Position#protocol()} is
 * {@link Protocol#AAVE_V3}. The first six figures are {@code Pool.getUserAccountData}'s at that
 * block, to the wei (the node rebuilds them from the pool's events; docs/AAVE.md).
 *
 * <pre>{@code
 * Position p = client.position(poolMarketId, account);
 * AaveAccount a = p.aave().orElseThrow();
 * a.healthFactor().isLiquidatable();
 * a.totalDebtBase();             // base-currency units (8 decimals for USD)
 * a.reserve(usdc).map(AaveAccount.Reserve::variableDebt);  // USDC base units
 * }</pre>
 *
 * @param totalCollateralBase base-currency units ({@link AaveMarket#baseCurrencyUnit()})
 * @param totalDebtBase base-currency units
 * @param availableBorrowsBase base-currency units
 * @param currentLiquidationThreshold collateral-weighted
 * @param ltv collateral-weighted
 * @param healthFactor the pool's; {@link HealthFactor#NO_DEBT} without debt
 * @param eModeCategory 0 when the account is in none
 * @param reserves the reserves the account holds or owes, in the pool's order
 */
public record AaveAccount(
        BigInteger totalCollateralBase,
        BigInteger totalDebtBase,
        BigInteger availableBorrowsBase,
        BasisPoints currentLiquidationThreshold,
        BasisPoints ltv,
        HealthFactor healthFactor,
        int eModeCategory,
        List<Reserve> reserves) {

    public AaveAccount {
        Objects.requireNonNull(totalCollateralBase, "totalCollateralBase");
        Objects.requireNonNull(totalDebtBase, "totalDebtBase");
        Objects.requireNonNull(availableBorrowsBase, "availableBorrowsBase");
        Objects.requireNonNull(currentLiquidationThreshold, "currentLiquidationThreshold");
        Objects.requireNonNull(ltv, "ltv");
        Objects.requireNonNull(healthFactor, "healthFactor");
        reserves = List.copyOf(reserves);
    }

    /**
     * The six figures as {@code getUserAccountData} returns them (its order and units), to compare
     * with the pool's answer.
     */
    public AccountData accountData() {
        return new AccountData(
                totalCollateralBase,
                totalDebtBase,
                availableBorrowsBase,
                BigInteger.valueOf(currentLiquidationThreshold.value()),
                BigInteger.valueOf(ltv.value()),
                healthFactor.toWad().raw());
    }

    /** The account's balances in {@code asset}'s reserve, if it holds or owes any. */
    public Optional<Reserve> reserve(Address asset) {
        return reserves.stream().filter(r -> r.asset().equals(asset)).findFirst();
    }

    /**
     * The account in one reserve. Scaled balances are the tokens' {@code scaledBalanceOf}; the
     * others are the underlying's base units at the position's as-of time ({@code rayMul} by the
     * reserve's normalized income or debt, half up, as the tokens' {@code balanceOf}).
     *
     * @param collateral the account's collateral bit for this reserve
     * @param borrowing the account's borrowing bit for this reserve
     */
    public record Reserve(
            Address asset,
            BigInteger scaledATokenBalance,
            BigInteger aTokenBalance,
            BigInteger scaledVariableDebt,
            BigInteger variableDebt,
            boolean collateral,
            boolean borrowing) {

        public Reserve {
            Objects.requireNonNull(asset, "asset");
        }
    }
}
