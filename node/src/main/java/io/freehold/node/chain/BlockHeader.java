package io.freehold.node.chain;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The part of a block the follower needs to notice a reorg: where it is, what it is, and what it
 * builds on. Hashes are {@code 0x} and 64 lowercase hex digits, the one form everything compares.
 *
 * <p>Defined here because {@code io.freehold.node.state} has no header type yet; if it gains one,
 * this record can be replaced by it.
 *
 * @param number the block number
 * @param hash the block hash
 * @param parentHash the hash of block {@code number - 1} on this block's chain
 * @param timestamp seconds since the Unix epoch, as the block header states it (interest accrues
 *     by it, so it is the chain's time, not the node's)
 */
public record BlockHeader(long number, String hash, String parentHash, long timestamp) {

    private static final Pattern HASH = Pattern.compile("0x[0-9a-f]{64}");

    public BlockHeader {
        if (number < 0) {
            throw new IllegalArgumentException("block number must not be negative: " + number);
        }
        hash = normalizeHash(hash, "block hash");
        parentHash = normalizeHash(parentHash, "parent hash");
    }

    /** {@code hex} lowercased, after checking it is a 32-byte 0x hash. */
    static String normalizeHash(String hex, String what) {
        String lower = Objects.requireNonNull(hex, what).toLowerCase(Locale.ROOT);
        if (!HASH.matcher(lower).matches()) {
            throw new IllegalArgumentException(what + " must be 0x and 64 hex digits: " + hex);
        }
        return lower;
    }
}
