package io.freehold.node.state;

import io.freehold.contracts.math.PositionState;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One account's position in one market: the contract's {@code Position} struct as the math defines
 * it ({@link PositionState}: shares, not assets, which move with interest; collateral in
 * collateral-token base units; the rent bookkeeping), under the key the store files it by.
 */
public record PositionRecord(MarketId marketId, Address account, PositionState state) {

    public PositionRecord {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(state, "state");
    }

    /** A position from the struct's fields, in the contract's order. */
    public PositionRecord(
            MarketId marketId,
            Address account,
            BigInteger supplyShares,
            BigInteger borrowShares,
            BigInteger collateral,
            BigInteger rentIndexPaid,
            BigInteger rentAccrued) {
        this(
                marketId,
                account,
                new PositionState(
                        supplyShares, borrowShares, collateral, rentIndexPaid, rentAccrued));
    }

    public BigInteger supplyShares() {
        return state.supplyShares();
    }

    public BigInteger borrowShares() {
        return state.borrowShares();
    }

    public BigInteger collateral() {
        return state.collateral();
    }

    /** The pool's rent index (RENT_SCALE 1e36) when rent was last settled. */
    public BigInteger rentIndexPaid() {
        return state.rentIndexPaid();
    }

    /** Rent-token base units settled but not yet claimed. */
    public BigInteger rentAccrued() {
        return state.rentAccrued();
    }

    /** Whether nothing is left: no shares, no collateral, no unclaimed rent. */
    public boolean isEmpty() {
        return supplyShares().signum() == 0
                && borrowShares().signum() == 0
                && collateral().signum() == 0
                && rentAccrued().signum() == 0;
    }
}
