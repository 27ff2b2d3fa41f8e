package io.freehold.node.state;

import static io.freehold.types.Uint256.check;

import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The appraisal oracle's feed for one property token: {@code price} in loan-token base units per
 * collateral base unit × 1e36 (PRICE_SCALE), {@code updatedAt} the unix time of that appraisal,
 * {@code maxAge} the seconds it stays fresh (a uint256: the contract allows huge values), and
 * {@code maxMoveBps} the largest ordinary move in basis points (at most 10,000 on chain), and
 * {@code appraisalCount} the oracle's {@code appraisalCount(token)}: one more with every {@code
 * AppraisalUpdated}, what a cure flag's appraisal number is compared with.
 */
public record PriceFeedRecord(
        Address token,
        BigInteger price,
        long updatedAt,
        BigInteger maxAge,
        long maxMoveBps,
        long appraisalCount) {

    /** A feed whose appraisals are not counted (built outside the chain: tests, benchmarks). */
    public PriceFeedRecord(
            Address token, BigInteger price, long updatedAt, BigInteger maxAge, long maxMoveBps) {
        this(token, price, updatedAt, maxAge, maxMoveBps, 0);
    }

    public PriceFeedRecord {
        Objects.requireNonNull(token, "token");
        check(price, "price");
        Uint256.checkNonNegative(updatedAt, "updatedAt");
        check(maxAge, "maxAge");
        Uint256.checkNonNegative(maxMoveBps, "maxMoveBps");
        Uint256.checkNonNegative(appraisalCount, "appraisalCount");
    }
}
