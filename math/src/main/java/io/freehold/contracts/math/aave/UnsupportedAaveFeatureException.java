package io.freehold.contracts.math.aave;

/**
 * The market used an Aave feature the book does not follow exactly, so any figure it gave from here
 * on could be wrong. It names the feature (stable-rate debt, the fallback oracle, an unknown price
 * source) and where it was met; the book is not usable after it.
 */
public final class UnsupportedAaveFeatureException extends RuntimeException {

    private final String feature;

    public UnsupportedAaveFeatureException(String feature, String detail) {
        super("unsupported Aave feature: " + feature + " (" + detail + ")");
        this.feature = feature;
    }

    /** The feature's name, e.g. {@code "stable-rate debt"}. */
    public String feature() {
        return feature;
    }
}
