package io.freehold.node.ingest;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * A log's topics and data read as ABI words, for events whose parameters are all static (addresses,
 * uint256, bool, bytes32 and structs of those): every value is one 32-byte word at a fixed place.
 * Reading the hex directly is several times faster than web3j's reflective decoder, which was half
 * of the sync time; {@code EventDecoderTest} checks every event against web3j's decoding of real
 * logs.
 *
 * <p>Strict: a word that is not the canonical encoding of its type (an address with high bytes set,
 * a bool other than 0 or 1) or a log of the wrong shape is rejected, never guessed at.
 */
final class LogWords {

    private final List<String> topics;
    private final String data; // without 0x

    LogWords(List<String> topics, String data, int indexed, int words) {
        this.topics = topics;
        String hex =
                data == null
                        ? ""
                        : data.startsWith("0x") || data.startsWith("0X") ? data.substring(2) : data;
        if (topics.size() != indexed + 1) {
            throw new IllegalArgumentException(
                    "expected " + (indexed + 1) + " topics, got " + topics.size());
        }
        if (hex.length() != words * 64) {
            throw new IllegalArgumentException(
                    "expected " + words + " data words, got " + hex.length() / 64.0);
        }
        this.data = hex;
    }

    /** Indexed parameter {@code i} (topic i + 1) as an address. */
    Address topicAddress(int i) {
        return address(topic(i), "topic " + (i + 1));
    }

    MarketId topicMarketId(int i) {
        return MarketId.of(topic(i).toLowerCase(Locale.ROOT));
    }

    /** Data word {@code i} as a uint256. */
    BigInteger uint(int i) {
        return new BigInteger(word(i), 16);
    }

    /** Data word {@code i} as a uint that must fit a long (timestamps, basis points). */
    long uintAsLong(int i) {
        return uint(i).longValueExact();
    }

    Address address(int i) {
        return address("0x" + word(i), "data word " + i);
    }

    boolean bool(int i) {
        BigInteger v = uint(i);
        if (v.signum() != 0 && !v.equals(BigInteger.ONE)) {
            throw new IllegalArgumentException("data word " + i + " is not a bool: " + v);
        }
        return v.signum() != 0;
    }

    private String topic(int i) {
        String t = topics.get(i + 1);
        if (t.length() != 66) {
            throw new IllegalArgumentException("topic " + (i + 1) + " is not 32 bytes: " + t);
        }
        return t;
    }

    private String word(int i) {
        return data.substring(i * 64, (i + 1) * 64);
    }

    private static Address address(String word32, String what) {
        String digits = word32.substring(2);
        for (int k = 0; k < 24; k++) {
            if (digits.charAt(k) != '0') {
                throw new IllegalArgumentException(what + " is not an address: " + word32);
            }
        }
        return Address.of("0x" + digits.substring(24));
    }
}
