package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.bindings.AuctionStructs;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
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
import io.freehold.types.MarketId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The fast decoder against web3j's ABI decoder (through the generated wrappers) on every log that
 * random protocol activity leaves on a real anvil: every event type the node applies, value for
 * value. And the decoder's trust rules: a log from a contract that may not emit it decodes to
 * nothing; a trusted log of the wrong shape is an error, not a guess.
 */
class EventDecoderTest {

    @TempDir static Path dir;

    private static Anvil anvil;
    private static ProtocolActivity activity;
    private static ContractAddresses contracts;
    private static List<Log> logs;

    @BeforeAll
    static void makeActivity() throws Exception {
        anvil = Anvil.builder().accounts(10).start();
        activity = ProtocolActivity.deployWithAuctions(anvil, 99);
        activity.run(150);
        activity.leverUpAuctionMarket();
        activity.moveAuctionMarketPrice(60); // flags, auctions, takes and ends too
        activity.keepersAct();
        activity.run(150);
        Path file = dir.resolve("deployment.json");
        activity.deployment.write(file);
        contracts =
                ContractAddresses.resolve(NodeConfiguration.of(anvil.chainId(), file.toString()));
        EthFilter all =
                new EthFilter(
                        DefaultBlockParameterName.EARLIEST,
                        DefaultBlockParameterName.LATEST,
                        List.<String>of());
        logs = new ArrayList<>();
        for (EthLog.LogResult<?> r : anvil.web3j().ethGetLogs(all).send().getLogs()) {
            logs.add((Log) r.get());
        }
    }

    @AfterAll
    static void stop() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void decodesEveryEventExactlyAsWeb3jDoes() {
        EventDecoder decoder = new EventDecoder(contracts);
        Map<Class<?>, Integer> seen = new HashMap<>();
        for (Log log : logs) {
            Optional<ProtocolEvent> fast =
                    decoder.decode(log, contracts.propertyTokens()::contains);
            Optional<ProtocolEvent> reference = reference(log);
            assertThat(fast)
                    .as("log %s of block %s", log.getLogIndex(), log.getBlockNumber())
                    .isEqualTo(reference);
            fast.ifPresent(e -> seen.merge(e.getClass(), 1, Integer::sum));
        }
        assertThat(seen.keySet())
                .as(activity.summary())
                .contains(
                        MarketCreated.class,
                        AccrueInterest.class,
                        Supply.class,
                        Withdraw.class,
                        SupplyCollateral.class,
                        WithdrawCollateral.class,
                        Borrow.class,
                        Repay.class,
                        Liquidate.class,
                        RentPulled.class,
                        PositionRentClaimed.class,
                        AppraisalUpdated.class,
                        FeedConfigured.class,
                        IdentityVerified.class,
                        IdentityRemoved.class,
                        AddressFrozen.class,
                        RentDeposited.class,
                        PauseChanged.class,
                        LiquidationTermsSet.class,
                        AuctionMarketConfigured.class,
                        CureFlagged.class,
                        AuctionPenalty.class,
                        AuctionStarted.class,
                        CureFlagCleared.class,
                        AuctionEnded.class);
    }

    @Test
    void ignoresAnEventFromAContractThatMayNotEmitIt() {
        Log supply = first(LendingPool.SUPPLY_EVENT);
        supply.setAddress(activity.deployment.stablecoin()); // same topic and data, another emitter
        assertThat(new EventDecoder(contracts).decode(supply, t -> true)).isEmpty();

        Log started = first(DutchAuction.AUCTIONSTARTED_EVENT);
        started.setAddress(activity.deployment.lendingPool()); // an auction event from the pool
        assertThat(new EventDecoder(contracts).decode(started, t -> true)).isEmpty();

        Log frozen = first(PropertyToken.ADDRESSFROZEN_EVENT);
        assertThat(new EventDecoder(contracts).decode(frozen, t -> false))
                .isEmpty(); // not a followed token
    }

