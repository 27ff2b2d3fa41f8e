package io.freehold.contracts.bindings;

import io.freehold.contracts.bindings.AbiEvent.Kind;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * A log's topics and data read as ABI words, in the layout of its {@link AbiEvent}: indexed
 * parameter {@code i} is topic {@code i + 1}, the others data word by data word in declaration
 * order. Reading the hex directly is several times faster than web3j's reflective decoder, which
 * was half of the node's sync time.
 *
 * <p>Strict: a log of the wrong shape, a word read as another type than the ABI gives it, or a word
 * that is not the canonical encoding of its type (an address with high bytes set, a bool other than
 * 0 or 1) is rejected with an {@link IllegalArgumentException}, never guessed at.
 */
public final class EventWords {

    private final String event;
    private final Kind[] topicKinds;
    private final Kind[] wordKinds;
    private final List<String> topics;
    private final String data; // without 0x

    EventWords(
            String event, Kind[] topicKinds, Kind[] wordKinds, List<String> topics, String data) {
        this.event = event;
        this.topicKinds = topicKinds;
        this.wordKinds = wordKinds;
        this.topics = topics;
        String hex =
                data == null
                        ? ""
                        : data.startsWith("0x") || data.startsWith("0X") ? data.substring(2) : data;
        if (topics.size() != topicKinds.length + 1) {
            throw new IllegalArgumentException(
                    "expected " + (topicKinds.length + 1) + " topics, got " + topics.size());
        }
        if (hex.length() != wordKinds.length * 64) {
            throw new IllegalArgumentException(
                    "expected " + wordKinds.length + " data words, got " + hex.length() / 64.0);
        }
        this.data = hex;
    }

    /** Indexed parameter {@code i} (topic i + 1), an address. */
    public Address topicAddress(int i) {
        return address(topic(i, Kind.ADDRESS), "topic " + (i + 1));
    }

    /** Indexed parameter {@code i} (topic i + 1), a market id (bytes32). */
    public MarketId topicMarketId(int i) {
        return MarketId.of(topic(i, Kind.BYTES32).toLowerCase(Locale.ROOT));
    }

    /** Indexed parameter {@code i} (topic i + 1), a uint (an auction id). */
    public BigInteger topicUint(int i) {
        return new BigInteger(topic(i, Kind.UINT).substring(2), 16);
    }

    /** Data word {@code i}, a uint. */
    public BigInteger uint(int i) {
        return new BigInteger(word(i, Kind.UINT), 16);
    }

    /** Data word {@code i}, a uint that must fit a long (timestamps, basis points). */
    public long uintAsLong(int i) {
        return uint(i).longValueExact();
    }

    /** Data word {@code i}, an address. */
    public Address address(int i) {
        return address("0x" + word(i, Kind.ADDRESS), "data word " + i);
    }

    /** Data word {@code i}, a bool. */
    public boolean bool(int i) {
        BigInteger v = new BigInteger(word(i, Kind.BOOL), 16);
        if (v.signum() != 0 && !v.equals(BigInteger.ONE)) {
            throw new IllegalArgumentException("data word " + i + " is not a bool: " + v);
        }
        return v.signum() != 0;
    }

    private String topic(int i, Kind kind) {
        if (topicKinds[i] != kind) {
            throw new IllegalStateException(
                    event
                            + ": topic "
                            + (i + 1)
                            + " is "
                            + topicKinds[i]
                            + " in the ABI, read as "
                            + kind);
        }
        String t = topics.get(i + 1);
        if (t.length() != 66) {
            throw new IllegalArgumentException("topic " + (i + 1) + " is not 32 bytes: " + t);
        }
        return t;
    }

    private String word(int i, Kind kind) {
        if (wordKinds[i] != kind) {
            throw new IllegalStateException(
                    event
                            + ": data word "
                            + i
                            + " is "
                            + wordKinds[i]
                            + " in the ABI, read as "
                            + kind);
        }
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
