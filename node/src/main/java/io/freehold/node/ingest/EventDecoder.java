package io.freehold.node.ingest;

import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.ingest.ProtocolEvent.AccrueInterest;
import io.freehold.node.ingest.ProtocolEvent.AddressFrozen;
import io.freehold.node.ingest.ProtocolEvent.AppraisalUpdated;
import io.freehold.node.ingest.ProtocolEvent.Borrow;
import io.freehold.node.ingest.ProtocolEvent.FeedConfigured;
import io.freehold.node.ingest.ProtocolEvent.IdentityRemoved;
import io.freehold.node.ingest.ProtocolEvent.IdentityVerified;
import io.freehold.node.ingest.ProtocolEvent.Liquidate;
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
import java.util.function.BiFunction;
import java.util.function.Function;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Turns raw logs into {@link ProtocolEvent}s, trusting a log only from the contract that may emit
 * it: pool events from the pool, appraisals from the oracle, identities from the registry, token
 * events from a followed property token. Anything else (transfers, approvals, role changes, a
 * look-alike event from a foreign contract) is not state the node keeps and decodes to nothing.
 *
 * <p>Event signatures (topic0) come from the generated contract wrappers, so a renamed or retyped
 * event changes the topic and fails {@code EventDecoderTest}; the values are read by {@link
 * LogWords}, whose layouts are checked against the wrappers' ABI when this class loads.
 */
public final class EventDecoder {

    /** Which contract may emit an event. */
    enum Source {
        POOL,
        ORACLE,
        REGISTRY,
        TOKEN
    }

    private record Decoding(
            Source source,
            int indexed,
            int words,
            BiFunction<LogWords, Log, ProtocolEvent> decode) {}

    private static final Map<String, Decoding> BY_TOPIC = new HashMap<>();

