package io.freehold.node.ingest;

import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;

/**
 * The logs the node rebuilds its state from, decoded: one record per event of contracts/README.md's
 * table "Events: what an indexer can rebuild". Amounts are base units exactly as emitted; indexes
 * and prices keep the contract's scales (rent 1e36, price 1e36).
 */
public sealed interface ProtocolEvent {

    // ---- LendingPool ------------------------------------------------------------------------

    record MarketCreated(MarketId id, MarketTerms params) implements ProtocolEvent {}

    /**
     * Interest accrued; the totals are the market's after it, {@code lastUpdate} becomes the block
     * time.
     */
    record AccrueInterest(MarketId id, BigInteger totalSupplyAssets, BigInteger totalBorrowAssets)
            implements ProtocolEvent {}

    record Supply(MarketId id, Address onBehalf, BigInteger assets, BigInteger shares)
            implements ProtocolEvent {}

    record Withdraw(MarketId id, Address onBehalf, BigInteger assets, BigInteger shares)
            implements ProtocolEvent {}

    record SupplyCollateral(MarketId id, Address onBehalf, BigInteger assets)
            implements ProtocolEvent {}

    record WithdrawCollateral(MarketId id, Address onBehalf, BigInteger assets)
            implements ProtocolEvent {}

    record Borrow(MarketId id, Address onBehalf, BigInteger assets, BigInteger shares)
            implements ProtocolEvent {}

    record Repay(MarketId id, Address onBehalf, BigInteger assets, BigInteger shares)
            implements ProtocolEvent {}

    /**
     * Also where the log is (transaction, index in the block): liquidations are kept as history.
     */
    record Liquidate(
            MarketId id,
            Address liquidator,
            Address borrower,
            Address receiver,
            BigInteger repaidAssets,
            BigInteger repaidShares,
            BigInteger seizedCollateral,
            BigInteger badDebtAssets,
            BigInteger badDebtShares,
            String transactionHash,
            long logIndex)
            implements ProtocolEvent {}

    /**
     * The pool pulled rent for {@code token}'s locked collateral; {@code rentIndex} is the new
     * index.
     */
    record RentPulled(Address token, BigInteger amount, BigInteger rentIndex)
            implements ProtocolEvent {}

    /**
     * A position's settled rent left it: paid out, or applied to its debt when the receiver is the
     * pool.
     */
    record PositionRentClaimed(MarketId id, Address owner, BigInteger amount)
            implements ProtocolEvent {}

    /** The market's liquidation terms, set once in the transaction that created it. */
    record LiquidationTermsSet(MarketId id, LiquidationTerms terms) implements ProtocolEvent {}

    /**
     * A position was flagged, or its flag confirmed under appraisal number {@code appraisalSeq}
     * ({@code flaggedAt} unchanged when the flag held).
     */
    record CureFlagged(
            MarketId id,
            Address borrower,
            long flaggedAt,
            BigInteger appraisalSeq,
            BigInteger price)
            implements ProtocolEvent {}

    /** The position's flag is gone (the auction lock is not: {@link AuctionEnded} lifts it). */
    record CureFlagCleared(MarketId id, Address borrower) implements ProtocolEvent {}

    /** An auction started: the penalty joined the borrower's debt and both market totals. */
    record AuctionPenalty(MarketId id, Address borrower, BigInteger assets, BigInteger shares)
            implements ProtocolEvent {}

    // ---- DutchAuction -----------------------------------------------------------------------

    /** The market's auction parameters, set once at its creation. */
    record AuctionMarketConfigured(MarketId id, AuctionTerms terms) implements ProtocolEvent {}

    /**
     * An auction started ({@code restarts} 0) or restarted: new prices and clock from {@code
     * startedAt}; the position is locked. {@code lot} and {@code tab} are the position's collateral
     * and debt at that moment, {@code keeperReward} what the keeper was paid (already a {@link
     * Borrow} on the position).
     */
    record AuctionStarted(
            long auctionId,
            MarketId id,
            Address borrower,
            Address keeper,
            BigInteger lot,
            BigInteger tab,
            BigInteger startPrice,
            BigInteger floorPrice,
            long startedAt,
            long endsAt,
            BigInteger keeperReward,
            int restarts)
            implements ProtocolEvent {}

    /** The auction is over and the position unlocked. */
    record AuctionEnded(
            long auctionId, MarketId id, Address borrower, BigInteger lotLeft, BigInteger badDebt)
            implements ProtocolEvent {}

    // ---- AppraisalOracle --------------------------------------------------------------------

    /** A new price took effect (ordinary, executed after the timelock, or forced). */
    record AppraisalUpdated(Address token, BigInteger price, long updatedAt)
            implements ProtocolEvent {}

    record FeedConfigured(Address token, BigInteger maxAge, long maxMoveBps)
            implements ProtocolEvent {}

    // ---- IdentityRegistry -------------------------------------------------------------------

    record IdentityVerified(Address account) implements ProtocolEvent {}

    record IdentityRemoved(Address account) implements ProtocolEvent {}

    // ---- PropertyToken (the emitting contract is the token) ---------------------------------

    record AddressFrozen(Address token, Address account, boolean frozen) implements ProtocolEvent {}

    record PauseChanged(Address token, boolean paused) implements ProtocolEvent {}

    /** Rent deposited for holders; {@code rentPerToken} is the token's new accumulator (1e36). */
    record RentDeposited(Address token, BigInteger rentPerToken) implements ProtocolEvent {}
}
