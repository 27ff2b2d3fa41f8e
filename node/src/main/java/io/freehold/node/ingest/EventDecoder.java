package io.freehold.node.ingest;

import io.freehold.contracts.bindings.AbiEvent;
import io.freehold.contracts.bindings.AuctionEvents;
import io.freehold.contracts.bindings.PoolEvents;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.ingest.ProtocolEvent.AccrueInterest;
import io.freehold.node.ingest.ProtocolEvent.AddressFrozen;
import io.freehold.node.ingest.ProtocolEvent.AppraisalUpdated;
import io.freehold.node.ingest.ProtocolEvent.AuctionEnded;
import io.freehold.node.ingest.ProtocolEvent.AuctionMarketConfigured;
import io.freehold.node.ingest.ProtocolEvent.AuctionPenalty;
import io.freehold.node.ingest.ProtocolEvent.AuctionStarted;
import io.freehold.node.ingest.ProtocolEvent.Borrow;
import io.freehold.node.ingest.ProtocolEvent.CureFlagCleared;
import io.freehold.node.ingest.ProtocolEvent.CureFlagged;
import io.freehold.node.ingest.ProtocolEvent.FeedConfigured;
import io.freehold.node.ingest.ProtocolEvent.IdentityRemoved;
import io.freehold.node.ingest.ProtocolEvent.IdentityVerified;
import io.freehold.node.ingest.ProtocolEvent.Liquidate;
import io.freehold.node.ingest.ProtocolEvent.LiquidationTermsSet;
import io.freehold.node.ingest.ProtocolEvent.MarketCreated;
import io.freehold.node.ingest.ProtocolEvent.PauseChanged;
import io.freehold.node.ingest.ProtocolEvent.PositionRentClaimed;
import io.freehold.node.ingest.ProtocolEvent.RentDeposited;
import io.freehold.node.ingest.ProtocolEvent.RentPulled;
import io.freehold.node.ingest.ProtocolEvent.Repay;
import io.freehold.node.ingest.ProtocolEvent.Supply;
import io.freehold.node.ingest.ProtocolEvent.SupplyCollateral;
import io.freehold.node.ingest.ProtocolEvent.Withdraw;
import io.freehold.node.ingest.ProtocolEvent.WithdrawCollateral;
import io.freehold.types.Address;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Turns raw logs into {@link ProtocolEvent}s, trusting a log only from the contract that may emit
 * it: pool events from the pool, appraisals from the oracle, identities from the registry, token
 * events from a followed property token, auction events from the deployment's DutchAuction.
 * Anything else (transfers, approvals, role changes, a look-alike event from a foreign contract) is
 * not state the node keeps and decodes to nothing.
 *
 * <p>Event signatures (topic0) and layouts come from the generated contract wrappers' ABI through
 * {@link AbiEvent}, so a renamed or retyped event changes the topic and fails {@code
 * EventDecoderTest}; the values are read by {@link io.freehold.contracts.bindings.EventWords}, and
 * the pool events other parts of the project read too are decoded by {@link PoolEvents}.
 */
public final class EventDecoder {

    /** Which contract may emit an event. */
    enum Source {
        POOL,
        ORACLE,
        REGISTRY,
        TOKEN,
        AUCTION
    }

    private record Decoding(Source source, AbiEvent<ProtocolEvent> event) {}

    private static final Map<String, Decoding> BY_TOPIC = new HashMap<>();

