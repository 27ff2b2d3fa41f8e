package io.freehold.node.liquidation.transact;

import io.freehold.contracts.bindings.PoolViews;
import io.freehold.node.liquidation.LiquidationMetrics;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.LiquidatorRpcException;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.LiquidateEvents;
import io.freehold.node.liquidation.decide.LiquidationProtocol;
import io.freehold.node.liquidation.decide.PoolReader;
import io.freehold.node.liquidation.decide.RevertDecoder;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Follows one liquidation in flight to its end, one step per tick. The store is the only memory: an
 * executor started after a crash tracks what the previous one left exactly as if it had sent it.
 *
 * <ol>
 *   <li>A receipt for any of the attempt's transactions in a <em>final</em> block (at least {@code
 *       finalityBlocks} blocks on top, the node's {@code confirmations}) ends it: MINED with the
 *       chain's numbers from the event that proves it ({@link LiquidationProtocol#prove}:
 *       Freehold's {@code Liquidate}, Aave's {@code LiquidationCall}), FAILED if it reverted (with
 *       who liquidated first, if someone did), GAVE_UP if the cancel was mined. A receipt in a
 *       block not final yet makes it MINED_UNCONFIRMED: still held, position and nonce reserved.
 *   <li>A MINED_UNCONFIRMED attempt whose receipt is gone was orphaned by a reorg: it reopens
 *       (ORPHANED_RETRIED) at the same nonce. If the position no longer needs it, a self-transfer
 *       cancels it; otherwise the recorded signed transaction is broadcast again, and if every
 *       endpoint refuses it, the liquidation is signed again at the same nonce with fresh fees.
 *   <li>The attempt's nonce used and none of its transactions mined: something else took the nonce;
 *       FAILED.
 *   <li>The current transaction unknown to every endpoint (a crash between recording and
 *       broadcasting, a dropped mempool): broadcast again from the stored raw bytes.
 *   <li>Not mined within {@code stuck-after}: if the position still needs liquidating (the
 *       liquidation simulated again at the latest block succeeds), replace it with higher fees; if
 *       not, cancel it with a self-transfer at the same nonce, so it cannot be mined into a revert.
 * </ol>
 */
final class InclusionTracker {

    private static final Logger LOG = LoggerFactory.getLogger(InclusionTracker.class);

    private final LiquidatorConfiguration config;
    private final LiquidatorRpc rpc;
    private final AttemptStore store;
    private final PoolReader reader;
    private final LiquidationProtocol protocol;
    private final FeeEstimator feeEstimator;
    private final TransactionSigner signer;
    private final NonceManager nonces;
    private final LiquidationMetrics metrics;
    private final Clock clock;
    private final long finalityBlocks;
    // Attempts already reported as unable to bump under the cap, so the warning is said once.
    private final Set<Long> atCap = new HashSet<>();

    InclusionTracker(
            LiquidatorConfiguration config,
            LiquidatorRpc rpc,
            AttemptStore store,
            PoolReader reader,
            LiquidationProtocol protocol,
            FeeEstimator feeEstimator,
            TransactionSigner signer,
            NonceManager nonces,
            LiquidationMetrics metrics,
            Clock clock,
            long finalityBlocks) {
        this.config = config;
        this.rpc = rpc;
        this.store = store;
        this.reader = reader;
        this.protocol = protocol;
        this.feeEstimator = feeEstimator;
        this.signer = signer;
        this.nonces = nonces;
        this.metrics = metrics;
        this.clock = clock;
        this.finalityBlocks = finalityBlocks;
    }

