package io.freehold.types;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Fixed-length {@code 0x} hex values (addresses, market ids, block hashes): checking and
 * converting.
 */
public final class Hex {

    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    /**
     * Checks that {@code hex} is {@code 0x} and exactly {@code 2 × bytes} hex digits, and returns
     * it in lowercase: the one form the store, the logs and the maps of the node compare.
     *
     * @throws InvalidHexException naming {@code what} if the prefix, the length or a digit is wrong
     */
    public static String normalize(String hex, int bytes, String what) {
        Objects.requireNonNull(hex, what);
        if (!hex.startsWith("0x")) {
            throw new InvalidHexException(what + " must start with 0x: " + hex, -1);
        }
        if (hex.length() != 2 + 2 * bytes) {
            throw new InvalidHexException(
                    what
                            + " must have "
                            + 2 * bytes
                            + " hex digits, has "
                            + (hex.length() - 2)
                            + ": "
                            + hex,
                    -1);
        }
        boolean upper = false;
        for (int i = 2; i < hex.length(); i++) {
            char c = hex.charAt(i);
            // Not Character.digit: it also takes non-ASCII digits such as '٣'.
            if (c >= 'A' && c <= 'F') {
                upper = true;
            } else if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                throw new InvalidHexException(
                        what + " has a non-hex character '" + c + "' at index " + i + ": " + hex,
                        i);
            }
        }
        return upper ? hex.toLowerCase(Locale.ROOT) : hex;
    }

    /** {@code 0x} and two lowercase hex digits per byte. */
    public static String of(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    /** The bytes of a {@code 0x} hex string already checked by {@link #normalize}. */
    public static byte[] bytes(String normalized) {
        return HEX.parseHex(normalized, 2, normalized.length());
    }

    /** A value that is not {@code 0x} and the right number of hex digits. */
    public static final class InvalidHexException extends IllegalArgumentException {

        private final int index;

        InvalidHexException(String message, int index) {
            super(message);
            this.index = index;
        }

        /**
         * Where the first character that is not a hex digit stands; -1 when the prefix or the
         * length is wrong.
         */
        public int index() {
            return index;
        }
    }
}
