package io.freehold.node.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * An integer as the decimal string the API carries, exactly {@link BigInteger#toString()}, without
 * its cost: the JDK's conversion divides a 256-bit number by 10^18 with MutableBigInteger about
 * five times, allocating at each step, and a streamed position has a dozen such numbers (a supply
 * position's health factor is 2^256 − 1, 78 digits). Here the number is split into 32-bit words and
 * divided by 10^9 in {@code long} arithmetic, nine digits at a time, into one array of ASCII digits
 * (a Latin-1 string's own form, so the string is one copy of it).
 */
final class Decimals {

    private static final long BILLION = 1_000_000_000L;

    // Past this the word arithmetic still works, but the API has no such numbers: leave them to the
    // JDK.
    private static final int MAX_BITS = 1024;

    private Decimals() {}

    static String of(BigInteger value) {
        int bits = value.bitLength();
        if (bits < 64) {
            return Long.toString(value.longValue());
        }
        if (bits > MAX_BITS) {
            return value.toString();
        }
        boolean negative = value.signum() < 0;
        byte[] bytes = (negative ? value.negate() : value).toByteArray(); // big-endian magnitude
        int words = (bytes.length + 3) / 4;
        int[] word = new int[words]; // most significant first
        for (int i = 0; i < bytes.length; i++) {
            int fromEnd = bytes.length - 1 - i;
            word[words - 1 - fromEnd / 4] |= (bytes[i] & 0xFF) << (8 * (fromEnd % 4));
        }
        // Base-10^9 digits, least significant first: a 32-bit word carries 32 / log2(10^9) < 1.1
        // of them.
        int[] chunk = new int[words * 32 / 29 + 2];
        int chunks = 0;
        int first = 0;
        while (first < words && word[first] == 0) {
            first++;
        }
        while (first < words) {
            long rem = 0;
            for (int i = first; i < words; i++) {
                long cur = (rem << 32) | (word[i] & 0xFFFF_FFFFL); // rem < 10^9 < 2^30: no overflow
                word[i] = (int) (cur / BILLION);
                rem = cur % BILLION;
            }
            chunk[chunks++] = (int) rem;
            while (first < words && word[first] == 0) {
                first++;
            }
        }
        byte[] out = new byte[(negative ? 1 : 0) + chunks * 9]; // ASCII digits
        int pos = out.length;
        for (int c = 0; c < chunks; c++) {
            int v = chunk[c];
            boolean top = c == chunks - 1;
            for (int d = 0; d < 9 && !(top && v == 0 && d > 0); d++) {
                out[--pos] = (byte) ('0' + v % 10);
                v /= 10;
            }
        }
        if (negative) {
            out[--pos] = '-';
        }
        return new String(out, pos, out.length - pos, StandardCharsets.ISO_8859_1);
    }
}