    /**
     * One step for attempt {@code a}.
     *
     * @param minedNonce the liquidator's mined transaction count at {@code head}
     */
    void advance(Attempt a, LiquidatorRpc.Head head, long minedNonce) {
        long nonce =
                a.nonce()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "attempt " + a.id() + " has no nonce"));
        if (settleIfMined(a, head)) {
            return;
        }
        if (a.provisional().isPresent()) {
            if (minedNonce > nonce) {
                // No receipt, yet the nonce is used on chain: an endpoint that lags behind the one
                // that gave
                // the receipt, most likely. Not a reorg until the chain's count says the nonce is
                // free again.
                LOG.debug(
                        "no receipt for attempt {} but nonce {} is used (count {}); asking again",
                        a.id(),
                        nonce,
                        minedNonce);
                return;
            }
            // It had a receipt and has none now, and its nonce is free again: a reorg orphaned the
            // block.
            reopen(a, a.provisional().get(), head);
            return;
        }
        if (minedNonce > nonce) {
            // A receipt may have appeared between the first look and the nonce count: look once
            // more.
            if (settleIfMined(a, head)) {
                return;
            }
            store.finish(
                    a.id(),
                    AttemptStatus.FAILED,
                    "NONCE_USED",
                    "nonce "
                            + nonce
                            + " of "
                            + a.liquidator()
                            + " was used by a transaction this node did not record; is the key used elsewhere?",
                    Optional.empty(),
                    clock.instant());
            nonces.mined(nonce);
            metrics.failed();
            LOG.error(
                    "liquidation of {} lost its nonce {} to a transaction this node did not send",
                    a.position(),
                    nonce);
            return;
        }
        Optional<SentTransaction> current = a.current();
        if (current.isEmpty()) {
            store.finish(
                    a.id(),
                    AttemptStatus.FAILED,
                    "REJECTED",
                    "every transaction of the attempt was refused",
                    Optional.empty(),
                    clock.instant());
            nonces.release(nonce);
            metrics.failed();
            return;
        }
        SentTransaction tx = current.get();
        if (!rpc.known(tx.hash())) {
            rebroadcast(a, tx);
            return;
        }
        Instant now = clock.instant();
        if (Duration.between(tx.sentAt(), now).compareTo(config.stuckAfter()) < 0) {
            return;
        }
        if (a.giveUpReason().isEmpty() && tx.kind() == SentTransaction.Kind.LIQUIDATION) {
            Optional<RevertDecoder.Decoded> unwanted = stillUnwanted(a, head);
            if (unwanted.isPresent()) {
                String why =
                        "the position stopped needing this liquidation while it waited: liquidate simulated at block "
                                + head.number()
                                + " reverts with "
                                + unwanted.get()
                                + LiquidateEvents.byOthers(
                                                liquidationsSince(a, head.number()), a.liquidator())
                                        .map(o -> " (" + o + ")")
                                        .orElse("");
                store.givingUp(a.id(), unwanted.get().skipReason(), why, now);
                LOG.info("giving up the liquidation of {}: {}", a.position(), why);
                replace(a, tx, SentTransaction.Kind.CANCEL, head, now);
                return;
            }
        }
        replace(
                a,
                tx,
                a.giveUpReason().isPresent()
                        ? SentTransaction.Kind.CANCEL
                        : SentTransaction.Kind.LIQUIDATION,
                head,
                now);
    }

    /**
     * If one of the attempt's transactions has a receipt: ends the attempt when the receipt's block
     * is final, else records it as mined, not final. True if there was a receipt.
     */
    private boolean settleIfMined(Attempt a, LiquidatorRpc.Head head) {
        List<SentTransaction> txs = a.transactions();
        for (int i = txs.size() - 1; i >= 0; i--) {
            Optional<TransactionReceipt> receipt = rpc.receipt(txs.get(i).hash());
            if (receipt.isPresent()) {
                long block = receipt.get().getBlockNumber().longValueExact();
                if (head.number() - block >= finalityBlocks) {
                    finish(a, txs.get(i), receipt.get());
                } else {
                    Attempt.Inclusion at =
                            new Attempt.Inclusion(
                                    block, receipt.get().getBlockHash(), txs.get(i).hash());
                    if (!a.provisional().equals(Optional.of(at))) {
                        store.provisionallyMined(a.id(), at, clock.instant());
                        LOG.info(
                                "{} of {} (attempt {}) mined in block {} by tx {}; final after {} more"
                                        + " block(s)",
                                a.kind(),
                                a.position(),
                                a.id(),
                                block,
                                at.txHash(),
                                block + finalityBlocks - head.number());
                    }
                }
                return true;
            }
        }
        return false;
    }

    /**
     * A reorg orphaned {@code was}, the block that held the attempt's transaction. The attempt
     * stays held at its nonce: the nonce must be filled again, or every later liquidation waits
     * behind it.
     */
    private void reopen(Attempt a, Attempt.Inclusion was, LiquidatorRpc.Head head) {
        Instant now = clock.instant();
        store.orphaned(a.id(), now);
        metrics.orphaned();
        LOG.warn(
                "a reorg orphaned block {} ({}) with tx {} of the {} of {} (attempt {}); sending again at"
                        + " nonce {}",
                was.block(),
                was.blockHash(),
                was.txHash(),
                a.kind(),
                a.position(),
                a.id(),
                a.nonce().getAsLong());
        SentTransaction current =
                a.current()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "attempt "
                                                        + a.id()
                                                        + " has no transaction that was accepted"));
        if (a.giveUpReason().isEmpty() && current.kind() == SentTransaction.Kind.LIQUIDATION) {
            Optional<RevertDecoder.Decoded> unwanted = stillUnwanted(a, head);
            if (unwanted.isPresent()) {
                String why =
                        "after a reorg orphaned block "
                                + was.block()
                                + " the position no longer needs this"
                                + " liquidation: liquidate simulated at block "
                                + head.number()
                                + " reverts with "
                                + unwanted.get();
                store.givingUp(a.id(), unwanted.get().skipReason(), why, now);
                LOG.info("giving up the liquidation of {}: {}", a.position(), why);
                resign(a, SentTransaction.Kind.CANCEL, head, now);
                return;
            }
        }
        LiquidatorRpc.SendResult result = rpc.send(current.rawTransaction());
        if (result.outcome() == LiquidatorRpc.SendOutcome.REJECTED) {
            // The recorded transaction is no longer valid (fees under the base fee now, say): plan
            // it again
            // at the same nonce with today's fees.
            store.markRejected(a.id(), current.seq(), result.detail(), now);
            LOG.info(
                    "tx {} of {} refused after the reorg ({}); signing it again at nonce {}",
                    current.hash(),
                    a.position(),
                    result.detail(),
                    a.nonce().getAsLong());
            resign(a, current.kind(), head, now);
        } else {
            LOG.info(
                    "tx {} of {} broadcast again after the reorg ({})",
                    current.hash(),
                    a.position(),
                    result.outcome());
        }
    }

    /**
     * Signs the attempt's liquidation (or a cancel) again at its nonce with fees for {@code head},
     * and sends it.
     */
    private void resign(
            Attempt a, SentTransaction.Kind kind, LiquidatorRpc.Head head, Instant now) {
        Fees fees = feeEstimator.initial(head.baseFeePerGas());
        SentTransaction previous = a.current().orElse(null);
        if (previous != null) {
            // Some mempool may still hold the previous version: only a full bump replaces it there.
            fees = feeEstimator.bump(previous.fees(), head.baseFeePerGas()).orElse(fees);
        }
        int seq = a.transactions().size();
        long nonce = a.nonce().getAsLong();
        SentTransaction tx =
                kind == SentTransaction.Kind.CANCEL
                        ? signer.cancel(seq, nonce, fees, now, head.number())
                        : signer.liquidation(
                                seq,
                                nonce,
                                fees,
                                config.gasLimit(),
                                target(a),
                                calldata(a),
                                now,
                                head.number());
        store.addTransaction(a.id(), tx, now);
        metrics.replaced();
        LiquidatorRpc.SendResult result = rpc.send(tx.rawTransaction());
        if (result.outcome() == LiquidatorRpc.SendOutcome.REJECTED) {
            store.markRejected(a.id(), seq, result.detail(), clock.instant());
            LOG.warn(
                    "{} {} of {} at nonce {} refused: {}",
                    kind,
                    tx.hash(),
                    a.position(),
                    nonce,
                    result.detail());
        } else {
            LOG.info(
                    "{} {} of {} sent at nonce {} with {}",
                    kind,
                    tx.hash(),
                    a.position(),
                    nonce,
                    fees);
        }
    }

    private void finish(Attempt a, SentTransaction tx, TransactionReceipt receipt) {
        long block = receipt.getBlockNumber().longValueExact();
        long gasUsed = receipt.getGasUsed().longValueExact();
        BigInteger gasPrice =
                receipt.getEffectiveGasPrice() == null
                        ? tx.fees().maxFeePerGas()
                        : Numeric.decodeQuantity(receipt.getEffectiveGasPrice());
        BigInteger gasCost = protocol.gasCost(BigInteger.valueOf(gasUsed).multiply(gasPrice));
        Instant now = clock.instant();
        atCap.remove(a.id());
        nonces.mined(a.nonce().getAsLong());
        if (tx.kind() == SentTransaction.Kind.CANCEL) {
            store.finish(
                    a.id(),
                    AttemptStatus.GAVE_UP,
                    a.reasonCode().orElse(SkipReason.WOULD_REVERT.name()),
                    a.giveUpReason().orElse("given up")
                            + "; cancelled by tx "
                            + tx.hash()
                            + " in block "
                            + block,
                    Optional.of(
                            Attempt.Outcome.gasOnly(block, tx.hash(), gasUsed, gasPrice, gasCost)),
                    now);
            metrics.gaveUp();
            metrics.realised(gasCost.negate());
            LOG.info(
                    "gave up the liquidation of {}: cancel {} mined in block {}",
                    a.position(),
                    tx.hash(),
                    block);
            return;
        }
        if (!receipt.isStatusOK()) {
            String why =
                    a.kind()
                            + " reverted on chain in block "
                            + block
                            + " (tx "
                            + tx.hash()
                            + ")"
                            + LiquidateEvents.byOthers(liquidationsSince(a, block), a.liquidator())
                                    .map(o -> ": " + o)
                                    .orElse("")
                            + replayedAt(a, block)
                                    .map(r -> "; replayed after that block it reverts with " + r)
                                    .orElse("");
            failOnChain(a, tx, block, gasUsed, gasPrice, gasCost, why, now);
            return;
        }
        Optional<LiquidationProtocol.Proof> proof = protocol.prove(a, receipt, gasCost);
        if (proof.isEmpty()) {
            String why =
                    a.kind()
                            + " tx "
                            + tx.hash()
                            + " succeeded in block "
                            + block
                            + " without its event for "
                            + a.position();
            failOnChain(a, tx, block, gasUsed, gasPrice, gasCost, why, now);
            return;
        }
        LiquidationProtocol.Proof done = proof.get();
        store.finish(
                a.id(),
                AttemptStatus.MINED,
                null,
                done.description(),
                Optional.of(
                        new Attempt.Outcome(
                                block,
                                tx.hash(),
                                done.repaidAssets(),
                                done.seizedCollateral(),
                                done.badDebtAssets(),
                                gasUsed,
                                gasPrice,
                                done.profit())),
                now);
        metrics.mined(block - a.unhealthySinceBlock(), blockTime(a.unhealthySinceBlock(), block));
        metrics.realised(done.profit());
        LOG.info(
                "{} of {} (tx {}): {}, profit {}",
                a.kind(),
                a.position(),
                tx.hash(),
                done.description(),
                done.profit());
    }

    private void rebroadcast(Attempt a, SentTransaction tx) {
        store.requireLease(); // a replica that lost the lease sends nothing, not even again
        LiquidatorRpc.SendResult result = rpc.send(tx.rawTransaction());
        if (result.outcome() == LiquidatorRpc.SendOutcome.REJECTED) {
            // Refused now: it can never be mined. An earlier version may still be pending; if none
            // is, the
            // next step ends the attempt.
            store.markRejected(a.id(), tx.seq(), result.detail(), clock.instant());
            LOG.warn(
                    "transaction {} of the liquidation of {} is unknown and refused again: {}",
                    tx.hash(),
                    a.position(),
                    result.detail());
        } else {
            LOG.info(
                    "transaction {} of the liquidation of {} was unknown to every endpoint; broadcast again ({})",
                    tx.hash(),
                    a.position(),
                    result.outcome());
        }
    }

    /**
     * Sends a fee-bumped version of {@code current} at the same nonce: the liquidation again, or a
     * cancel.
     */
    private void replace(
            Attempt a,
            SentTransaction current,
            SentTransaction.Kind kind,
            LiquidatorRpc.Head head,
            Instant now) {
        Optional<Fees> bumped = feeEstimator.bump(current.fees(), head.baseFeePerGas());
        if (bumped.isEmpty()) {
            if (atCap.add(a.id())) {
                LOG.warn(
                        "transaction {} of {} is stuck at {} and max-fee-per-gas-cap {} leaves no room for a"
                                + " {}% bump; waiting",
                        current.hash(),
                        a.position(),
                        current.fees(),
                        config.maxFeePerGasCap(),
                        config.feeBumpPercent());
            }
            return;
        }
        int seq = a.transactions().size();
        long nonce = a.nonce().getAsLong();
        SentTransaction tx =
                kind == SentTransaction.Kind.CANCEL
                        ? signer.cancel(seq, nonce, bumped.get(), now, head.number())
                        : signer.liquidation(
                                seq,
                                nonce,
                                bumped.get(),
                                config.gasLimit(),
                                target(a),
                                calldata(a),
                                now,
                                head.number());
        store.addTransaction(a.id(), tx, now);
        metrics.replaced();
        LiquidatorRpc.SendResult result = rpc.send(tx.rawTransaction());
        if (result.outcome() == LiquidatorRpc.SendOutcome.REJECTED) {
            store.markRejected(a.id(), seq, result.detail(), clock.instant());
            LOG.warn(
                    "replacement {} of the liquidation of {} refused: {}",
                    tx.hash(),
                    a.position(),
                    result.detail());
        } else {
            LOG.info(
                    "{} of {} stuck since {}: replaced by {} with {}",
                    current.hash(),
                    a.position(),
                    current.sentAt(),
                    kind == SentTransaction.Kind.CANCEL ? "cancel " + tx.hash() : tx.hash(),
                    bumped.get());
        }
    }

    /**
     * The revert the liquidation would meet now, if it would: empty while the position still needs
     * it.
     */
    private Optional<RevertDecoder.Decoded> stillUnwanted(Attempt a, LiquidatorRpc.Head head) {
        LiquidatorRpc.CallResult simulation =
                reader.simulate(a.liquidator(), target(a), calldata(a), head.number());
        return simulation.reverted()
                ? Optional.of(RevertDecoder.decode(simulation.revertData()))
                : Optional.empty();
    }

    private Optional<RevertDecoder.Decoded> replayedAt(Attempt a, long block) {
        try {
            LiquidatorRpc.CallResult replay =
                    reader.simulate(a.liquidator(), target(a), calldata(a), block);
            return replay.reverted()
                    ? Optional.of(RevertDecoder.decode(replay.revertData()))
                    : Optional.empty();
        } catch (LiquidatorRpcException e) {
            return Optional.empty();
        }
    }

    private List<LiquidateEvents.Liquidated> liquidationsSince(Attempt a, long toBlock) {
        try {
            return LiquidateEvents.of(
                    rpc, reader.pool(), a.marketId(), a.borrower(), a.preflightBlock(), toBlock);
        } catch (LiquidatorRpcException e) {
            return List.of();
        }
    }

    /**
     * The attempt's calldata, rebuilt from what it recorded: the same bytes as its first
     * transaction.
     */
    private static String calldata(Attempt a) {
        if (a.calldata().isPresent()) {
            return a.calldata().get(); // a keeper's call, recorded as sent
        }
        BigInteger requested =
                a.expected()
                        .map(Attempt.Expected::requestedRepay)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "attempt "
                                                        + a.id()
                                                        + " has no requested repayment"));
        return PoolViews.liquidate(a.marketId(), a.borrower(), requested, a.receiver()).data();
    }

    /** The contract the attempt's transactions go to. */
    private Address target(Attempt a) {
        return a.target().orElse(reader.pool());
    }

    /**
     * A transaction of the attempt mined in a final block without doing its job (reverted, or a
     * keeper call without its event): FAILED, its gas paid and counted against realised profit.
     */
    private void failOnChain(
            Attempt a,
            SentTransaction tx,
            long block,
            long gasUsed,
            BigInteger gasPrice,
            BigInteger gasCost,
            String why,
            Instant now) {
        store.finish(
                a.id(),
                AttemptStatus.FAILED,
                "REVERTED",
                why,
                Optional.of(Attempt.Outcome.gasOnly(block, tx.hash(), gasUsed, gasPrice, gasCost)),
                now);
        metrics.failed();
        metrics.realised(gasCost.negate());
        LOG.warn("{} of {} failed: {}", a.kind(), a.position(), why);
    }

    /** Block time between two blocks; zero if the chain cannot say. */
    Duration blockTime(long from, long to) {
        try {
            return Duration.ofSeconds(Math.max(0, rpc.timestamp(to) - rpc.timestamp(from)));
        } catch (LiquidatorRpcException e) {
            return Duration.ZERO;
        }
    }
}
