package io.freehold.sdk;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 32-byte id of an isolated lending market (one per property token and stablecoin), as the
 * pool contract derives it.
 *
 * <pre>{@code
 * MarketId id = MarketId.fromHex("0x3f1c...e2a0");  // 0x and 64 hex digits
 * Market market = client.market(id);
 * }</pre>
 */
public final class MarketId {

    /** Length in bytes. */
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private MarketId(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses {@code 0x} followed by 64 hex digits, in either case.
     *
     * @throws IllegalArgumentException if the prefix, length or a digit is wrong
     */
    public static MarketId fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (!hex.startsWith("0x")) {
            throw new IllegalArgumentException("market id must start with 0x: " + hex);
        }
        String digits = hex.substring(2);
        if (digits.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("market id must have " + 2 * LENGTH + " hex digits, has "
                    + digits.length() + ": " + hex);
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            // Not Character.digit: it also takes non-ASCII digits such as '٣'.
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                throw new IllegalArgumentException("market id has a non-hex character '" + c + "' at index " + (i + 2) + ": " + hex);
            }
        }
        return new MarketId(HEX.parseHex(digits));
    }

    /** The market id with these 32 bytes; the array is copied. */
    public static MarketId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("market id must be " + LENGTH + " bytes, is " + bytes.length);
        }
        return new MarketId(bytes.clone());
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarketId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** {@code 0x} and 64 lowercase hex digits: the wire form. */
    @Override
    public String toString() {
        return "0x" + HEX.formatHex(bytes);
    }
}
