package io.freehold.node.liquidation.attempts;

import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.node.liquidation.transact.SentTransaction;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of the liquidator's record ({@link AttemptStore}): a liquidation sent, or a candidate
 * refused.
 *
 * @param reasonCode SKIPPED: the {@link SkipReason}; FAILED: {@code REVERTED}, {@code REJECTED} or
 *     {@code NONCE_USED}; GAVE_UP: the {@link SkipReason} found when the transaction was stuck
 * @param reason the same in words, with the numbers
 * @param giveUpReason set while a cancel is pending
 * @param skipCount how many preflights in a row refused the position for the same reason (1
 *     otherwise)
 * @param nonce the nonce of every transaction of the attempt; empty for skips
 * @param expected what preflight expected; empty for skips
 * @param outcome what the chain did, once a transaction of the attempt was mined
 * @param transactions every transaction signed for the attempt, in order
 * @param provisional while {@link AttemptStatus#MINED_UNCONFIRMED}: where the receipt was seen, in
 *     a block not final yet
 * @param orphanedCount how many times a reorg orphaned a block that held one of the attempt's
 *     transactions
 * @param kind what the attempt does: a liquidation, or one of the keeper's auction and cure-window
 *     calls
 * @param target the contract its transactions go to; empty: the pool (every liquidation)
 * @param calldata its call data; empty: a liquidation, rebuilt from {@code expected} and {@code
 *     receiver}
 */
public record Attempt(
        long id,
        MarketId marketId,
        Address borrower,
        Address liquidator,
        Address receiver,
        AttemptStatus status,
        Optional<String> reasonCode,
        Optional<String> reason,
        Optional<String> giveUpReason,
        int skipCount,
        long unhealthySinceBlock,
        long detectedAtBlock,
        long preflightBlock,
        OptionalLong nonce,
        Optional<Expected> expected,
        Optional<Outcome> outcome,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> finishedAt,
        List<SentTransaction> transactions,
        Optional<Inclusion> provisional,
        int orphanedCount,
        AttemptKind kind,
        Optional<Address> target,
        Optional<String> calldata) {

    /**
     * A receipt seen in block {@code block} (hash {@code blockHash}) for transaction {@code
     * txHash}.
     */
    public record Inclusion(long block, String blockHash, String txHash) {}

    /**
     * What preflight expected at its block; amounts in base units, {@code price} at PRICE_SCALE.
     */
    public record Expected(
            BigInteger requestedRepay,
            BigInteger repaidAssets,
            BigInteger seizedCollateral,
            BigInteger profit,
            BigInteger price) {}

    /**
     * What the chain did with the attempt's mined transaction.
     *
     * @param repaidAssets from the {@code Liquidate} event (zero when it reverted or was a cancel)
     * @param seizedCollateral collateral-token base units, from the event
     * @param badDebtAssets written off, from the event
     * @param effectiveGasPrice wei per gas paid
     * @param profit seized collateral at the appraisal of the inclusion block, minus the repayment,
     *     minus the gas in loan-token base units
     */
    public record Outcome(
            long includedBlock,
            String txHash,
            BigInteger repaidAssets,
            BigInteger seizedCollateral,
            BigInteger badDebtAssets,
            long gasUsed,
            BigInteger effectiveGasPrice,
            BigInteger profit) {

        /**
         * A transaction that was mined without doing the attempt's job (it reverted, was a cancel,
         * or lacked its event): nothing repaid or seized, its gas paid, so the profit is minus the
         * gas cost.
         */
        public static Outcome gasOnly(
                long includedBlock,
                String txHash,
                long gasUsed,
                BigInteger effectiveGasPrice,
                BigInteger gasCost) {
            BigInteger zero = BigInteger.ZERO;
            return new Outcome(
                    includedBlock,
                    txHash,
                    zero,
                    zero,
                    zero,
                    gasUsed,
                    effectiveGasPrice,
                    gasCost.negate());
        }
    }

    public Attempt {
        transactions = List.copyOf(transactions);
    }

    /**
     * The newest transaction that was not refused by every endpoint: the one that should be in the
     * mempool.
     */
    public Optional<SentTransaction> current() {
        for (int i = transactions.size() - 1; i >= 0; i--) {
            if (!transactions.get(i).rejected()) {
                return Optional.of(transactions.get(i));
            }
        }
        return Optional.empty();
    }

    /** {@code market/borrower}, for logs. */
    public String position() {
        return marketId.hex() + "/" + borrower.hex();
    }
}
