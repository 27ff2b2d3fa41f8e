package io.freehold.node.state;

import io.freehold.types.Uint256;

import io.freehold.types.MarketId;

import io.freehold.types.Address;

import static io.freehold.types.Uint256.check;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One account's position in one market, as the contract's {@code Position}: shares (not assets,
 * which move with interest), collateral in collateral-token base units, and the rent bookkeeping
 * ({@code rentIndexPaid} at RENT_SCALE 1e36; {@code rentAccrued} in rent-token base units).
 */
public record PositionRecord(
        MarketId marketId,
        Address account,
        BigInteger supplyShares,
        BigInteger borrowShares,
        BigInteger collateral,
        BigInteger rentIndexPaid,
        BigInteger rentAccrued) {

    public PositionRecord {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(account, "account");
        check(supplyShares, "supplyShares");
        check(borrowShares, "borrowShares");
        check(collateral, "collateral");
        check(rentIndexPaid, "rentIndexPaid");
        check(rentAccrued, "rentAccrued");
    }

    /** Whether nothing is left: no shares, no collateral, no unclaimed rent. */
    public boolean isEmpty() {
        return supplyShares.signum() == 0
                && borrowShares.signum() == 0
                && collateral.signum() == 0
                && rentAccrued.signum() == 0;
    }
}
