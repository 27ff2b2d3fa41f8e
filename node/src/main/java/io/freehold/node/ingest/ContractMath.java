package io.freehold.node.ingest;

import io.freehold.contracts.math.MarketState;
import io.freehold.node.state.MarketRecord;

/**
 * The node's records as the inputs of {@code io.freehold.contracts.math}, the Java replica of the
 * pool's arithmetic: so that a market stored as of its last accrual can be valued at any timestamp
 * exactly as the contract's views would value it then, without a call.
 */
public final class ContractMath {

    private ContractMath() {}

    /**
     * The totals the pool's {@code market(id)} view returns in a block at {@code timestamp}:
     * interest accrued from {@code lastUpdate} in one step, as the contract does.
     */
    public static MarketState accruedTo(MarketRecord market, long timestamp) {
        return market.totals().accrueTo(market.params(), timestamp).market();
    }
}