    @Test
    void rejectsATrustedLogOfTheWrongShape() {
        EventDecoder decoder = new EventDecoder(contracts);
        Log shortData = first(LendingPool.SUPPLY_EVENT);
        shortData.setData(shortData.getData().substring(0, shortData.getData().length() - 64));
        assertThatThrownBy(() -> decoder.decode(shortData, t -> true))
                .isInstanceOf(MalformedLogException.class)
                .hasMessageContaining("data words");

        Log missingTopic = first(LendingPool.SUPPLY_EVENT);
        missingTopic.setTopics(missingTopic.getTopics().subList(0, 3));
        assertThatThrownBy(() -> decoder.decode(missingTopic, t -> true))
                .isInstanceOf(MalformedLogException.class)
                .hasMessageContaining("topics");

        Log dirtyAddress = first(LendingPool.SUPPLY_EVENT);
        List<String> topics = new ArrayList<>(dirtyAddress.getTopics());
        topics.set(3, "0xff" + topics.get(3).substring(4));
        dirtyAddress.setTopics(topics);
        assertThatThrownBy(() -> decoder.decode(dirtyAddress, t -> true))
                .isInstanceOf(MalformedLogException.class)
                .hasMessageContaining("not an address");

        Log badBool = first(PropertyToken.PAUSECHANGED_EVENT);
        badBool.setData("0x" + "0".repeat(63) + "2");
        assertThatThrownBy(() -> decoder.decode(badBool, t -> true))
                .isInstanceOf(MalformedLogException.class)
                .hasMessageContaining("not a bool");
    }

    private static Log first(org.web3j.abi.datatypes.Event event) {
        String topic = EventEncoder.encode(event);
        Log found =
                logs.stream()
                        .filter(l -> !l.getTopics().isEmpty() && l.getTopics().get(0).equals(topic))
                        .findFirst()
                        .orElseThrow();
        Log copy = new Log();
        copy.setAddress(found.getAddress());
        copy.setTopics(new ArrayList<>(found.getTopics()));
        copy.setData(found.getData());
        copy.setBlockNumber(found.getBlockNumberRaw());
        copy.setLogIndex(found.getLogIndexRaw());
        copy.setTransactionHash(found.getTransactionHash());
        return copy;
    }

