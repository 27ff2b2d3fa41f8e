package io.freehold.node.state;

import io.freehold.types.Uint256;

import static io.freehold.types.Uint256.check;

import java.math.BigInteger;

/**
 * A market's running totals, as in the contract's {@code Market}: supply and borrow assets in
 * loan-token base units, shares as the contract counts them, collateral in collateral-token base
 * units, and {@code lastUpdate} the unix time of the last interest accrual.
 */
public record MarketTotals(
        BigInteger totalSupplyAssets,
        BigInteger totalSupplyShares,
        BigInteger totalBorrowAssets,
        BigInteger totalBorrowShares,
        BigInteger totalCollateral,
        long lastUpdate) {

    /** A new market's totals: all zero, accrued as of {@code createdAt}. */
    public static MarketTotals empty(long createdAt) {
        BigInteger z = BigInteger.ZERO;
        return new MarketTotals(z, z, z, z, z, createdAt);
    }

    public MarketTotals {
        check(totalSupplyAssets, "totalSupplyAssets");
        check(totalSupplyShares, "totalSupplyShares");
        check(totalBorrowAssets, "totalBorrowAssets");
        check(totalBorrowShares, "totalBorrowShares");
        check(totalCollateral, "totalCollateral");
        Uint256.checkNonNegative(lastUpdate, "lastUpdate");
    }
}
