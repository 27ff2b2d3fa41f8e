package io.freehold.node.api;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Random;
import org.web3j.crypto.Keys;

/**
 * Seeded malformed (or well-formed but unknown) values for the API's fields, shared by the gRPC and
 * the REST malformed-request floods so that both surfaces are fed the same inputs.
 */
public final class MalformedInputs {

    private MalformedInputs() {}

    /** One malformed or unknown value for a field of a given kind. */
    public record Bad(String value, boolean unknownNotMalformed) {}

    public static Bad badAddress(Random r) {
        String valid = Keys.toChecksumAddress(String.format("%040x", new BigInteger(160, r)));
        return switch (r.nextInt(9)) {
            case 0 -> new Bad("", false);
            case 1 -> new Bad(valid.substring(0, 2 + r.nextInt(40)), false); // too short
            case 2 -> new Bad(valid + "0", false); // too long
            case 3 -> new Bad(valid.substring(2) + "00", false); // no 0x
            case 4 -> new Bad(valid.substring(0, 10) + "g" + valid.substring(11), false); // not hex
            case 5 -> new Bad(flipCase(valid, r), false); // checksum
            case 6 -> new Bad(" " + valid, false);
            case 7 -> new Bad("0x" + "ü".repeat(40), false);
            default -> new Bad(valid.toLowerCase(), true); // nobody
        };
    }

    public static Bad badMarket(Random r) {
        String valid = "0x" + String.format("%064x", new BigInteger(256, r));
        return switch (r.nextInt(6)) {
            case 0 -> new Bad("", false);
            case 1 -> new Bad(valid.substring(0, 2 + r.nextInt(64)), false);
            case 2 -> new Bad(valid + "ab", false);
            case 3 -> new Bad(valid.substring(0, 20) + "zz" + valid.substring(22), false);
            case 4 -> new Bad(valid.substring(2) + "00", false);
            default -> new Bad(valid, true); // no such market
        };
    }

    public static Bad badAmount(Random r) {
        BigInteger max = Uint256.MAX;
        return switch (r.nextInt(9)) {
            case 0 -> new Bad("", false);
            case 1 -> new Bad("-" + (1 + r.nextInt(1_000_000)), false);
            case 2 -> new Bad(max.add(BigInteger.valueOf(1 + r.nextInt(1_000))).toString(), false);
            case 3 -> new Bad("9".repeat(79 + r.nextInt(500)), false);
            case 4 -> new Bad(r.nextInt(100) + "." + r.nextInt(100), false);
            case 5 -> new Bad("1e" + r.nextInt(30), false);
            case 6 -> new Bad("0x" + Integer.toHexString(r.nextInt()), false);
            case 7 -> new Bad("+" + r.nextInt(1000), false);
            default -> new Bad(" " + r.nextInt(1000), false);
        };
    }

    public static String badPageToken(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "bogus";
            case 1 -> "-1:-1";
            case 2 -> Long.toString(r.nextLong()) + "x";
            case 3 -> "9".repeat(40) + ":1";
            default -> ":" + r.nextInt(100);
        };
    }

    public static String flipCase(String checksummed, Random r) {
        char[] c = checksummed.toCharArray();
        for (int tries = 0; tries < 100; tries++) {
            int i = 2 + r.nextInt(40);
            if (Character.isLetter(c[i])) {
                c[i] =
                        Character.isUpperCase(c[i])
                                ? Character.toLowerCase(c[i])
                                : Character.toUpperCase(c[i]);
                String flipped = new String(c);
                // Still mixed case (an all-lowercase or all-uppercase address is valid without a
                // checksum).
                if (!flipped.substring(2).equals(flipped.substring(2).toLowerCase())
                        && !flipped.substring(2).equals(flipped.substring(2).toUpperCase())) {
                    return flipped;
                }
            }
        }
        return "0x" + "Ab".repeat(20);
    }

    /**
     * Filters treat an empty value as "not set": use a value that is malformed for sure instead.
     */
    public static String nonEmpty(String value) {
        return value.isEmpty() ? "-" : value;
    }
}