    static {
        // Where each parameter stands is the ABI's: topic i is indexed parameter i, word i the
        // i-th other parameter, in declaration order (contracts/src/interfaces/*.sol); EventWords
        // refuses a number whose ABI type is not the one read. The pool events the liquidator and
        // the SDK read too are PoolEvents', decoded once there.
        register(
                LendingPool.MARKETCREATED_EVENT,
                Source.POOL,
                (w, log) ->
                        new MarketCreated(
                                w.topicMarketId(0),
                                new MarketTerms(
                                        w.address(0),
                                        w.address(1),
                                        w.address(2),
                                        w.uint(3),
                                        w.uint(4),
                                        w.uint(5),
                                        w.uint(6),
                                        w.uint(7),
                                        w.uint(8),
                                        w.uint(9),
                                        w.uint(10),
                                        w.uint(11),
                                        w.uint(12))));
        // AccrueInterest(id, borrowRate, interest, totalSupplyAssets, totalBorrowAssets)
        register(
                LendingPool.ACCRUEINTEREST_EVENT,
                Source.POOL,
                (w, log) -> new AccrueInterest(w.topicMarketId(0), w.uint(2), w.uint(3)));
        pool(PoolEvents.SUPPLY, f -> new Supply(f.id(), f.onBehalf(), f.assets(), f.shares()));
        pool(PoolEvents.WITHDRAW, f -> new Withdraw(f.id(), f.onBehalf(), f.assets(), f.shares()));
        register(
                Source.POOL,
                PoolEvents.SUPPLY_COLLATERAL.map(
                        (f, log) -> new SupplyCollateral(f.id(), f.onBehalf(), f.assets())));
        register(
                Source.POOL,
                PoolEvents.WITHDRAW_COLLATERAL.map(
                        (f, log) -> new WithdrawCollateral(f.id(), f.onBehalf(), f.assets())));
        pool(PoolEvents.BORROW, f -> new Borrow(f.id(), f.onBehalf(), f.assets(), f.shares()));
        pool(PoolEvents.REPAY, f -> new Repay(f.id(), f.onBehalf(), f.assets(), f.shares()));
        register(
                Source.POOL,
                PoolEvents.LIQUIDATE.map(
                        (l, log) ->
                                new Liquidate(
                                        l.id(),
                                        l.liquidator(),
                                        l.borrower(),
                                        l.receiver(),
                                        l.repaidAssets(),
                                        l.repaidShares(),
                                        l.seizedCollateral(),
                                        l.badDebtAssets(),
                                        l.badDebtShares(),
                                        transactionHash(log),
                                        logIndex(log))));
        // RentPulled(token, amount, rentIndex)
        register(
                LendingPool.RENTPULLED_EVENT,
                Source.POOL,
                (w, log) -> new RentPulled(w.topicAddress(0), w.uint(0), w.uint(1)));
        register(
                Source.POOL,
                PoolEvents.RENT_CLAIMED.map(
                        (r, log) -> new PositionRentClaimed(r.id(), r.owner(), r.amount())));
        // LiquidationTermsSet(id, auction, cureWindow, hardFloorHealth)
        register(
                LendingPool.LIQUIDATIONTERMSSET_EVENT,
                Source.POOL,
                (w, log) ->
                        new LiquidationTermsSet(
                                w.topicMarketId(0),
                                new LiquidationTerms(w.address(0), w.uintAsLong(1), w.uint(2))));
        register(
                Source.POOL,
                AuctionEvents.CURE_FLAGGED.map(
                        (f, log) ->
                                new CureFlagged(
                                        f.marketId(),
                                        f.borrower(),
                                        f.flaggedAt(),
                                        f.appraisalSeq(),
                                        f.price())));
        register(
                Source.POOL,
                AuctionEvents.CURE_FLAG_CLEARED.map(
                        (f, log) -> new CureFlagCleared(f.marketId(), f.borrower())));
        // AuctionPenalty(id, borrower, assets, shares)
        register(
                LendingPool.AUCTIONPENALTY_EVENT,
                Source.POOL,
                (w, log) ->
                        new AuctionPenalty(
                                w.topicMarketId(0), w.topicAddress(1), w.uint(0), w.uint(1)));
        // AuctionMarketConfigured(marketId, params{startPremium, floorRatio, duration, penalty,
        // keeperFlatFee, keeperFeeRate, keeperFeeCap, maxPaidRestarts})
        register(
                DutchAuction.AUCTIONMARKETCONFIGURED_EVENT,
                Source.AUCTION,
                (w, log) ->
                        new AuctionMarketConfigured(
                                w.topicMarketId(0),
                                new AuctionTerms(
                                        w.uint(0),
                                        w.uint(1),
                                        w.uintAsLong(2),
                                        w.uint(3),
                                        w.uint(4),
                                        w.uint(5),
                                        w.uint(6),
                                        Math.toIntExact(w.uintAsLong(7)))));
        register(Source.AUCTION, AuctionEvents.STARTED.map((r, log) -> auctionStarted(r)));
        register(Source.AUCTION, AuctionEvents.RESTARTED.map((r, log) -> auctionStarted(r)));
        register(
                Source.AUCTION,
                AuctionEvents.ENDED.map(
                        (e, log) ->
                                new AuctionEnded(
                                        e.auctionId(),
                                        e.marketId(),
                                        e.borrower(),
                                        e.lotLeft(),
                                        e.badDebt())));
        // AppraisalUpdated(token, price, updatedAt, source)
        register(
                AppraisalOracle.APPRAISALUPDATED_EVENT,
                Source.ORACLE,
                (w, log) -> new AppraisalUpdated(w.topicAddress(0), w.uint(0), w.uintAsLong(1)));
        // FeedConfigured(token, maxAge, maxMoveBps)
        register(
                AppraisalOracle.FEEDCONFIGURED_EVENT,
                Source.ORACLE,
                (w, log) -> new FeedConfigured(w.topicAddress(0), w.uint(0), w.uintAsLong(1)));
        // IdentityVerified(account, agent) / IdentityRemoved(account, agent)
        register(
                IdentityRegistry.IDENTITYVERIFIED_EVENT,
                Source.REGISTRY,
                (w, log) -> new IdentityVerified(w.topicAddress(0)));
        register(
                IdentityRegistry.IDENTITYREMOVED_EVENT,
                Source.REGISTRY,
                (w, log) -> new IdentityRemoved(w.topicAddress(0)));
        // AddressFrozen(account, frozen*, agent)
        register(
                PropertyToken.ADDRESSFROZEN_EVENT,
                Source.TOKEN,
                (w, log) ->
                        new AddressFrozen(
                                Address.of(log.getAddress()), w.topicAddress(0), w.bool(0)));
        // PauseChanged(paused*, agent)
        register(
                PropertyToken.PAUSECHANGED_EVENT,
                Source.TOKEN,
                (w, log) -> new PauseChanged(Address.of(log.getAddress()), w.bool(0)));
        // RentDeposited(issuer, amount, rentPerToken)
        register(
                PropertyToken.RENTDEPOSITED_EVENT,
                Source.TOKEN,
                (w, log) -> new RentDeposited(Address.of(log.getAddress()), w.uint(1)));
    }

