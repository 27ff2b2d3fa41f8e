package io.freehold.node.api;

import io.freehold.node.risk.PositionRisk;
import io.freehold.node.state.Checkpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each valued position's {@code Position} message, converted and serialized once per block: a page
 * read again before the next block (clients poll the same pages) is a concatenation of bytes made
 * before. Keyed by the valuation itself (the risk engine hands readers the same {@link
 * PositionRisk} for the same position at the same block), and forgotten when a newer block's
 * valuation comes. Bounded: past {@link #LIMIT} entries a block's further positions are serialized
 * at each read.
 */
final class PositionMessages {

    /** The most messages kept for one block (about 400 bytes each). */
    static final int LIMIT = 20_000;

    private volatile Block current = new Block(null);

    /** {@code risk} as a serialized {@code Position}: {@code ApiProtos.position(risk)}'s bytes. */
    byte[] bytes(PositionRisk risk) {
        Block block = current;
        if (!risk.asOf().equals(block.asOf)) {
            if (block.asOf != null && risk.asOf().number() < block.asOf.number()) {
                return ApiProtos.position(risk).toByteArray(); // a reader late by a block
            }
            block = new Block(risk.asOf());
            current = block; // two readers of a new block may each start one: either is right
        }
        Identity key = new Identity(risk);
        byte[] bytes = block.bytes.get(key);
        if (bytes == null) {
            bytes = ApiProtos.position(risk).toByteArray();
            if (block.bytes.size() < LIMIT) {
                block.bytes.putIfAbsent(key, bytes);
            }
        }
        return bytes;
    }

    private static final class Block {
        final Checkpoint asOf;
        final Map<Identity, byte[]> bytes = new ConcurrentHashMap<>();

        Block(Checkpoint asOf) {
            this.asOf = asOf;
        }
    }

    /**
     * A valuation by identity: the engine's memo hands out the same instance, and comparing by
     * identity avoids hashing twenty numbers per lookup.
     */
    private record Identity(PositionRisk risk) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.risk == risk;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(risk);
        }
    }
}
