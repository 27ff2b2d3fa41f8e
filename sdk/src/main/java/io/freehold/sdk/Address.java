package io.freehold.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * A 20-byte Ethereum account or contract address.
 *
 * <p>Parsing accepts {@code 0x} and 40 hex digits. All-lowercase and all-uppercase digits
 * carry no checksum and are taken as they are; mixed case is an EIP-55 checksum and must be
 * right, since a wrong one means a typo. {@link #toString()} always gives the checksummed
 * form.
 *
 * <pre>{@code
 * Address a = Address.fromHex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
 * a.toString();  // "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
 * a.equals(Address.fromHex("0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266"));  // true
 * }</pre>
 */
public final class Address {

    /** Length in bytes. */
    public static final int LENGTH = 20;

    public static final Address ZERO = new Address(new byte[LENGTH]);

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private volatile String checksummed; // computed on first toString(): a Keccak hash each

    private Address(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses {@code 0x} followed by 40 hex digits.
     *
     * @throws IllegalArgumentException if the prefix, length or a digit is wrong, or the
     *     digits are mixed case and not a valid EIP-55 checksum
     */
    public static Address fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (!hex.startsWith("0x")) {
            throw new IllegalArgumentException("address must start with 0x: " + hex);
        }
        String digits = hex.substring(2);
        if (digits.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("address must have " + 2 * LENGTH + " hex digits, has "
                    + digits.length() + ": " + hex);
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c >= 'a' && c <= 'f') {
                lower = true;
            } else if (c >= 'A' && c <= 'F') {
                upper = true;
            } else if (c < '0' || c > '9') {
                throw new IllegalArgumentException("address has a non-hex character '" + c + "' at index "
                        + (i + 2) + ": " + hex);
            }
        }
        Address address = new Address(HEX.parseHex(digits));
        if (lower && upper && !address.toString().equals(hex)) {
            throw new IllegalArgumentException("address has a wrong EIP-55 checksum (mixed case that is not "
                    + address + "): " + hex);
        }
        return address;
    }

    /** The address with these 20 bytes; the array is copied. */
    public static Address fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("address must be " + LENGTH + " bytes, is " + bytes.length);
        }
        return new Address(bytes.clone());
    }

    /** A copy of the 20 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** {@code 0x} and 40 lowercase hex digits, as JSON-RPC returns addresses. */
    public String toLowerCaseHex() {
        return "0x" + HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The EIP-55 checksummed form, e.g. {@code 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266}. */
    @Override
    public String toString() {
        String result = checksummed;
        if (result == null) {
            result = checksum(HEX.formatHex(bytes));
            checksummed = result;
        }
        return result;
    }

    // EIP-55: uppercase the i-th hex letter when the i-th nibble of keccak256(lowercase hex) >= 8.
    private static String checksum(String lowerHex) {
        byte[] hash = Hash.sha3(lowerHex.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder(2 + lowerHex.length()).append("0x");
        for (int i = 0; i < lowerHex.length(); i++) {
            char c = lowerHex.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }
}
