package io.freehold.node.liquidation.transact;

import io.freehold.node.liquidation.LiquidationMetrics;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.LiquidatorRpcException;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.FreeholdProtocol;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.LiquidationPlan;
import io.freehold.node.liquidation.decide.LiquidationProtocol;
import io.freehold.node.liquidation.decide.PoolReader;
import io.freehold.node.liquidation.decide.Preflight;
import io.freehold.node.liquidation.decide.PreflightResult;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends liquidations and sees them through: the loop of the issue, in two calls.
 *
 * <ul>
 *   <li>{@link #consider}: for each candidate without a liquidation in flight and out of its
 *       cooldown, preflight against the chain ({@link LiquidationProtocol#check}: Freehold's {@link
 *       Preflight}, or another protocol's); a refusal is recorded with its reason; a pass is
 *       signed, recorded in the store <em>before</em> it is broadcast, then broadcast.
 *   <li>{@link #track}: every liquidation in flight moves one step ({@link InclusionTracker}):
 *       finished, broadcast again, replaced with higher fees, or cancelled.
 * </ul>
 *
 * <p>Exactly once: the store admits one attempt in flight per position, and the position's latest
 * attempt is read before anything is checked, so neither a repeated candidate nor a restart sends a
 * second liquidation; the first one, recorded with its signed bytes, is tracked by whichever
 * executor runs next. Nonces come from a {@link NonceManager} resynced from the chain and the store
 * at construction.
 *
 * <p>Methods are synchronized: one thread (the {@link LiquidationService}'s) drives an executor;
 * tests drive it directly.
 */
public final class LiquidationExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(LiquidationExecutor.class);

    /** What {@link #consider} did with one candidate. */
    public record Decision(
            LiquidationCandidate candidate, Kind kind, OptionalLong attemptId, String detail) {

        public enum Kind {
            /** Recorded and broadcast (or recorded, with the broadcast to be retried). */
            SENT,
            /** Preflight refused it; recorded. */
            SKIPPED,
            /** A liquidation of the position is already in flight; nothing done. */
            IN_FLIGHT,
            /** Refused, failed or given up less than the cooldown ago; nothing done. */
            COOLING_DOWN,
            /**
             * Another executor sharing the store took the position (or the nonce) first; nothing
             * sent.
             */
            BUSY,
            /** Recorded, but every endpoint refused the transaction; the attempt failed. */
            REJECTED,
            /** The chain could not be asked; nothing decided, tried again next time. */
            ERROR
        }

        @Override
        public String toString() {
            return candidate.position()
                    + ": "
                    + kind
                    + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    private final LiquidatorConfiguration config;
    private final LiquidatorRpc rpc;
    private final AttemptStore store;
    private final LiquidationMetrics metrics;
    private final Clock clock;
    private final Address liquidator;
    private final PoolReader reader;
    private final LiquidationProtocol protocol;
    private final TransactionSigner signer;
    private final NonceManager nonces;
    private final InclusionTracker tracker;
    private final FeeEstimator fees;
    // Self-transfers sent to fill a free nonce below a held one, by nonce: not attempts, so not in
    // the store;
    // kept reserved here until the chain's count passes them.
    private final Map<Long, String> fillers = new HashMap<>();

    /**
     * Positions refused for a reason that ends at a known chain time (a cure window, an auction's
     * run), by position: that time, unix seconds. Such a position is looked at again once the chain
     * has passed it, without waiting out the whole cooldown (a keeper that starts an auction a
     * minute after the window ends gives a taker a minute less). In memory: after a restart the
     * cooldown applies as for any refusal.
     */
    private final Map<String, Long> refusedUntil = new HashMap<>();

    /**
     * On Freehold's pool ({@link FreeholdProtocol}). Checks the chain id and resyncs the nonces
     * from the chain and the store.
     *
     * @param chainId the chain the node is configured for; the endpoints must serve it
     *     (transactions are signed for it)
     * @param finalityBlocks blocks on top of a receipt's block before the attempt is final (the
     *     node's {@code confirmations}); until then it is MINED_UNCONFIRMED and a reorg reopens it.
     *     0: final at once.
     * @throws IllegalStateException if the endpoints serve another chain
     */
    public LiquidationExecutor(
            LiquidatorConfiguration config,
            LiquidatorKey key,
            Address pool,
            long chainId,
            LiquidatorRpc rpc,
            AttemptStore store,
            LiquidationMetrics metrics,
            Clock clock,
            long finalityBlocks) {
        this(
                config,
                key,
                pool,
                chainId,
                rpc,
                store,
                metrics,
                clock,
                finalityBlocks,
                (reader, fees) ->
                        new FreeholdProtocol(
                                config,
                                new Preflight(
                                        config,
                                        rpc,
                                        reader,
                                        fees,
                                        key.address(),
                                        config.receiver() != null
                                                ? Address.of(config.receiver())
                                                : key.address()),
                                reader));
    }

    /**
     * As above, on the protocol {@code protocol} builds from the pool's reader and the fee
     * estimator (an Aave v3 pool: {@code io.freehold.node.aave.AaveLiquidationProtocol}).
     *
     * @param pool the contract liquidations go to (a plan without a target goes here)
     */
    public LiquidationExecutor(
            LiquidatorConfiguration config,
            LiquidatorKey key,
            Address pool,
            long chainId,
            LiquidatorRpc rpc,
            AttemptStore store,
            LiquidationMetrics metrics,
            Clock clock,
            long finalityBlocks,
            BiFunction<PoolReader, FeeEstimator, LiquidationProtocol> protocol) {
        if (finalityBlocks < 0) {
            throw new IllegalArgumentException(
                    "finality blocks must not be negative, was " + finalityBlocks);
        }
        long served = rpc.chainId();
        if (served != chainId) {
            throw new IllegalStateException(
                    "the JSON-RPC endpoints serve chain "
                            + served
                            + ", not freehold.node.chain-id "
                            + chainId
                            + "; the liquidator signs for the configured chain only");
        }
        this.config = config;
        this.rpc = rpc;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.liquidator = key.address();
        this.reader = new PoolReader(rpc, pool);
        FeeEstimator fees = new FeeEstimator(config, rpc);
        this.protocol = protocol.apply(reader, fees);
        this.signer = new TransactionSigner(key, chainId);
        this.nonces = new NonceManager(rpc.minedNonce(liquidator), inFlightNonces());
        this.fees = fees;
        this.tracker =
                new InclusionTracker(
                        config,
                        rpc,
                        store,
                        reader,
                        this.protocol,
                        fees,
                        signer,
                        nonces,
                        metrics,
                        clock,
                        finalityBlocks);
        LOG.info(
                "liquidator {} on chain {}, pool {}, seized collateral to {}; {}",
                liquidator,
                chainId,
                pool,
                this.protocol.receiver(),
                nonces);
    }

    public Address liquidator() {
        return liquidator;
    }

    /**
     * Checks each candidate and sends what passes. The same position twice in the list counts once.
     *
     * @return what was done with each distinct position, in order
     */
    public synchronized List<Decision> consider(List<LiquidationCandidate> candidates) {
        try {
            resyncNonces(rpc.minedNonce(liquidator));
        } catch (LiquidatorRpcException e) {
            LOG.warn("could not read the liquidator's nonce: {}", e.getMessage());
            return candidates.stream()
                    .map(
                            c ->
                                    new Decision(
                                            c,
                                            Decision.Kind.ERROR,
                                            OptionalLong.empty(),
                                            e.getMessage()))
                    .toList();
        }
        Map<String, LiquidationCandidate> distinct = new LinkedHashMap<>();
        for (LiquidationCandidate c : candidates) {
            distinct.merge(
                    c.position(),
                    c,
                    (a, b) -> a.unhealthySinceBlock() <= b.unhealthySinceBlock() ? a : b);
        }
        List<Decision> decisions = new ArrayList<>();
        // The chain's head for this round's cooldown checks, asked at most once and only if a
        // position refused until a chain time needs it.
        LiquidatorRpc.Head[] roundHead = {null};
        Supplier<LiquidatorRpc.Head> head =
                () -> roundHead[0] == null ? (roundHead[0] = rpc.head()) : roundHead[0];
        for (LiquidationCandidate c : distinct.values()) {
            Decision d;
            try {
                d = consider(c, head);
            } catch (LiquidatorLease.LostLease e) {
                // Another replica is the liquidator now: nothing was recorded, so nothing was sent.
                d = new Decision(c, Decision.Kind.BUSY, OptionalLong.empty(), e.getMessage());
                LOG.warn("not liquidating {}: {}", c.position(), e.getMessage());
            } catch (LiquidatorRpcException | PoolReader.ViewReverted e) {
                // The chain could not be asked, or answered nonsense: decide nothing, ask again
                // next time.
                d = new Decision(c, Decision.Kind.ERROR, OptionalLong.empty(), e.getMessage());
                LOG.warn("could not check {}: {}", c.position(), e.getMessage());
            }
            decisions.add(d);
        }
        return decisions;
    }

    /**
     * Advances every liquidation of this liquidator that is held (in flight, mined but not final,
     * reopened) by one step, then follows the chain's nonce: resyncs from its count and fills every
     * free nonce below a held one, so no transaction of the liquidator waits in the queue behind a
     * missing nonce.
     */
    public synchronized void track() {
        List<Attempt> flying = ours(store.inFlight());
        metrics.inFlight(flying.size());
        if (flying.isEmpty() && fillers.isEmpty()) {
            return;
        }
        LiquidatorRpc.Head head = rpc.head();
        long minedNonce = rpc.minedNonce(liquidator);
        for (Attempt a : flying) {
            try {
                tracker.advance(a, head, minedNonce);
            } catch (RuntimeException e) {
                // One attempt's trouble must not hold up the others; it is tried again next tick.
                LOG.warn(
                        "could not track the liquidation of {} (attempt {}): {}",
                        a.position(),
                        a.id(),
                        e.toString());
            }
        }
        resyncNonces(rpc.minedNonce(liquidator));
        fillGaps(head);
        metrics.inFlight(ours(store.inFlight()).size());
    }

    /**
     * Sends a self-transfer at every free nonce below a held one (see {@link NonceManager#gaps()}).
     */
    private void fillGaps(LiquidatorRpc.Head head) {
        for (long gap : nonces.gaps()) {
            store.requireLease();
            SentTransaction filler =
                    signer.cancel(
                            0,
                            gap,
                            fees.initial(head.baseFeePerGas()),
                            clock.instant(),
                            head.number());
            LiquidatorRpc.SendResult result = rpc.send(filler.rawTransaction());
            if (result.outcome() == LiquidatorRpc.SendOutcome.REJECTED) {
                LOG.warn(
                        "could not fill the free nonce {} below a liquidation in flight: {}",
                        gap,
                        result.detail());
                continue;
            }
            fillers.put(gap, filler.hash());
            nonces.take(gap);
            metrics.nonceFilled();
            LOG.warn(
                    "nonce {} was free below a liquidation in flight; filled with self-transfer {} so nothing"
                            + " waits behind it",
                    gap,
                    filler.hash());
        }
    }

    private Decision consider(LiquidationCandidate c, Supplier<LiquidatorRpc.Head> roundHead) {
        Instant now = clock.instant();
        Optional<Decision> held = held(c, roundHead, now);
        if (held.isPresent()) {
            return held.get();
        }
        LiquidatorRpc.Head head = rpc.head();
        PreflightResult result = protocol.check(c, head, committedFunds());
        if (!result.passed()) {
            SkipReason reason = result.skipReason().get();
            store.recordSkip(
                    c,
                    liquidator,
                    protocol.receiver(),
                    result.block(),
                    reason,
                    result.message(),
                    result.kind(),
                    now);
            metrics.skipped(reason);
            result.refusedUntil()
                    .ifPresentOrElse(
                            t -> refusedUntil.put(c.position(), t),
                            () -> refusedUntil.remove(c.position()));
            LOG.info(
                    "skipped {} of {}: {} {}",
                    result.kind(),
                    c.position(),
                    reason,
                    result.message());
            return new Decision(
                    c,
                    Decision.Kind.SKIPPED,
                    OptionalLong.empty(),
                    reason + ": " + result.message());
        }
        refusedUntil.remove(c.position());
        return send(result.plan().get(), head, now);
    }

    /**
     * What {@link #consider} would do about {@code c} without asking the chain: {@code IN_FLIGHT}
     * (an attempt holds the position) or {@code COOLING_DOWN} (refused, failed or given up less
     * than the cooldown ago); empty when it would preflight it now.
     */
    public synchronized Optional<Decision> held(LiquidationCandidate c) {
        return held(c, rpc::head, clock.instant());
    }

    private Optional<Decision> held(
            LiquidationCandidate c, Supplier<LiquidatorRpc.Head> roundHead, Instant now) {
        Optional<Attempt> latest = store.latest(c.marketId(), c.borrower());
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Attempt last = latest.get();
        if (last.status().holding()) {
            return Optional.of(
                    decision(c, Decision.Kind.IN_FLIGHT, last.id(), "attempt " + last.id()));
        }
        Long until = refusedUntil.get(c.position());
        boolean refusalOver = until != null && roundHead.get().timestamp() >= until;
        if (last.status() != AttemptStatus.MINED
                && !refusalOver
                && Duration.between(last.updatedAt(), now).compareTo(config.cooldown()) < 0) {
            return Optional.of(
                    decision(
                            c,
                            Decision.Kind.COOLING_DOWN,
                            last.id(),
                            last.status()
                                    + last.reasonCode().map(r -> " " + r).orElse("")
                                    + " at "
                                    + last.updatedAt()
                                    + ": "
                                    + last.reason().orElse("")));
        }
        return Optional.empty();
    }

    private Decision send(LiquidationPlan plan, LiquidatorRpc.Head head, Instant now) {
        LiquidationCandidate c = plan.candidate();
        long nonce = nonces.reserve();
        SentTransaction tx =
                signer.liquidation(
                        0,
                        nonce,
                        plan.fees(),
                        config.gasLimit(),
                        plan.to(reader.pool()),
                        plan.calldata(),
                        now,
                        head.number());
        long id;
        try {
            id = store.begin(plan, nonce, tx, now);
        } catch (AttemptStore.InFlightConflict e) {
            nonces.release(nonce);
            if (e.nonce()) {
                resyncNonces();
            }
            LOG.info("not sending for {}: {}", c.position(), e.getMessage());
            return new Decision(c, Decision.Kind.BUSY, OptionalLong.empty(), e.getMessage());
        } catch (RuntimeException e) {
            nonces.release(nonce);
            throw e;
        }
        metrics.sent();
        LiquidatorRpc.SendResult result = rpc.send(tx.rawTransaction());
        recordDetection(c); // after the broadcast: two block reads must not delay it
        switch (result.outcome()) {
            case REJECTED -> {
                String why = "every endpoint refused the transaction: " + result.detail();
                store.markRejected(id, tx.seq(), result.detail(), clock.instant());
                store.finish(
                        id,
                        AttemptStatus.FAILED,
                        "REJECTED",
                        why,
                        Optional.empty(),
                        clock.instant());
                nonces.release(nonce);
                if (result.detail().toLowerCase(Locale.ROOT).contains("nonce too low")) {
                    resyncNonces();
                }
                metrics.failed();
                LOG.warn("{} of {} refused: {}", plan.kind(), c.position(), result.detail());
                return decision(c, Decision.Kind.REJECTED, id, why);
            }
            case UNKNOWN ->
                    LOG.warn(
                            "{} of {} (tx {}) recorded, but no endpoint answered ({}); it is"
                                    + " broadcast again while tracked",
                            plan.kind(),
                            c.position(),
                            tx.hash(),
                            result.detail());
            default ->
                    LOG.info(
                            "sent {} of {}: tx {}, nonce {}, {}; {}",
                            plan.kind(),
                            c.position(),
                            tx.hash(),
                            nonce,
                            plan.fees(),
                            plan);
        }
        return decision(c, Decision.Kind.SENT, id, "tx " + tx.hash() + " nonce " + nonce);
    }

    /**
     * Loan token already promised to liquidations in flight, not yet paid: preflight must not count
     * it twice.
     */
    private BigInteger committedFunds() {
        BigInteger committed = BigInteger.ZERO;
        for (Attempt a : ours(store.inFlight())) {
            if (a.giveUpReason().isEmpty()) {
                committed =
                        committed.add(
                                a.expected()
                                        .map(Attempt.Expected::repaidAssets)
                                        .orElse(BigInteger.ZERO));
            }
        }
        return committed;
    }

    private void recordDetection(LiquidationCandidate c) {
        metrics.detected(
                c.detectedAtBlock() - c.unhealthySinceBlock(),
                tracker.blockTime(c.unhealthySinceBlock(), c.detectedAtBlock()));
    }

    private void resyncNonces() {
        resyncNonces(rpc.minedNonce(liquidator));
        LOG.info("nonces resynced from the chain: {}", nonces);
    }

    /**
     * The chain's count and the store are the truth: a count that fell (a reorg) lowers the floor,
     * so the lowest free nonce is the next one handed out. Fillers the chain has passed are
     * forgotten.
     */
    private void resyncNonces(long minedCount) {
        fillers.keySet().removeIf(n -> n < minedCount);
        List<Long> held = inFlightNonces();
        held.addAll(fillers.keySet());
        nonces.resync(minedCount, held);
    }

    private List<Long> inFlightNonces() {
        List<Long> list = new ArrayList<>();
        for (Attempt a : ours(store.inFlight())) {
            a.nonce().ifPresent(list::add);
        }
        return list;
    }

    private List<Attempt> ours(List<Attempt> attempts) {
        return attempts.stream().filter(a -> a.liquidator().equals(liquidator)).toList();
    }

    private static Decision decision(
            LiquidationCandidate c, Decision.Kind kind, long attemptId, String detail) {
        return new Decision(c, kind, OptionalLong.of(attemptId), detail);
    }
}
