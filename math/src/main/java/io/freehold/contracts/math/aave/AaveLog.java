package io.freehold.contracts.math.aave;

import io.freehold.types.Address;
import io.freehold.types.Hex;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * One log as {@code eth_getLogs} returns it, with its block's timestamp (the pool stamps a
 * reserve's last update with it): the book's only input.
 *
 * @param topics each {@code 0x} and 64 hex digits, any case
 * @param data the log's data, {@code 0x} hex
 */
public record AaveLog(
        long blockNumber,
        long blockTimestamp,
        long logIndex,
        Address address,
        List<String> topics,
        String data) {

    public AaveLog {
        Objects.requireNonNull(address, "address");
        topics = topics.stream().map(t -> Hex.normalize(t, 32, "topic")).toList();
        Objects.requireNonNull(data, "data");
        if (!data.startsWith("0x") || data.length() % 2 != 0) {
            throw new IllegalArgumentException("log data is not 0x hex: " + data);
        }
    }

    /** Topic 0: the event's signature hash, or {@code null} for an anonymous log. */
    public String signature() {
        return topics.isEmpty() ? null : topics.get(0);
    }

    /** Indexed argument {@code i} (1-based, as topics are) as an address. */
    public Address topicAddress(int i) {
        return Address.of("0x" + topics.get(i).substring(26));
    }

    /** Indexed argument {@code i} as an unsigned integer. */
    public BigInteger topicUint(int i) {
        return new BigInteger(topics.get(i).substring(2), 16);
    }

    /** Data word {@code i} (0-based) as an unsigned integer. */
    public BigInteger word(int i) {
        int from = 2 + 64 * i;
        if (data.length() < from + 64) {
            throw new IllegalArgumentException(
                    "log of " + address + " has no data word " + i + ": " + data);
        }
        return new BigInteger(data.substring(from, from + 64), 16);
    }

    /** Data word {@code i} as an address. */
    public Address wordAddress(int i) {
        int from = 2 + 64 * i;
        return Address.of("0x" + data.substring(from + 24, from + 64));
    }

    /** Data word {@code i} as a bool. */
    public boolean wordBool(int i) {
        return word(i).signum() != 0;
    }

    @Override
    public String toString() {
        return "log " + blockNumber + "/" + logIndex + " of " + address + " " + signature();
    }
}
