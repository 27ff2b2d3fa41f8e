package io.freehold.node.state;

/**
 * A 20-byte account or contract address, held as {@code 0x} and 40 lowercase hex digits: the form
 * JSON-RPC logs carry and the store keeps. Any case is accepted and lowercased; no EIP-55 check
 * here, since addresses reach the state from logs, not from people.
 */
public record Address(String hex) implements Comparable<Address> {

    public Address {
        hex = Hex.normalize(hex, 20, "address");
    }

    public static Address of(String hex) {
        return new Address(hex);
    }

    @Override
    public int compareTo(Address other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
