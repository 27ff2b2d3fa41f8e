package io.freehold.node.state;

import java.util.Locale;
import java.util.Objects;

/** Validation of fixed-length 0x hex values (addresses, market ids, block hashes). */
final class Hex {

    private Hex() {}

    /**
     * Checks that {@code hex} is {@code 0x} and exactly {@code 2 × bytes} hex digits, and returns it
     * in lowercase: the one form the store, the logs and the maps of the node compare.
     *
     * @throws IllegalArgumentException naming {@code what} if the prefix, the length or a digit is wrong
     */
    static String normalize(String hex, int bytes, String what) {
        Objects.requireNonNull(hex, what);
        if (hex.length() != 2 + 2 * bytes || hex.charAt(0) != '0' || hex.charAt(1) != 'x') {
            throw new IllegalArgumentException(
                    what + " must be 0x and " + 2 * bytes + " hex digits: " + hex);
        }
        boolean upper = false;
        for (int i = 2; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (c >= 'A' && c <= 'F') {
                upper = true;
            } else if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException(
                        what + " has a non-hex character '" + c + "' at index " + i + ": " + hex);
            }
        }
        return upper ? hex.toLowerCase(Locale.ROOT) : hex;
    }
}
