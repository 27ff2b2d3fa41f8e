package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * The pool's rent bookkeeping for one property token, shared by every market whose collateral it
 * is.
 *
 * @param index the pool's {@code rentIndex(token)}: rent-token base units per collateral base unit
 *     held for borrowers, × 1e36 ({@link FixedPoint#RENT_SCALE}); only ever grows
 * @param totalCollateral the pool's {@code totalCollateralOf(token)}: collateral locked across all
 *     markets
 * @param pending rent-token base units the property token would pay the pool on its next claim: the
 *     token's {@code claimableRent(pool)} (see {@link Rent#holderClaimable})
 */
public record PoolRent(BigInteger index, BigInteger totalCollateral, BigInteger pending) {

    public PoolRent {
        Uint256.check(index, "index");
        Uint256.check(totalCollateral, "totalCollateral");
        Uint256.check(pending, "pending");
    }

    /** Before any collateral was ever locked. */
    public static final PoolRent NONE =
            new PoolRent(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO);

    PoolRent withTotalCollateral(BigInteger total) {
        return new PoolRent(index, total, pending);
    }
}
