package io.freehold.node.aave;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Which Aave v3 market the node follows when {@code freehold.node.protocol=aave-v3}: bound from
 * {@code freehold.node.aave.*}. Only the addresses provider is required: the pool, the configurator
 * and the oracle are asked of it. An address set here as well is checked against the provider's at
 * start (a mismatch stops the start naming both), so a configuration copied from a block explorer
 * cannot silently follow another market.
 *
 * @param addressesProvider the market's {@code PoolAddressesProvider}
 * @param pool the {@code Pool} proxy; optional, must equal the provider's {@code getPool()}
 * @param oracle the {@code AaveOracle}; optional, must equal the provider's {@code
 *     getPriceOracle()}
 * @param dataProvider the {@code AaveProtocolDataProvider}; optional, must answer for this provider
 *     ({@code ADDRESSES_PROVIDER()})
 * @param startBlock the first block read: at or before the block the market's first contract was
 *     deployed in, so that the book sees every reserve's initialization and every price source's
 *     first answer. Required.
 * @param liquidator an address the opportunities' {@code liquidationCall} is simulated from ({@code
 *     eth_call} at the applied block; it needs the debt asset and the pool's allowance); optional:
 *     without it opportunities are sized but not simulated. In {@code EXECUTE} mode the liquidator
 *     key's address is used; a different address here stops the start.
 * @param nativePrice what one whole native coin (1e18 wei) is worth in the pool's base currency
 *     units (the oracle's unit: 1e8 per US dollar on Aave's USD markets, so 300000000000 is a coin
 *     at $3,000), to count gas against the liquidation's incentive. Required in {@code EXECUTE}
 *     mode (a node that cannot price its gas does not send); not read from the pool's oracle
 *     because the native coin need not be one of its reserves.
 * @param minProfit the expected incentive minus the gas, in base currency units, must be above this
 *     for the node to liquidate. Default 0: any profit.
 */
@ConfigurationProperties("freehold.node.aave")
public record AaveConfiguration(
        @Nullable String addressesProvider,
        @Nullable String pool,
        @Nullable String oracle,
        @Nullable String dataProvider,
        @Nullable Long startBlock,
        @Nullable String liquidator,
        @Nullable BigInteger nativePrice,
        @Nullable BigInteger minProfit) {

    public Optional<String> poolOverride() {
        return Optional.ofNullable(pool);
    }

    public Optional<String> oracleOverride() {
        return Optional.ofNullable(oracle);
    }

    public Optional<String> liquidatorAddress() {
        return Optional.ofNullable(liquidator).filter(a -> !a.isBlank());
    }

    public Optional<BigInteger> nativePriceInBase() {
        return Optional.ofNullable(nativePrice);
    }

    /** {@code min-profit}, 0 when unset. */
    public BigInteger minProfitInBase() {
        return minProfit == null ? BigInteger.ZERO : minProfit;
    }

    public Optional<String> dataProviderOverride() {
        return Optional.ofNullable(dataProvider);
    }
}
