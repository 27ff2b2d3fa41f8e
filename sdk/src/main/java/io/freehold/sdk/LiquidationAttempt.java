package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One of the node's own liquidation attempts (its liquidator in execute mode), or a refusal of its
 * preflight (in watch mode too).
 *
 * <pre>{@code
 * client.liquidations().attempts(LiquidationQuery.all())
 *         .filter(a -> a.status() == LiquidationAttempt.Status.MINED)
 *         .forEach(a -> System.out.println(a.borrower() + " in block " + a.minedBlock().getAsLong()));
 * }</pre>
 *
 * @param id the node's id of the attempt (newer attempts have larger ids)
 * @param marketId the market
 * @param borrower the position's account
 * @param status where it stands
 * @param reason why it was skipped, failed or given up on; empty otherwise
 * @param transactionHashes the transaction and any fee-bumped replacements
 * @param nonce the liquidator's nonce, once sent
 * @param repaidAssets loan-token base units repaid, once mined
 * @param seizedCollateral collateral-token base units seized, once mined
 * @param minedBlock the block it was mined in
 * @param createdAt when the node created it (the node's clock)
 * @param updatedAt when the node last changed it
 * @param kind what the attempt sends (or, skipped, would have sent): a liquidation, or on auction
 *     and cure-window markets one of the keeper's calls
 */
public record LiquidationAttempt(
        long id,
        MarketId marketId,
        Address borrower,
        Status status,
        Optional<String> reason,
        List<String> transactionHashes,
        OptionalLong nonce,
        Optional<BigInteger> repaidAssets,
        Optional<BigInteger> seizedCollateral,
        OptionalLong minedBlock,
        Instant createdAt,
        Instant updatedAt,
        Kind kind) {

    /** What an attempt sends. */
    public enum Kind {
        /** {@code pool.liquidate}: the fixed incentive. */
        LIQUIDATE,
        /** {@code pool.flag}: starts the borrower's cure window. */
        FLAG,
        /** {@code DutchAuction.start}, the node's liquidator as keeper. */
        START_AUCTION,
        /** {@code DutchAuction.restart} of an auction past its end. */
        RESTART_AUCTION,
        /** {@code DutchAuction.take} at the node's configured discount. */
        TAKE,
        /** {@code Pool.liquidationCall} on an Aave v3 pool the node follows (docs/AAVE.md). */
        AAVE_LIQUIDATION_CALL,
        /** A kind newer than this SDK. */
        UNKNOWN
    }

    /** Where an attempt stands. */
    public enum Status {
        /** The preflight refused it; {@link #reason()} says why; retried after a cooldown. */
        SKIPPED,
        /** Sent, not mined yet. */
        IN_FLIGHT,
        MINED,
        /** Mined and reverted, or could not be sent. */
        FAILED,
        /** Someone else liquidated first, or the position recovered. */
        GAVE_UP,
        /**
         * Mined in a block that is not final yet: a reorg may still orphan it (then
         * ORPHANED_RETRIED).
         */
        MINED_UNCONFIRMED,
        /** A reorg orphaned the block it was mined in; the node sent it again at the same nonce. */
        ORPHANED_RETRIED,
        /**
         * A status newer than this SDK, or a request only queued (see {@link
         * Liquidations#request}).
         */
        UNKNOWN
    }

    public LiquidationAttempt {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(kind, "kind");
        transactionHashes = List.copyOf(transactionHashes);
    }
}