    static {
        // Layouts: indexed parameters are topics 1..3 in declaration order; the others are data
        // words in
        // declaration order (contracts/src/interfaces/*.sol).
        pool(
                LendingPool.MARKETCREATED_EVENT,
                1,
                13,
                w ->
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
        pool(
                LendingPool.ACCRUEINTEREST_EVENT,
                1,
                4,
                w -> new AccrueInterest(w.topicMarketId(0), w.uint(2), w.uint(3)));
        // Supply(id, caller, onBehalf, assets, shares)
        pool(
                LendingPool.SUPPLY_EVENT,
                3,
                2,
                w -> new Supply(w.topicMarketId(0), w.topicAddress(2), w.uint(0), w.uint(1)));
        // Withdraw(id, caller*, onBehalf, receiver, assets, shares) — *caller not indexed
        pool(
                LendingPool.WITHDRAW_EVENT,
                3,
                3,
                w -> new Withdraw(w.topicMarketId(0), w.topicAddress(1), w.uint(1), w.uint(2)));
        // SupplyCollateral(id, caller, onBehalf, assets)
        pool(
                LendingPool.SUPPLYCOLLATERAL_EVENT,
                3,
                1,
                w -> new SupplyCollateral(w.topicMarketId(0), w.topicAddress(2), w.uint(0)));
        // WithdrawCollateral(id, caller*, onBehalf, receiver, assets)
        pool(
                LendingPool.WITHDRAWCOLLATERAL_EVENT,
                3,
                2,
                w -> new WithdrawCollateral(w.topicMarketId(0), w.topicAddress(1), w.uint(1)));
        // Borrow(id, caller*, onBehalf, receiver, assets, shares)
        pool(
                LendingPool.BORROW_EVENT,
                3,
                3,
                w -> new Borrow(w.topicMarketId(0), w.topicAddress(1), w.uint(1), w.uint(2)));
        // Repay(id, caller, onBehalf, assets, shares)
        pool(
                LendingPool.REPAY_EVENT,
                3,
                2,
                w -> new Repay(w.topicMarketId(0), w.topicAddress(2), w.uint(0), w.uint(1)));
        // Liquidate(id, liquidator, borrower, receiver*, repaidAssets, repaidShares, seized,
        // badDebtAssets, badDebtShares)
        register(
                LendingPool.LIQUIDATE_EVENT,
                Source.POOL,
                3,
                6,
                (w, log) ->
                        new Liquidate(
                                w.topicMarketId(0),
                                w.topicAddress(1),
                                w.topicAddress(2),
                                w.address(0),
                                w.uint(1),
                                w.uint(2),
                                w.uint(3),
                                w.uint(4),
                                w.uint(5),
                                transactionHash(log),
                                logIndex(log)));
        // RentPulled(token, amount, rentIndex)
        pool(
                LendingPool.RENTPULLED_EVENT,
                1,
                2,
                w -> new RentPulled(w.topicAddress(0), w.uint(0), w.uint(1)));
        // RentClaimed(id, owner, receiver, amount)
        pool(
                LendingPool.RENTCLAIMED_EVENT,
                3,
                1,
                w -> new PositionRentClaimed(w.topicMarketId(0), w.topicAddress(1), w.uint(0)));
        // AppraisalUpdated(token, price, updatedAt, source)
        register(
                AppraisalOracle.APPRAISALUPDATED_EVENT,
                Source.ORACLE,
                2,
                2,
                (w, log) -> new AppraisalUpdated(w.topicAddress(0), w.uint(0), w.uintAsLong(1)));
        // FeedConfigured(token, maxAge, maxMoveBps)
        register(
                AppraisalOracle.FEEDCONFIGURED_EVENT,
                Source.ORACLE,
                1,
                2,
                (w, log) -> new FeedConfigured(w.topicAddress(0), w.uint(0), w.uintAsLong(1)));
        // IdentityVerified(account, agent) / IdentityRemoved(account, agent)
        register(
                IdentityRegistry.IDENTITYVERIFIED_EVENT,
                Source.REGISTRY,
                2,
                0,
                (w, log) -> new IdentityVerified(w.topicAddress(0)));
        register(
                IdentityRegistry.IDENTITYREMOVED_EVENT,
                Source.REGISTRY,
                2,
                0,
                (w, log) -> new IdentityRemoved(w.topicAddress(0)));
        // AddressFrozen(account, frozen*, agent)
        register(
                PropertyToken.ADDRESSFROZEN_EVENT,
                Source.TOKEN,
                2,
                1,
                (w, log) ->
                        new AddressFrozen(
                                Address.of(log.getAddress()), w.topicAddress(0), w.bool(0)));
        // PauseChanged(paused*, agent)
        register(
                PropertyToken.PAUSECHANGED_EVENT,
                Source.TOKEN,
                1,
                1,
                (w, log) -> new PauseChanged(Address.of(log.getAddress()), w.bool(0)));
        // RentDeposited(issuer, amount, rentPerToken)
        register(
                PropertyToken.RENTDEPOSITED_EVENT,
                Source.TOKEN,
                1,
                2,
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
                };
        if (!trusted) {
            return Optional.empty();
        }
        try {
            LogWords words =
                    new LogWords(topics, log.getData(), decoding.indexed(), decoding.words());
            return Optional.of(decoding.decode().apply(words, log));
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

    private static void pool(
            Event event, int indexed, int words, Function<LogWords, ProtocolEvent> decode) {
        register(event, Source.POOL, indexed, words, (w, log) -> decode.apply(w));
    }

    private static void register(
            Event event,
            Source source,
            int indexed,
            int words,
            BiFunction<LogWords, Log, ProtocolEvent> decode) {
        if (event.getIndexedParameters().size() != indexed
                || event.getNonIndexedParameters().size() > words) {
            // the ABI of the generated wrapper and this layout disagree: fail at class load, not on
            // a log
            throw new IllegalStateException(
                    event.getName() + " layout does not match the contract ABI");
        }
        BY_TOPIC.put(
                EventEncoder.encode(event).toLowerCase(Locale.ROOT),
                new Decoding(source, indexed, words, decode));
    }
}
