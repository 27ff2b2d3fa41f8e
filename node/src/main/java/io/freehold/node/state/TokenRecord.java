package io.freehold.node.state;

import static io.freehold.types.Uint256.check;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A property token's compliance and rent state. {@code paused} is the token's pause flag; {@code
 * rentPerToken} the token's own rent accumulator (RENT_SCALE 1e36, from {@code RentDeposited});
 * {@code poolRentIndex} and {@code poolTotalCollateral} the lending pool's {@code rentIndex[token]}
 * and {@code totalCollateralOf[token]}, which spread the rent of locked collateral over positions.
 * {@code poolRentPerTokenPaid} is the token's accumulator when the pool last settled its own rent
 * as a holder (every pool action that pulls rent or moves collateral): with it the token's {@code
 * claimableRent(pool)} is {@code poolTotalCollateral × (rentPerToken − poolRentPerTokenPaid) /
 * 1e36} (down), the pool never keeping rent owed to it past such an action.
 */
public record TokenRecord(
        Address token,
        boolean paused,
        BigInteger rentPerToken,
        BigInteger poolRentIndex,
        BigInteger poolTotalCollateral,
        BigInteger poolRentPerTokenPaid) {

    public TokenRecord {
        Objects.requireNonNull(token, "token");
        check(rentPerToken, "rentPerToken");
        check(poolRentIndex, "poolRentIndex");
        check(poolTotalCollateral, "poolTotalCollateral");
        check(poolRentPerTokenPaid, "poolRentPerTokenPaid");
    }

    /** A token whose pool accumulator mark is zero (the pool never settled rent as its holder). */
    public TokenRecord(
            Address token,
            boolean paused,
            BigInteger rentPerToken,
            BigInteger poolRentIndex,
            BigInteger poolTotalCollateral) {
        this(token, paused, rentPerToken, poolRentIndex, poolTotalCollateral, BigInteger.ZERO);
    }

    /**
     * The token's {@code claimableRent(pool)}: rent-token base units the pool would receive on its
     * next pull, as the pool's locked collateral is all it holds of the token.
     */
    public BigInteger poolPendingRent() {
        return io.freehold.contracts.math.Rent.holderClaimable(
                poolTotalCollateral, rentPerToken, poolRentPerTokenPaid, BigInteger.ZERO);
    }
}
