package io.freehold.node.state;

import io.freehold.types.Uint256;

import io.freehold.types.Address;

import static io.freehold.types.Uint256.check;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A property token's compliance and rent state. {@code paused} is the token's pause flag;
 * {@code rentPerToken} the token's own rent accumulator (RENT_SCALE 1e36, from
 * {@code RentDeposited}); {@code poolRentIndex} and {@code poolTotalCollateral} the lending
 * pool's {@code rentIndex[token]} and {@code totalCollateralOf[token]}, which spread the rent of
 * locked collateral over positions.
 */
public record TokenRecord(
        Address token,
        boolean paused,
        BigInteger rentPerToken,
        BigInteger poolRentIndex,
        BigInteger poolTotalCollateral) {

    public TokenRecord {
        Objects.requireNonNull(token, "token");
        check(rentPerToken, "rentPerToken");
        check(poolRentIndex, "poolRentIndex");
        check(poolTotalCollateral, "poolTotalCollateral");
    }
}
