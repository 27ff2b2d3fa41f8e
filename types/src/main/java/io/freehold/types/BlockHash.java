package io.freehold.types;

/** A block hash: {@code 0x} and 64 lowercase hex digits. Any case is accepted and lowercased. */
public record BlockHash(String hex) {

    public BlockHash {
        hex = Hex.normalize(hex, 32, "block hash");
    }

    public static BlockHash of(String hex) {
        return new BlockHash(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
