package io.freehold.node.ingest;

import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.node.state.MarketParams;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.MarketTotals;
import io.freehold.node.state.PositionRecord;

/**
 * The node's records as the inputs of {@code io.freehold.contracts.math}, the Java replica of the
 * pool's arithmetic: so that a market stored as of its last accrual can be valued at any timestamp
 * exactly as the contract's views would value it then, without a call.
 */
public final class ContractMath {

    private ContractMath() {}

    public static MarketTerms terms(MarketParams p) {
        return new MarketTerms(p.collateralToken().hex(), p.loanToken().hex(), p.oracle().hex(), p.lltv(), p.maxLtv(),
                p.liquidationIncentive(), p.baseRatePerYear(), p.slope1PerYear(), p.slope2PerYear(),
                p.kinkUtilization(), p.supplyCap(), p.borrowCap(), p.minLeftoverDebt());
    }

    /** The market's totals as stored: accrued to {@code lastUpdate}. */
    public static MarketState stored(MarketTotals t) {
        return new MarketState(t.totalSupplyAssets(), t.totalSupplyShares(), t.totalBorrowAssets(),
                t.totalBorrowShares(), t.totalCollateral(), t.lastUpdate());
    }

    /**
     * The totals the pool's {@code market(id)} view returns in a block at {@code timestamp}: interest
     * accrued from {@code lastUpdate} in one step, as the contract does.
     */
    public static MarketState accruedTo(MarketRecord market, long timestamp) {
        return stored(market.totals()).accrueTo(terms(market.params()), timestamp).market();
    }

    public static PositionState position(PositionRecord p) {
        return new PositionState(p.supplyShares(), p.borrowShares(), p.collateral(), p.rentIndexPaid(),
                p.rentAccrued());
    }
}
