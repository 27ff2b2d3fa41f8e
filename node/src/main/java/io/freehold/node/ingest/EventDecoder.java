package io.freehold.node.ingest;

import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
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
import io.freehold.node.state.Address;
import io.freehold.node.state.MarketId;
import io.freehold.node.state.MarketParams;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Turns raw logs into {@link ProtocolEvent}s, trusting a log only from the contract that may emit it:
 * pool events from the pool, appraisals from the oracle, identities from the registry, token events
 * from a followed property token. Anything else (transfers, approvals, role changes, a look-alike
 * event from a foreign contract) is not state the node keeps and decodes to nothing.
 *
 * <p>Decoding uses the ABI of the generated contract wrappers, so a changed event signature breaks
 * the build, not the node at run time.
 */
public final class EventDecoder {

    /** Which contract may emit an event. */
    enum Source { POOL, ORACLE, REGISTRY, TOKEN }

    private record Decoding(Source source, Function<Log, ProtocolEvent> decode) {}

    private static final Map<String, Decoding> BY_TOPIC = new HashMap<>();

    static {
        pool(LendingPool.MARKETCREATED_EVENT, log -> {
            var e = LendingPool.getMarketCreatedEventFromLog(log);
            return new MarketCreated(marketId(e.id), params(e.params));
        });
        pool(LendingPool.ACCRUEINTEREST_EVENT, log -> {
            var e = LendingPool.getAccrueInterestEventFromLog(log);
            return new AccrueInterest(marketId(e.id), e.totalSupplyAssets, e.totalBorrowAssets);
        });
        pool(LendingPool.SUPPLY_EVENT, log -> {
            var e = LendingPool.getSupplyEventFromLog(log);
            return new Supply(marketId(e.id), Address.of(e.onBehalf), e.assets, e.shares);
        });
        pool(LendingPool.WITHDRAW_EVENT, log -> {
            var e = LendingPool.getWithdrawEventFromLog(log);
            return new Withdraw(marketId(e.id), Address.of(e.onBehalf), e.assets, e.shares);
        });
        pool(LendingPool.SUPPLYCOLLATERAL_EVENT, log -> {
            var e = LendingPool.getSupplyCollateralEventFromLog(log);
            return new SupplyCollateral(marketId(e.id), Address.of(e.onBehalf), e.assets);
        });
        pool(LendingPool.WITHDRAWCOLLATERAL_EVENT, log -> {
            var e = LendingPool.getWithdrawCollateralEventFromLog(log);
            return new WithdrawCollateral(marketId(e.id), Address.of(e.onBehalf), e.assets);
        });
        pool(LendingPool.BORROW_EVENT, log -> {
            var e = LendingPool.getBorrowEventFromLog(log);
            return new Borrow(marketId(e.id), Address.of(e.onBehalf), e.assets, e.shares);
        });
        pool(LendingPool.REPAY_EVENT, log -> {
            var e = LendingPool.getRepayEventFromLog(log);
            return new Repay(marketId(e.id), Address.of(e.onBehalf), e.assets, e.shares);
        });
        pool(LendingPool.LIQUIDATE_EVENT, log -> {
            var e = LendingPool.getLiquidateEventFromLog(log);
            return new Liquidate(marketId(e.id), Address.of(e.liquidator), Address.of(e.borrower), e.repaidAssets,
                    e.repaidShares, e.seizedCollateral, e.badDebtAssets, e.badDebtShares);
        });
        pool(LendingPool.RENTPULLED_EVENT, log -> {
            var e = LendingPool.getRentPulledEventFromLog(log);
            return new RentPulled(Address.of(e.token), e.amount, e.rentIndex);
        });
        pool(LendingPool.RENTCLAIMED_EVENT, log -> {
            var e = LendingPool.getRentClaimedEventFromLog(log);
            return new PositionRentClaimed(marketId(e.id), Address.of(e.owner), e.amount);
        });
        register(AppraisalOracle.APPRAISALUPDATED_EVENT, Source.ORACLE, log -> {
            var e = AppraisalOracle.getAppraisalUpdatedEventFromLog(log);
            return new AppraisalUpdated(Address.of(e.token), e.price, e.updatedAt.longValueExact());
        });
        register(AppraisalOracle.FEEDCONFIGURED_EVENT, Source.ORACLE, log -> {
            var e = AppraisalOracle.getFeedConfiguredEventFromLog(log);
            return new FeedConfigured(Address.of(e.token), e.maxAge, e.maxMoveBps.longValueExact());
        });
        register(IdentityRegistry.IDENTITYVERIFIED_EVENT, Source.REGISTRY, log ->
                new IdentityVerified(Address.of(IdentityRegistry.getIdentityVerifiedEventFromLog(log).account)));
        register(IdentityRegistry.IDENTITYREMOVED_EVENT, Source.REGISTRY, log ->
                new IdentityRemoved(Address.of(IdentityRegistry.getIdentityRemovedEventFromLog(log).account)));
        register(PropertyToken.ADDRESSFROZEN_EVENT, Source.TOKEN, log -> {
            var e = PropertyToken.getAddressFrozenEventFromLog(log);
            return new AddressFrozen(Address.of(log.getAddress()), Address.of(e.account), e.frozen);
        });
        register(PropertyToken.PAUSECHANGED_EVENT, Source.TOKEN, log ->
                new PauseChanged(Address.of(log.getAddress()), PropertyToken.getPauseChangedEventFromLog(log).paused));
        register(PropertyToken.RENTDEPOSITED_EVENT, Source.TOKEN, log ->
                new RentDeposited(Address.of(log.getAddress()),
                        PropertyToken.getRentDepositedEventFromLog(log).rentPerToken));
    }

