package io.freehold.node.liquidation.transact;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One signed transaction of an attempt: the first liquidation, a fee-bumped replacement, or a
 * cancel; all share the attempt's nonce, so at most one of them can ever be mined.
 *
 * @param seq 0 for the first, then 1, 2... in the order they were signed
 * @param hash the transaction hash, 0x-hex
 * @param rawTransaction the signed transaction, 0x-hex: public once broadcast, kept so it can be
 *     broadcast again
 * @param sentAtBlock the head when it was signed
 * @param rejection what the endpoints said when every one of them refused it (it can never be
 *     mined)
 */
public record SentTransaction(
        int seq,
        String hash,
        Kind kind,
        Fees fees,
        long gasLimit,
        String rawTransaction,
        Instant sentAt,
        long sentAtBlock,
        Optional<String> rejection) {

    /** What the transaction does. */
    public enum Kind {
        /** {@code liquidate(...)} on the pool. */
        LIQUIDATION,
        /**
         * A zero-value transfer to the liquidator itself: takes the nonce so the liquidation can
         * never be mined.
         */
        CANCEL
    }

    public SentTransaction {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(rawTransaction, "rawTransaction");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(rejection, "rejection");
    }

    public boolean rejected() {
        return rejection.isPresent();
    }
}
