package io.freehold.types;

/**
 * A market's id, {@code keccak256(abi.encode(collateralToken, loanToken))} on chain: {@code 0x} and
 * 64 lowercase hex digits. Any case is accepted and lowercased.
 */
public final class MarketId extends FixedHex implements Comparable<MarketId> {

    /** Length in bytes. */
    public static final int LENGTH = 32;

    /**
     * @throws IllegalArgumentException if {@code hex} is not {@code 0x} and 64 hex digits
     */
    public MarketId(String hex) {
        super(hex, LENGTH, "market id");
    }

    public static MarketId of(String hex) {
        return new MarketId(hex);
    }

    /** {@link #of}: the name the SDK has always used. */
    public static MarketId fromHex(String hex) {
        return new MarketId(hex);
    }

    /** The market id with these 32 bytes. */
    public static MarketId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(
                    "market id must be " + LENGTH + " bytes, is " + bytes.length);
        }
        return new MarketId(Hex.of(bytes));
    }

    @Override
    public int compareTo(MarketId other) {
        return hex.compareTo(other.hex);
    }
}
