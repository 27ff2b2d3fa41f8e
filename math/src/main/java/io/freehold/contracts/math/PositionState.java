package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * One account's position in one market as stored: the contract's {@code Position} struct, which the
 * {@code positionShares(id, account)} view returns.
 *
 * @param supplyShares the lender's supply shares
 * @param borrowShares the borrower's debt shares
 * @param collateral collateral-token base units locked
 * @param rentIndexPaid the pool's rent index (RENT_SCALE) of the collateral token when rent was
 *     last settled
 * @param rentAccrued rent-token base units settled but not yet claimed
 */
public record PositionState(
        BigInteger supplyShares,
        BigInteger borrowShares,
        BigInteger collateral,
        BigInteger rentIndexPaid,
        BigInteger rentAccrued) {

    /** A position never touched. */
    public static final PositionState EMPTY =
            new PositionState(
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO,
                    BigInteger.ZERO);

    public PositionState {
        Uint256.check(supplyShares, "supplyShares");
        Uint256.check(borrowShares, "borrowShares");
        Uint256.check(collateral, "collateral");
        Uint256.check(rentIndexPaid, "rentIndexPaid");
        Uint256.check(rentAccrued, "rentAccrued");
    }

    PositionState withSupplyShares(BigInteger shares) {
        return new PositionState(shares, borrowShares, collateral, rentIndexPaid, rentAccrued);
    }

    PositionState withBorrowShares(BigInteger shares) {
        return new PositionState(supplyShares, shares, collateral, rentIndexPaid, rentAccrued);
    }

    PositionState withCollateral(BigInteger amount) {
        return new PositionState(supplyShares, borrowShares, amount, rentIndexPaid, rentAccrued);
    }

    PositionState withRent(BigInteger indexPaid, BigInteger accrued) {
        return new PositionState(supplyShares, borrowShares, collateral, indexPaid, accrued);
    }
}
