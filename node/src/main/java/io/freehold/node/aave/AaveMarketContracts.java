package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.types.Address;
import java.util.List;
import java.util.Optional;

/**
 * The Aave v3 market the node follows, as the start-up check found it on chain.
 *
 * @param reserves the pool's {@code getReservesList()} at the check's block
 * @param poolRevision the pool implementation's {@code POOL_REVISION()} (logged: the book is held
 *     to 3.0.x, {@code @aave/core-v3} 1.19.x)
 */
public record AaveMarketContracts(
        Address addressesProvider,
        Address pool,
        Address configurator,
        Address oracle,
        Optional<Address> dataProvider,
        List<Address> reserves,
        long startBlock,
        long poolRevision) {

    public AaveMarketContracts {
        reserves = List.copyOf(reserves);
    }

    /** The contracts whose logs the book reads. */
    public AaveBook.Market bookMarket() {
        return new AaveBook.Market(pool, configurator, oracle);
    }
}
