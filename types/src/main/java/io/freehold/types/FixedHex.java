package io.freehold.types;

/**
 * A value of a fixed number of bytes held as {@code 0x} and lowercase hex digits: what {@link
 * Address} and {@link MarketId} share. Two values are equal when they are of the same type and
 * their bytes are.
 */
abstract class FixedHex {

    final String hex;

    FixedHex(String hex, int bytes, String what) {
        this.hex = Hex.normalize(hex, bytes, what);
    }

    /** {@code 0x} and two lowercase hex digits per byte: the wire form. */
    public String hex() {
        return hex;
    }

    /** A copy of the bytes. */
    public byte[] toBytes() {
        return Hex.bytes(hex);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && hex.equals(((FixedHex) o).hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    /** {@code 0x} and two lowercase hex digits per byte: the wire form (same as {@link #hex()}). */
    @Override
    public String toString() {
        return hex;
    }
}
