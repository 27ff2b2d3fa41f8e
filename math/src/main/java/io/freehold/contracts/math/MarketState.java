package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * A market's totals: the contract's {@code Market} struct, as stored (interest accrued up to {@code
 * lastUpdate}) or as the {@code market(id)} view returns it (accrued to the block's timestamp).
 *
 * <p>Assets are loan-token base units, collateral is collateral-token base units, shares are the
 * pool's share units (1e6 per asset in a fresh market).
 *
 * @param lastUpdate unix seconds of the last interest accrual
 */
public record MarketState(
        BigInteger totalSupplyAssets,
        BigInteger totalSupplyShares,
        BigInteger totalBorrowAssets,
        BigInteger totalBorrowShares,
        BigInteger totalCollateral,
        long lastUpdate) {

    public MarketState {
        Uint256.check(totalSupplyAssets, "totalSupplyAssets");
        Uint256.check(totalSupplyShares, "totalSupplyShares");
        Uint256.check(totalBorrowAssets, "totalBorrowAssets");
        Uint256.check(totalBorrowShares, "totalBorrowShares");
        Uint256.check(totalCollateral, "totalCollateral");
        Uint256.checkNonNegative(lastUpdate, "lastUpdate");
    }

    /** A market just created in a block at {@code timestamp}: empty, accrued to then. */
    public static MarketState created(long timestamp) {
        BigInteger zero = BigInteger.ZERO;
        return new MarketState(zero, zero, zero, zero, zero, timestamp);
    }

    /**
     * Accrues interest to {@code timestamp}, as the contract's {@code _accrued}: over the seconds
     * since {@code lastUpdate}, at the borrow rate of the utilization before the accrual, {@code
     * interest = totalBorrow × wTaylorCompounded(rate, elapsed) / 1e18} (down), added to both
     * totals. With no time elapsed nothing changes and rate and interest are zero; otherwise the
     * result carries the numbers of the {@code AccrueInterest} event.
     *
     * <p>Accruing in several steps does not give the same interest as accruing once (the Taylor
     * terms and the roundings are per step), so to stay exact accrue exactly when the contract
     * does.
     *
     * @throws IllegalArgumentException if {@code timestamp} is before {@code lastUpdate}
     */
    public Accrual accrueTo(MarketTerms terms, long timestamp) {
        Uint256.checkNonNegative(timestamp, "timestamp");
        if (timestamp < lastUpdate) {
            throw new IllegalArgumentException(
                    "timestamp "
                            + timestamp
                            + " is before the market's lastUpdate "
                            + lastUpdate
                            + "; interest cannot accrue backwards");
        }
        long elapsed = timestamp - lastUpdate;
        if (elapsed == 0) {
            return new Accrual(this, BigInteger.ZERO, BigInteger.ZERO, 0);
        }
        BigInteger rate = borrowRatePerSecond(terms);
        BigInteger interest =
                FixedPoint.wMulDown(
                        totalBorrowAssets,
                        FixedPoint.wTaylorCompounded(rate, BigInteger.valueOf(elapsed)));
        MarketState accrued =
                new MarketState(
                        UintMath.add(totalSupplyAssets, interest, "totalSupplyAssets + interest"),
                        totalSupplyShares,
                        UintMath.add(totalBorrowAssets, interest, "totalBorrowAssets + interest"),
                        totalBorrowShares,
                        totalCollateral,
                        timestamp);
        return new Accrual(accrued, rate, interest, elapsed);
    }

    /** Borrowed over supplied (WAD, rounded down), capped at 1e18; 0 with nothing supplied. */
    public BigInteger utilization() {
        return Rates.utilization(totalBorrowAssets, totalSupplyAssets);
    }

    /**
     * The borrow rate per second (WAD, rounded down) at these totals; on a market accrued to a
     * block's timestamp this is the {@code borrowRate(id)} view at that block.
     */
    public BigInteger borrowRatePerSecond(MarketTerms terms) {
        return Rates.borrowRatePerSecond(terms, totalBorrowAssets, totalSupplyAssets);
    }

    /**
     * Idle loan tokens a borrow or withdrawal can take: max(totalSupplyAssets − totalBorrowAssets,
     * 0).
     */
    public BigInteger availableLiquidity() {
        return FixedPoint.zeroFloorSub(totalSupplyAssets, totalBorrowAssets);
    }

    MarketState withSupply(BigInteger assets, BigInteger shares) {
        return new MarketState(
                assets, shares, totalBorrowAssets, totalBorrowShares, totalCollateral, lastUpdate);
    }

    MarketState withBorrow(BigInteger assets, BigInteger shares) {
        return new MarketState(
                totalSupplyAssets, totalSupplyShares, assets, shares, totalCollateral, lastUpdate);
    }

    MarketState withCollateral(BigInteger collateral) {
        return new MarketState(
                totalSupplyAssets,
                totalSupplyShares,
                totalBorrowAssets,
                totalBorrowShares,
                collateral,
                lastUpdate);
    }
}
