package io.freehold.sdk;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Aave v3 pool as a node following it ({@code freehold.node.protocol=aave-v3}) holds it at the
 * market's {@link Market#asOf()}: {@link Market#aave()} of a market whose {@link Market#protocol()}
 * is {@link Protocol#AAVE_V3}. The figures are the pool's own, in its units (docs/AAVE.md).
 *
 * <pre>{@code
 * Market m = client.markets().get(0);
 * AaveMarket pool = m.aave().orElseThrow();
 * AaveMarket.Reserve realt = pool.reserve(realtAddress).orElseThrow();
 * realt.liquidationThreshold();  // 75.00%
 * realt.price();                 // base-currency units (8 decimals for USD)
 * }</pre>
 *
 * @param baseCurrency the AaveOracle's base currency ({@link Address#ZERO} for USD)
 * @param baseCurrencyUnit prices and account values are in units of 1 ÷ this (10<sup>8</sup> for
 *     USD); empty until the node has seen the oracle's base currency
 * @param reserves in the pool's reserves-list order
 */
public record AaveMarket(
        Address pool,
        Address addressesProvider,
        Address poolConfigurator,
        Address oracle,
        Optional<Address> baseCurrency,
        Optional<BigInteger> baseCurrencyUnit,
        List<Reserve> reserves) {

    public AaveMarket {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(baseCurrency, "baseCurrency");
        Objects.requireNonNull(baseCurrencyUnit, "baseCurrencyUnit");
        reserves = List.copyOf(reserves);
    }

    /** The reserve of {@code asset}, if the pool has one. */
    public Optional<Reserve> reserve(Address asset) {
        return reserves.stream().filter(r -> r.asset().equals(asset)).findFirst();
    }

    /**
     * One reserve of the pool.
     *
     * @param decimals the asset's (and its aToken's) decimals: amounts of it are base units
     * @param liquidationBonus what a liquidator receives per unit repaid (10 500: a 5 % bonus)
     * @param configuration the pool's {@code getConfiguration} word, bit for bit
     * @param price {@code AaveOracle.getAssetPrice}, base-currency units; empty while the node has
     *     no answer from the reserve's price source
     * @param normalizedIncome RAY (10<sup>27</sup>), {@code getReserveNormalizedIncome} at the
     *     market's as-of time
     * @param normalizedVariableDebt RAY, {@code getReserveNormalizedVariableDebt} at that time
     * @param liquidityRate RAY per year, as of {@code lastUpdate}
     * @param variableBorrowRate RAY per year, as of {@code lastUpdate}
     * @param lastUpdate the block time the reserve's indexes were last written
     */
    public record Reserve(
            Address asset,
            Address aToken,
            Address variableDebtToken,
            int decimals,
            BasisPoints ltv,
            BasisPoints liquidationThreshold,
            BasisPoints liquidationBonus,
            boolean borrowingEnabled,
            boolean active,
            boolean frozen,
            boolean paused,
            int eModeCategory,
            BigInteger configuration,
            Optional<BigInteger> price,
            BigInteger normalizedIncome,
            BigInteger normalizedVariableDebt,
            BigInteger liquidityRate,
            BigInteger variableBorrowRate,
            Instant lastUpdate) {

        public Reserve {
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(price, "price");
        }
    }
}
