package io.freehold.node.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * An integer as the decimal string the API carries, exactly {@link BigInteger#toString()}, without
 * its cost: the JDK's conversion divides a 256-bit number by 10^18 with MutableBigInteger about
 * five times, allocating at each step, and a streamed position has a dozen such numbers (a supply
 * position's health factor is 2^256 − 1, 78 digits). Here the number is split into 32-bit words and
 * divided by 10^9 in {@code long} arithmetic, nine digits at a time, into one array of ASCII digits
 * (a Latin-1 string's own form, so the string is one copy of it; {@link #bytes} wraps them as they
 * are).
 */
final class Decimals {

    private static final long BILLION = 1_000_000_000L;

    // Past this the word arithmetic still works, but the API has no such numbers: leave them to the
    // JDK.
    private static final int MAX_BITS = 1024;

    private static final ByteString UINT256_MAX =
            UnsafeByteOperations.unsafeWrap(ascii(Uint256.MAX));

    private Decimals() {}

    static String of(BigInteger value) {
        if (value.bitLength() < 64) {
            return Long.toString(value.longValue());
        }
        return new String(ascii(value), StandardCharsets.ISO_8859_1);
    }

    /**
     * The same text as {@link #of}, as the bytes a protobuf string field holds (ASCII is its own
     * UTF-8). Set with a field's {@code set…Bytes}, the message serializes it by copying these
     * bytes: a {@code String} field is scanned once to measure its UTF-8 length and again to encode
     * it, char by char, every time the message is serialized. Readers of the field see the same
     * string either way.
     */
    static ByteString bytes(BigInteger value) {
        if (value.equals(Uint256.MAX)) {
            return UINT256_MAX; // a position without debt: its health factor, 78 digits
        }
        if (value.bitLength() < 64) {
            long v = value.longValue();
            if (v == Long.MIN_VALUE) {
                return ByteString.copyFromUtf8(Long.toString(v));
            }
            return UnsafeByteOperations.unsafeWrap(ascii(v)); // ours alone, never written again
        }
        return UnsafeByteOperations.unsafeWrap(ascii(value));
    }

    /** The ASCII digits of {@code v} (not {@link Long#MIN_VALUE}), with its sign. */
    private static byte[] ascii(long v) {
        boolean negative = v < 0;
        long m = Math.abs(v);
        int digits = 1;
        for (long t = m / 10; t > 0; t /= 10) {
            digits++;
        }
        byte[] out = new byte[(negative ? 1 : 0) + digits];
        int pos = out.length;
        do {
            out[--pos] = (byte) ('0' + m % 10);
            m /= 10;
        } while (m > 0);
        if (negative) {
            out[0] = '-';
        }
        return out;
    }

    /** The ASCII digits of {@code value} (at least 64 bits), with its sign. */
    private static byte[] ascii(BigInteger value) {
        if (value.bitLength() > MAX_BITS) {
            return value.toString().getBytes(StandardCharsets.ISO_8859_1);
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
        // The top chunk is not zero (the value has at least 64 bits): its digits without padding.
        int topDigits = 1;
        for (int t = chunk[chunks - 1] / 10; t > 0; t /= 10) {
            topDigits++;
        }
        byte[] out = new byte[(negative ? 1 : 0) + (chunks - 1) * 9 + topDigits]; // ASCII digits
        int pos = out.length;
        for (int c = 0; c < chunks; c++) {
            int v = chunk[c];
            int n = c == chunks - 1 ? topDigits : 9;
            for (int d = 0; d < n; d++) {
                out[--pos] = (byte) ('0' + v % 10);
                v /= 10;
            }
        }
        if (negative) {
            out[0] = '-';
        }
        return out;
    }
}