    private final ContractAddresses contracts;

    public EventDecoder(ContractAddresses contracts) {
        this.contracts = contracts;
    }

    /**
     * topic0 of every event the node applies, per emitting contract; for {@code eth_getLogs}
     * filters.
     */
    static List<String> topics(Source source) {
        return BY_TOPIC.entrySet().stream()
                .filter(e -> e.getValue().source() == source)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /**
     * The event a log carries, if the node keeps its state and the log comes from the contract that
     * may emit it; empty otherwise.
     *
     * @param isFollowedToken whether an address is a property token the node follows
     * @throws MalformedLogException if a trusted contract's log does not decode (a wrong ABI, or an
     *     endpoint that corrupts data): the node must not skip it silently
     */
    public Optional<ProtocolEvent> decode(
            Log log, java.util.function.Predicate<Address> isFollowedToken) {
        List<String> topics = log.getTopics();
        if (topics == null || topics.isEmpty()) {
            return Optional.empty();
        }
        Decoding decoding = BY_TOPIC.get(topics.get(0).toLowerCase(Locale.ROOT));
        if (decoding == null) {
            return Optional.empty();
        }
        Address emitter = Address.of(log.getAddress());
        boolean trusted =
                switch (decoding.source()) {
                    case POOL -> emitter.equals(contracts.lendingPool());
                    case ORACLE -> emitter.equals(contracts.oracle());
                    case REGISTRY -> emitter.equals(contracts.identityRegistry());
                    case TOKEN -> isFollowedToken.test(emitter);
                    case AUCTION -> contracts.dutchAuction().map(emitter::equals).orElse(false);
                };
        if (!trusted) {
            return Optional.empty();
        }
        try {
            return Optional.of(decoding.event().decode(log));
        } catch (RuntimeException e) {
            throw new MalformedLogException(log, e);
        }
    }

    private static String transactionHash(Log log) {
        String hash = log.getTransactionHash();
        if (hash == null || hash.length() != 66) {
            throw new IllegalArgumentException("log without a transaction hash");
        }
        return hash.toLowerCase(Locale.ROOT);
    }

    private static long logIndex(Log log) {
        if (log.getLogIndexRaw() == null) {
            throw new IllegalArgumentException("log without a log index");
        }
        return log.getLogIndex().longValueExact();
    }

    /** A pool event decoded by {@link PoolEvents}, as the ingestion's event. */
    private static void pool(
            AbiEvent<PoolEvents.AssetFlow> event,
            Function<PoolEvents.AssetFlow, ProtocolEvent> toProtocol) {
        register(Source.POOL, event.map((flow, log) -> toProtocol.apply(flow)));
    }

    private static void register(
            Event event, Source source, AbiEvent.Decoding<ProtocolEvent> decode) {
        register(source, AbiEvent.of(event, decode));
    }

    private static void register(Source source, AbiEvent<ProtocolEvent> event) {
        BY_TOPIC.put(event.topic(), new Decoding(source, event));
    }

    /** A start or a restart ({@code restarts} > 0): the same new round of the auction. */
    private static AuctionStarted auctionStarted(AuctionEvents.Round r) {
        return new AuctionStarted(
                r.auctionId(),
                r.marketId(),
                r.borrower(),
                r.keeper(),
                r.lot(),
                r.tab(),
                r.startPrice(),
                r.floorPrice(),
                r.startedAt(),
                r.endsAt(),
                r.keeperReward(),
                r.restarts());
    }
}