    /** The same logs through web3j's reflective ABI decoder, with the emitter rules of the node. */
    private static Optional<ProtocolEvent> reference(Log log) {
        if (log.getTopics().isEmpty()) {
            return Optional.empty();
        }
        String topic = log.getTopics().get(0);
        Address emitter = Address.of(log.getAddress());
        boolean pool = emitter.equals(contracts.lendingPool());
        boolean oracle = emitter.equals(contracts.oracle());
        boolean registry = emitter.equals(contracts.identityRegistry());
        boolean token = contracts.propertyTokens().contains(emitter);
        boolean auction = contracts.dutchAuction().map(emitter::equals).orElse(false);
        if (pool && topic.equals(EventEncoder.encode(LendingPool.MARKETCREATED_EVENT))) {
            var e = LendingPool.getMarketCreatedEventFromLog(log);
            var p = e.params;
            return Optional.of(
                    new MarketCreated(
                            id(e.id),
                            new MarketTerms(
                                    Address.of(p.collateralToken),
                                    Address.of(p.loanToken),
                                    Address.of(p.oracle),
                                    p.lltv,
                                    p.maxLtv,
                                    p.liquidationIncentive,
                                    p.baseRatePerYear,
                                    p.slope1PerYear,
                                    p.slope2PerYear,
                                    p.kinkUtilization,
                                    p.supplyCap,
                                    p.borrowCap,
                                    p.minLeftoverDebt)));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.ACCRUEINTEREST_EVENT))) {
            var e = LendingPool.getAccrueInterestEventFromLog(log);
            return Optional.of(
                    new AccrueInterest(id(e.id), e.totalSupplyAssets, e.totalBorrowAssets));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.SUPPLY_EVENT))) {
            var e = LendingPool.getSupplyEventFromLog(log);
            return Optional.of(new Supply(id(e.id), Address.of(e.onBehalf), e.assets, e.shares));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.WITHDRAW_EVENT))) {
            var e = LendingPool.getWithdrawEventFromLog(log);
            return Optional.of(new Withdraw(id(e.id), Address.of(e.onBehalf), e.assets, e.shares));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.SUPPLYCOLLATERAL_EVENT))) {
            var e = LendingPool.getSupplyCollateralEventFromLog(log);
            return Optional.of(new SupplyCollateral(id(e.id), Address.of(e.onBehalf), e.assets));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.WITHDRAWCOLLATERAL_EVENT))) {
            var e = LendingPool.getWithdrawCollateralEventFromLog(log);
            return Optional.of(new WithdrawCollateral(id(e.id), Address.of(e.onBehalf), e.assets));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.BORROW_EVENT))) {
            var e = LendingPool.getBorrowEventFromLog(log);
            return Optional.of(new Borrow(id(e.id), Address.of(e.onBehalf), e.assets, e.shares));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.REPAY_EVENT))) {
            var e = LendingPool.getRepayEventFromLog(log);
            return Optional.of(new Repay(id(e.id), Address.of(e.onBehalf), e.assets, e.shares));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.LIQUIDATE_EVENT))) {
            var e = LendingPool.getLiquidateEventFromLog(log);
            return Optional.of(
                    new Liquidate(
                            id(e.id),
                            Address.of(e.liquidator),
                            Address.of(e.borrower),
                            Address.of(e.receiver),
                            e.repaidAssets,
                            e.repaidShares,
                            e.seizedCollateral,
                            e.badDebtAssets,
                            e.badDebtShares,
                            log.getTransactionHash().toLowerCase(java.util.Locale.ROOT),
                            log.getLogIndex().longValueExact()));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.RENTPULLED_EVENT))) {
            var e = LendingPool.getRentPulledEventFromLog(log);
            return Optional.of(new RentPulled(Address.of(e.token), e.amount, e.rentIndex));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.RENTCLAIMED_EVENT))) {
            var e = LendingPool.getRentClaimedEventFromLog(log);
            return Optional.of(new PositionRentClaimed(id(e.id), Address.of(e.owner), e.amount));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.LIQUIDATIONTERMSSET_EVENT))) {
            var e = LendingPool.getLiquidationTermsSetEventFromLog(log);
            return Optional.of(
                    new LiquidationTermsSet(
                            id(e.id),
                            new LiquidationTerms(
                                    Address.of(e.auction),
                                    e.cureWindow.longValueExact(),
                                    e.hardFloorHealth)));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.CUREFLAGGED_EVENT))) {
            var e = LendingPool.getCureFlaggedEventFromLog(log);
            return Optional.of(
                    new CureFlagged(
                            id(e.id),
                            Address.of(e.borrower),
                            e.flaggedAt.longValueExact(),
                            e.appraisalSeq,
                            e.price));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.CUREFLAGCLEARED_EVENT))) {
            var e = LendingPool.getCureFlagClearedEventFromLog(log);
            return Optional.of(new CureFlagCleared(id(e.id), Address.of(e.borrower)));
        }
        if (pool && topic.equals(EventEncoder.encode(LendingPool.AUCTIONPENALTY_EVENT))) {
            var e = LendingPool.getAuctionPenaltyEventFromLog(log);
            return Optional.of(
                    new AuctionPenalty(id(e.id), Address.of(e.borrower), e.assets, e.shares));
        }
        if (auction
                && topic.equals(EventEncoder.encode(DutchAuction.AUCTIONMARKETCONFIGURED_EVENT))) {
            var e = DutchAuction.getAuctionMarketConfiguredEventFromLog(log);
            return Optional.of(
                    new AuctionMarketConfigured(
                            id(e.marketId), AuctionStructs.auctionTerms(e.params)));
        }
        if (auction && topic.equals(EventEncoder.encode(DutchAuction.AUCTIONSTARTED_EVENT))) {
            var e = DutchAuction.getAuctionStartedEventFromLog(log);
            return Optional.of(
                    new AuctionStarted(
                            e.auctionId.longValueExact(),
                            id(e.marketId),
                            Address.of(e.borrower),
                            Address.of(e.keeper),
                            e.lot,
                            e.tab,
                            e.startPrice,
                            e.floorPrice,
                            e.startedAt.longValueExact(),
                            e.endsAt.longValueExact(),
                            e.keeperReward,
                            0));
        }
        if (auction && topic.equals(EventEncoder.encode(DutchAuction.AUCTIONRESTARTED_EVENT))) {
            var e = DutchAuction.getAuctionRestartedEventFromLog(log);
            return Optional.of(
                    new AuctionStarted(
                            e.auctionId.longValueExact(),
                            id(e.marketId),
                            Address.of(e.borrower),
                            Address.of(e.keeper),
                            e.lot,
                            e.tab,
                            e.startPrice,
                            e.floorPrice,
                            e.startedAt.longValueExact(),
                            e.endsAt.longValueExact(),
                            e.keeperReward,
                            e.restarts.intValueExact()));
        }
        if (auction && topic.equals(EventEncoder.encode(DutchAuction.AUCTIONENDED_EVENT))) {
            var e = DutchAuction.getAuctionEndedEventFromLog(log);
            return Optional.of(
                    new AuctionEnded(
                            e.auctionId.longValueExact(),
                            id(e.marketId),
                            Address.of(e.borrower),
                            e.lotLeft,
                            e.badDebt));
        }
        if (oracle && topic.equals(EventEncoder.encode(AppraisalOracle.APPRAISALUPDATED_EVENT))) {
            var e = AppraisalOracle.getAppraisalUpdatedEventFromLog(log);
            return Optional.of(
                    new AppraisalUpdated(
                            Address.of(e.token), e.price, e.updatedAt.longValueExact()));
        }
        if (oracle && topic.equals(EventEncoder.encode(AppraisalOracle.FEEDCONFIGURED_EVENT))) {
            var e = AppraisalOracle.getFeedConfiguredEventFromLog(log);
            return Optional.of(
                    new FeedConfigured(
                            Address.of(e.token), e.maxAge, e.maxMoveBps.longValueExact()));
        }
        if (registry
                && topic.equals(EventEncoder.encode(IdentityRegistry.IDENTITYVERIFIED_EVENT))) {
            return Optional.of(
                    new IdentityVerified(
                            Address.of(
                                    IdentityRegistry.getIdentityVerifiedEventFromLog(log)
                                            .account)));
        }
        if (registry && topic.equals(EventEncoder.encode(IdentityRegistry.IDENTITYREMOVED_EVENT))) {
            return Optional.of(
                    new IdentityRemoved(
                            Address.of(
                                    IdentityRegistry.getIdentityRemovedEventFromLog(log).account)));
        }
        if (token && topic.equals(EventEncoder.encode(PropertyToken.ADDRESSFROZEN_EVENT))) {
            var e = PropertyToken.getAddressFrozenEventFromLog(log);
            return Optional.of(new AddressFrozen(emitter, Address.of(e.account), e.frozen));
        }
        if (token && topic.equals(EventEncoder.encode(PropertyToken.PAUSECHANGED_EVENT))) {
            return Optional.of(
                    new PauseChanged(
                            emitter, PropertyToken.getPauseChangedEventFromLog(log).paused));
        }
        if (token && topic.equals(EventEncoder.encode(PropertyToken.RENTDEPOSITED_EVENT))) {
            return Optional.of(
                    new RentDeposited(
                            emitter, PropertyToken.getRentDepositedEventFromLog(log).rentPerToken));
        }
        return Optional.empty();
    }

    private static MarketId id(byte[] id) {
        return MarketId.of(Numeric.toHexString(id));
    }
}
