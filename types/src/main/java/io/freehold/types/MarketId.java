package io.freehold.types;

/**
 * A market's id, {@code keccak256(abi.encode(collateralToken, loanToken))} on chain: {@code 0x} and
 * 64 lowercase hex digits. Any case is accepted and lowercased.
 */
public final class MarketId implements Comparable<MarketId> {

    /** Length in bytes. */
    public static final int LENGTH = 32;

    private final String hex;

    /** @throws IllegalArgumentException if {@code hex} is not {@code 0x} and 64 hex digits */
    public MarketId(String hex) {
        this.hex = Hex.normalize(hex, LENGTH, "market id");
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
            throw new IllegalArgumentException("market id must be " + LENGTH + " bytes, is " + bytes.length);
        }
        return new MarketId(Hex.of(bytes));
    }

    /** {@code 0x} and 64 lowercase hex digits: the wire form. */
    public String hex() {
        return hex;
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return Hex.bytes(hex);
    }

    @Override
    public int compareTo(MarketId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarketId other && hex.equals(other.hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    /** {@code 0x} and 64 lowercase hex digits: the wire form. */
    @Override
    public String toString() {
        return hex;
    }
}
