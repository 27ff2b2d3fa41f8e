package io.freehold.aave.local;

/**
 * Where a local Aave v3 market lives: its contracts (the Pool and PoolConfigurator are the proxies
 * the addresses provider created), its two reserves and their tokens, and the block its deployment
 * started at (a follower reads logs from there).
 *
 * @param stablecoin the reserve lenders supply and borrowers borrow (6 decimals, $1.00)
 * @param propertyToken the property-token stand-in, collateral only (18 decimals)
 */
public record AaveMarket(
        long chainId,
        long startBlock,
        String addressesProvider,
        String aclManager,
        String pool,
        String poolConfigurator,
        String oracle,
        String dataProvider,
        String admin,
        Reserve stablecoin,
        Reserve propertyToken) {

    /** One reserve: the underlying, its tokens and the MockAggregator pricing it at deployment. */
    public record Reserve(
            String symbol,
            int decimals,
            String asset,
            String aToken,
            String stableDebtToken,
            String variableDebtToken,
            String initialPriceSource) {}
}
