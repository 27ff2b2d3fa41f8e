package io.freehold.node.state;

/**
 * A market's id, {@code keccak256(abi.encode(collateralToken, loanToken))} on chain: {@code 0x} and
 * 64 lowercase hex digits. Any case is accepted and lowercased.
 */
public record MarketId(String hex) implements Comparable<MarketId> {

    public MarketId {
        hex = Hex.normalize(hex, 32, "market id");
    }

    public static MarketId of(String hex) {
        return new MarketId(hex);
    }

    @Override
    public int compareTo(MarketId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