    private final ContractAddresses contracts;

    public EventDecoder(ContractAddresses contracts) {
        this.contracts = contracts;
    }

    /** topic0 of every event the node applies, per emitting contract; for {@code eth_getLogs} filters. */
    static List<String> topics(Source source) {
        return BY_TOPIC.entrySet().stream().filter(e -> e.getValue().source() == source).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /**
     * The event a log carries, if the node keeps its state and the log comes from the contract that
     * may emit it; empty otherwise.
     *
     * @param isFollowedToken whether an address is a property token the node follows
     * @throws MalformedLogException if a trusted contract's log does not decode (a wrong ABI, or an
     *     endpoint that corrupts data): the node must not skip it silently
     */
    public Optional<ProtocolEvent> decode(Log log, java.util.function.Predicate<Address> isFollowedToken) {
        List<String> topics = log.getTopics();
        if (topics == null || topics.isEmpty()) {
            return Optional.empty();
        }
        Decoding decoding = BY_TOPIC.get(topics.get(0).toLowerCase(Locale.ROOT));
        if (decoding == null) {
            return Optional.empty();
        }
        Address emitter = Address.of(log.getAddress());
        boolean trusted = switch (decoding.source()) {
            case POOL -> emitter.equals(contracts.lendingPool());
            case ORACLE -> emitter.equals(contracts.oracle());
            case REGISTRY -> emitter.equals(contracts.identityRegistry());
            case TOKEN -> isFollowedToken.test(emitter);
        };
        if (!trusted) {
            return Optional.empty();
        }
        try {
            return Optional.of(decoding.decode().apply(log));
        } catch (RuntimeException e) {
            throw new MalformedLogException(log, e);
        }
    }

    private static void pool(Event event, Function<Log, ProtocolEvent> decode) {
        register(event, Source.POOL, decode);
    }

    private static void register(Event event, Source source, Function<Log, ProtocolEvent> decode) {
        BY_TOPIC.put(EventEncoder.encode(event).toLowerCase(Locale.ROOT), new Decoding(source, decode));
    }

    private static MarketId marketId(byte[] id) {
        return MarketId.of(Numeric.toHexString(id));
    }

    private static MarketParams params(LendingPool.MarketParams p) {
        return new MarketParams(Address.of(p.collateralToken), Address.of(p.loanToken), Address.of(p.oracle), p.lltv,
                p.maxLtv, p.liquidationIncentive, p.baseRatePerYear, p.slope1PerYear, p.slope2PerYear,
                p.kinkUtilization, p.supplyCap, p.borrowCap, p.minLeftoverDebt);
    }
}
