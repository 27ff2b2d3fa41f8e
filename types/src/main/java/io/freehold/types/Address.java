package io.freehold.types;

import java.nio.charset.StandardCharsets;

/**
 * A 20-byte account or contract address.
 *
 * <p>Held as {@code 0x} and 40 lowercase hex digits ({@link #hex()}, also {@link #toString()}), the
 * form JSON-RPC logs carry, the API sends and the node's store keeps; {@link #toChecksumHex()} is
 * the EIP-55 checksummed form to show people.
 *
 * <p>Two ways in: {@link #fromHex} is the one EIP-55 parser, for addresses typed by people (all
 * lowercase, all uppercase, or mixed case that must be the right checksum); {@link #of} takes any
 * case without a checksum check, for addresses read from the chain.
 */
public final class Address extends FixedHex implements Comparable<Address> {

    /** Length in bytes. */
    public static final int LENGTH = 20;

    public static final Address ZERO = new Address("0x0000000000000000000000000000000000000000");

    private volatile String checksummed; // computed on first toChecksumHex(): a Keccak hash each

    /**
     * The address {@code hex} names, in any case, without a checksum check.
     *
     * @throws IllegalArgumentException if it is not {@code 0x} and 40 hex digits
     */
    public Address(String hex) {
        super(hex, LENGTH, "address");
    }

    /** {@link #Address(String)}: any case, no checksum check (addresses read from the chain). */
    public static Address of(String hex) {
        return new Address(hex);
    }

    /**
     * Parses an address typed by a person: {@code 0x} and 40 hex digits, all lowercase, all
     * uppercase, or mixed case that is the EIP-55 checksum.
     *
     * @throws ChecksumMismatchException if its mixed case is not the checksum
     * @throws IllegalArgumentException if it is malformed
     */
    public static Address fromHex(String hex) {
        Address address = new Address(hex);
        boolean lower = false;
        boolean upper = false;
        for (int i = 2; i < hex.length(); i++) {
            char c = hex.charAt(i);
            lower |= c >= 'a' && c <= 'f';
            upper |= c >= 'A' && c <= 'F';
        }
        if (lower && upper && !address.toChecksumHex().equals(hex)) {
            throw new ChecksumMismatchException(hex, address.toChecksumHex());
        }
        return address;
    }

    /** The address with these 20 bytes. */
    public static Address fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(
                    "address must be " + LENGTH + " bytes, is " + bytes.length);
        }
        return new Address(Hex.of(bytes));
    }

    /**
     * {@code 0x} and 40 lowercase hex digits, as JSON-RPC returns addresses (same as {@link
     * #hex()}).
     */
    public String toLowerCaseHex() {
        return hex;
    }

    @Override
    public int compareTo(Address other) {
        return hex.compareTo(other.hex);
    }

    /** The EIP-55 checksummed form, e.g. {@code 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266}. */
    public String toChecksumHex() {
        String result = checksummed;
        if (result == null) {
            result = checksum(hex.substring(2));
            checksummed = result;
        }
        return result;
    }

    // EIP-55: uppercase the i-th hex letter when the i-th nibble of keccak256(lowercase hex) >= 8.
    private static String checksum(String lowerHex) {
        byte[] hash = Keccak256.hash(lowerHex.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder(2 + lowerHex.length()).append("0x");
        for (int i = 0; i < lowerHex.length(); i++) {
            char c = lowerHex.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    /** A mixed-case address whose case is not its EIP-55 checksum: most likely a typo. */
    public static final class ChecksumMismatchException extends IllegalArgumentException {

        private final String expected;

        ChecksumMismatchException(String given, String expected) {
            super(
                    "address fails its EIP-55 checksum (mixed case must be exact, expected "
                            + expected
                            + "); check for a typo: "
                            + given);
            this.expected = expected;
        }

        /** The checksummed form of the same 20 bytes. */
        public String expected() {
            return expected;
        }
    }
}
