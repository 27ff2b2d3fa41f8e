package io.freehold.contracts.math;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The oracle's latest appraisal of a property token, as the pool reads it (the oracle's {@code
 * feed(token)} view). One definition for the node and the SDK; {@code
 * io.freehold.contracts.bindings.PoolViews} decodes it.
 *
 * <pre>{@code
 * Appraisal a = pool.positionInputs(marketId, me).appraisal();
 * a.isStaleAt(Instant.now().getEpochSecond());  // the pool would refuse borrows on it
 * }</pre>
 *
 * @param price loan-token base units per collateral-token base unit × 10<sup>36</sup> ({@code
 *     PRICE_SCALE}): a token appraised at 52.40 USD in a 6-decimal stablecoin is {@code 52.40e6 ×
 *     1e36 / 1e18 = 5.24e25}
 * @param updatedAt unix seconds of the appraisal
 * @param maxAgeSeconds how long after {@code updatedAt} the feed calls the price fresh
 */
public record Appraisal(BigInteger price, long updatedAt, BigInteger maxAgeSeconds) {

    /** 10<sup>36</sup>: the scale of {@link #price()}. */
    public static final BigInteger PRICE_SCALE = FixedPoint.PRICE_SCALE;

    public Appraisal {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(maxAgeSeconds, "maxAgeSeconds");
        if (price.signum() < 0 || updatedAt < 0 || maxAgeSeconds.signum() < 0) {
            throw new IllegalArgumentException("appraisal fields must not be negative");
        }
    }

    /** The same appraisal at another price (a what-if: the feed's time and age rule unchanged). */
    public Appraisal withPrice(BigInteger newPrice) {
        return new Appraisal(newPrice, updatedAt, maxAgeSeconds);
    }

    /**
     * Whether the oracle's {@code isStale} answers true in a block at {@code timestamp}: no price,
     * or {@code timestamp − updatedAt > maxAge}.
     */
    public boolean isStaleAt(long timestamp) {
        return price.signum() == 0
                || BigInteger.valueOf(timestamp)
                                .subtract(BigInteger.valueOf(updatedAt))
                                .compareTo(maxAgeSeconds)
                        > 0;
    }
}
