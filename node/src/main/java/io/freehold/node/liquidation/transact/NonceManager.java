package io.freehold.node.liquidation.transact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The liquidator's nonces, without gaps.
 *
 * <p>A nonce is <em>reserved</em> from the moment it is written into a recorded transaction until
 * that transaction (or a replacement at the same nonce) is mined, or is known never to have reached
 * a mempool. The next nonce is the lowest one that the chain has not used yet (its count of mined
 * transactions) and that is not reserved. Because a released nonce is handed out again before any
 * higher one, a refused send never leaves a hole that would hold every later transaction back.
 *
 * <p>It follows the chain: the executor resyncs it at every step (and after a node says "nonce too
 * low"): the floor is the chain's mined count, the reservations are the nonces of the attempts the
 * store still holds (in flight, mined but not final, reopened after a reorg) and of the gap fillers
 * still pending. When a reorg makes the chain's count fall below what was believed mined, the floor
 * falls with it and the lowest free nonce is handed out first. {@link #gaps()} names the free
 * nonces below the highest reservation: a transaction above such a hole would sit in the mempool's
 * queue, so the executor fills each one at once (the orphaned attempt's own transaction, or a
 * self-transfer).
 *
 * <p>Not thread-safe on its own; the executor that owns it is single-threaded.
 */
final class NonceManager {

    private long floor;
    private final NavigableSet<Long> reserved = new TreeSet<>();

    /**
     * @param minedCount the chain's {@code eth_getTransactionCount(account, "latest")}
     * @param inFlight nonces of the transactions the store has in flight
     */
    NonceManager(long minedCount, Collection<Long> inFlight) {
        resync(minedCount, inFlight);
    }

    void resync(long minedCount, Collection<Long> inFlight) {
        if (minedCount < 0) {
            throw new IllegalArgumentException(
                    "mined count must not be negative, was " + minedCount);
        }
        floor = minedCount;
        reserved.clear();
        for (long nonce : inFlight) {
            if (nonce >= floor) {
                reserved.add(nonce);
            }
        }
    }

    /** The lowest unused, unreserved nonce, now reserved. */
    long reserve() {
        long nonce = peek();
        reserved.add(nonce);
        return nonce;
    }

    /**
     * The transaction at {@code nonce} never reached a mempool: the nonce is free for the next one.
     */
    void release(long nonce) {
        reserved.remove(nonce);
    }

    /** A transaction at {@code nonce} was mined: it and every nonce below are used for good. */
    void mined(long nonce) {
        reserved.remove(nonce);
        floor = Math.max(floor, nonce + 1);
        reserved.headSet(floor, false).clear();
    }

    /** Reserves {@code nonce} itself (a gap being filled). */
    void take(long nonce) {
        if (nonce >= floor) {
            reserved.add(nonce);
        }
    }

    /**
     * The free nonces between the chain's count and the highest reservation, lowest first: each is
     * a hole that holds every reserved transaction above it back. Empty when nothing is reserved.
     */
    List<Long> gaps() {
        List<Long> gaps = new ArrayList<>();
        if (reserved.isEmpty()) {
            return gaps;
        }
        long highest = reserved.last();
        for (long n = floor; n < highest; n++) {
            if (!reserved.contains(n)) {
                gaps.add(n);
            }
        }
        return gaps;
    }

    /** The chain's mined count as last synced or moved by {@link #mined}. */
    long floor() {
        return floor;
    }

    /** What {@link #reserve()} would return now, without reserving it. */
    long peek() {
        long nonce = floor;
        for (long taken : reserved.tailSet(floor, true)) {
            if (taken != nonce) {
                break;
            }
            nonce++;
        }
        return nonce;
    }

    @Override
    public String toString() {
        return "nonces from " + floor + ", reserved " + reserved;
    }
}
