package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.AuctionStructs;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.Auctions;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptKind;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.freehold.proto.v1.TakeChange;
import io.freehold.proto.v1.TakeQuote;
import io.freehold.sdk.AuctionEvent;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.LiquidationAttempt;
import io.freehold.sdk.LiquidationQuery;
import io.freehold.sdk.Subscription;
import io.freehold.sdk.WatchObserver;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The node's keeper on the auction market (a one-day cure window, hard floor 0.9), nothing offered
 * by hand: the appraisal falls to health 0.95, the node flags the position, and once the window is
 * over it starts the auction with itself as keeper, exactly once (across a restart of the node and
 * across a reorg that orphans its start), paid the keeper reward; with a take discount it takes the
 * lot when the price falls to it, paying what the node's own simulation said.
 */
class NodeKeepsAuctionsTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final BigInteger HEALTH_IN_WINDOW = new BigInteger("950000000000000000");
    private static LiquidationChain chain;

    @TempDir Path dir;

    private ApplicationContext context;
    private ManagedChannel channel;

    @BeforeAll
    static void startChain() throws Exception {
        chain = LiquidationChain.startWithAuctionMarket();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        stopNode();
        chain.automine(true);
    }

    @Test
    void flagsThenStartsTheAuctionOncePaidTheKeeperReward() throws Exception {
        chain.reset();
        long nonceBefore = chain.minedNonce(chain.liquidator);
        startNode(Map.of());
        AttemptStore store = context.getBean(AttemptStore.class);

        openWindowAfterFlag(store);
        Attempt start = awaitMining(() -> mined(store, AttemptKind.START_AUCTION));

        // The keeper reward, to the wei: what the liquidator's balance rose by in the start's
        // block is the reward the AuctionStarted event says, the auction's rule on the debt.
        long block = start.outcome().orElseThrow().includedBlock();
        TransactionReceipt receipt = receipt(start.outcome().orElseThrow().txHash());
        DutchAuction.AuctionStartedEventResponse started =
                DutchAuction.getAuctionStartedEvents(receipt).get(0);
        assertThat(started.keeper).isEqualToIgnoringCase(chain.liquidator.getAddress());
        BigInteger paid = usdOfLiquidatorAt(block).subtract(usdOfLiquidatorAt(block - 1));
        assertThat(paid).isPositive().isEqualTo(started.keeperReward);
        AuctionTerms terms =
                AuctionStructs.auctionTerms(
                        chain.auction(chain.admin)
                                .auctionParams(bytes(auctionMarket().hex()))
                                .send());
        // The event's tab is the debt after the reward was lent to the position (shares rounded
        // up): the reward was computed on the debt before it, within a wei.
        BigInteger before = started.tab.subtract(started.keeperReward);
        assertThat(started.keeperReward)
                .isIn(
                        Auctions.keeperReward(terms, before.subtract(BigInteger.ONE)),
                        Auctions.keeperReward(terms, before),
                        Auctions.keeperReward(terms, before.add(BigInteger.ONE)));
        assertThat(start.reason().orElseThrow()).contains("keeper reward " + started.keeperReward);

        // The API shows the position in auction.
        Position p = awaitPosition(block);
        assertThat(p.getInAuction()).isTrue();
        assertThat(p.getAuction().getAuctionId()).isEqualTo(started.auctionId.longValueExact());

        // The SDK says what each of the node's attempts sent.
        try (FreeholdClient client =
                FreeholdClient.create(
                        FreeholdSettings.builder()
                                .target(
                                        "127.0.0.1:"
                                                + context.getBean(GrpcEmbeddedServer.class)
                                                        .getPort())
                                .tls(false)
                                .build())) {
            assertThat(
                            client.liquidations()
                                    .attempts(LiquidationQuery.all())
                                    .filter(a -> a.marketId().equals(auctionMarket()))
                                    .filter(a -> a.status() == LiquidationAttempt.Status.MINED)
                                    .map(LiquidationAttempt::kind)
                                    .toList())
                    .containsExactlyInAnyOrder(
                            LiquidationAttempt.Kind.FLAG, LiquidationAttempt.Kind.START_AUCTION);
        }

        // Nothing more: more blocks, and still one flag and one start.
        for (int i = 0; i < 5; i++) {
            chain.mine();
        }
        assertOnce(store, nonceBefore);
    }

    @Test
    void aStartSentBeforeTheNodeStopsIsNotSentAgainByTheNextNode() throws Exception {
        chain.reset();
        long nonceBefore = chain.minedNonce(chain.liquidator);
        Map<String, Object> props = startNode(Map.of());
        AttemptStore store = context.getBean(AttemptStore.class);
        openWindowAfterFlag(store);

        // Sent and mined (automine), not final: no block is mined on top until the node is gone.
        Attempt sent =
                Waiting.until(
                        DEADLINE,
                        () ->
                                attempts(store, AttemptKind.START_AUCTION).stream()
                                        .filter(a -> a.status() == AttemptStatus.MINED_UNCONFIRMED)
                                        .findFirst());
        stopNode();
        assertThat(store(props).find(sent.id()).orElseThrow().status().holding()).isTrue();

        restartNode(props);
        AttemptStore again = context.getBean(AttemptStore.class);
        Attempt mined = awaitMining(() -> mined(again, AttemptKind.START_AUCTION));
        assertThat(mined.id()).isEqualTo(sent.id());
        assertThat(mined.transactions()).hasSize(1);
        for (int i = 0; i < 5; i++) {
            chain.mine();
        }
        assertOnce(again, nonceBefore);
    }

    @Test
    void aReorgOrphaningTheStartReopensItAndTheAuctionStartsOnce() throws Exception {
        chain.reset();
        long nonceBefore = chain.minedNonce(chain.liquidator);
        startNode(Map.of());
        AttemptStore store = context.getBean(AttemptStore.class);
        flag(store);
        long nonce = chain.minedNonce(chain.liquidator);

        chain.automine(false);
        chain.call("evm_increaseTime", LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
        chain.call("evm_mine");
        // The flag holds (the same appraisal) and the window is over: the node sends its start; it
        // waits in the pool, then is mined in a block of its own.
        Waiting.until(DEADLINE, () -> Optional.of(pendingNow()).filter(p -> p.size() == 1));
        chain.mine();
        long minedIn = chain.head();
        Attempt provisional =
                Waiting.until(
                        DEADLINE,
                        () ->
                                attempts(store, AttemptKind.START_AUCTION).stream()
                                        .filter(a -> a.status() == AttemptStatus.MINED_UNCONFIRMED)
                                        .findFirst());
        assertThat(provisional.provisional().orElseThrow().block()).isEqualTo(minedIn);

        chain.rollback(1);
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce);
        Attempt reopened =
                Waiting.until(
                        DEADLINE,
                        () ->
                                store.find(provisional.id())
                                        .filter(a -> a.status() == AttemptStatus.ORPHANED_RETRIED));
        assertThat(reopened.orphanedCount()).isEqualTo(1);
        Waiting.until(DEADLINE, () -> Optional.of(pendingNow()).filter(p -> p.size() == 1));

        chain.automine(true);
        Attempt mined = awaitMining(() -> mined(store, AttemptKind.START_AUCTION));
        assertThat(mined.id()).isEqualTo(provisional.id());
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce + 1);
        assertOnce(store, nonceBefore);
    }

    @Test
    void anAuctionPastItsEndIsRestartedOncePaidTheKeeperReward() throws Exception {
        chain.reset();
        startNode(Map.of());
        AttemptStore store = context.getBean(AttemptStore.class);
        openWindowAfterFlag(store);
        Attempt start = awaitMining(() -> mined(store, AttemptKind.START_AUCTION));
        DutchAuction.AuctionStartedEventResponse started =
                DutchAuction.getAuctionStartedEvents(
                                receipt(start.outcome().orElseThrow().txHash()))
                        .get(0);
        // Nobody takes; six hours later it has reached its floor and needs a restart.
        chain.advance(Duration.ofHours(6).plusSeconds(1));
        Attempt restart = awaitMining(() -> mined(store, AttemptKind.RESTART_AUCTION));
        long block = restart.outcome().orElseThrow().includedBlock();
        DutchAuction.AuctionRestartedEventResponse restarted =
                DutchAuction.getAuctionRestartedEvents(
                                receipt(restart.outcome().orElseThrow().txHash()))
                        .get(0);
        assertThat(restarted.auctionId).isEqualTo(started.auctionId);
        assertThat(restarted.restarts).isEqualTo(BigInteger.ONE);
        assertThat(restarted.keeper).isEqualToIgnoringCase(chain.liquidator.getAddress());
        BigInteger paid = usdOfLiquidatorAt(block).subtract(usdOfLiquidatorAt(block - 1));
        assertThat(paid).isPositive().isEqualTo(restarted.keeperReward);
        assertThat(awaitPosition(block).getAuction().getRestarts()).isEqualTo(1);
        // Running again from a fresh start: nothing more to do.
        for (int i = 0; i < 5; i++) {
            chain.mine();
        }
        assertThat(attempts(store, AttemptKind.RESTART_AUCTION))
                .filteredOn(a -> a.status() != AttemptStatus.SKIPPED)
                .hasSize(1);
        assertThat(chain.auction(chain.admin).auction(started.auctionId).send().restarts)
                .isEqualTo(BigInteger.ONE);
    }

    @Test
    void theStartFollowsTheWindowsEndNotTheCooldown() throws Exception {
        chain.reset();
        // A cooldown far longer than the test may wait: the window's end, not the cooldown after
        // the CURE_WINDOW_OPEN refusal, must decide when the keeper looks again.
        startNode(Map.of("freehold.node.liquidator.cooldown", "1h"));
        AttemptStore store = context.getBean(AttemptStore.class);
        openWindowAfterFlag(store);
        Attempt start = awaitMining(() -> mined(store, AttemptKind.START_AUCTION));
        assertThat(start.outcome().orElseThrow().includedBlock()).isPositive();
    }

    @Test
    void withRestartUnpaidOffTheKeeperStopsRestartingWhenTheMarketStopsPaying() throws Exception {
        chain.reset();
        startNode(Map.of("freehold.node.liquidator.restart-unpaid", "false"));
        AttemptStore store = context.getBean(AttemptStore.class);
        BigInteger price = flag(store);
        chain.call("evm_increaseTime", LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
        chain.reappraiseAuction(price);
        Attempt start = awaitMining(() -> mined(store, AttemptKind.START_AUCTION));
        BigInteger auctionId =
                DutchAuction.getAuctionStartedEvents(
                                receipt(start.outcome().orElseThrow().txHash()))
                        .get(0)
                        .auctionId;
        // The local auction market pays for three restarts (maxPaidRestarts 3): each is sent once
        // the auction has reached its floor unsold (six hours), at a fresh appraisal.
        for (int paid = 1; paid <= 3; paid++) {
            chain.advance(Duration.ofHours(6).plusSeconds(1));
            chain.reappraiseAuction(price);
            long restarts = paid;
            awaitMining(
                    () ->
                            Optional.of(attempts(store, AttemptKind.RESTART_AUCTION))
                                    .filter(
                                            all ->
                                                    all.stream()
                                                                    .filter(
                                                                            a ->
                                                                                    a.status()
                                                                                            == AttemptStatus
                                                                                                    .MINED)
                                                                    .count()
                                                            == restarts));
        }
        // The fourth would pay nothing: the keeper says so and sends nothing.
        chain.advance(Duration.ofHours(6).plusSeconds(1));
        chain.reappraiseAuction(price);
        long nonce = chain.minedNonce(chain.liquidator);
        Attempt skipped =
                awaitMining(
                        () ->
                                store.latest(auctionMarket(), chain.borrower)
                                        .filter(a -> a.status() == AttemptStatus.SKIPPED)
                                        .filter(
                                                a ->
                                                        a.reasonCode()
                                                                .equals(
                                                                        Optional.of(
                                                                                "UNPAID_RESTART"))));
        assertThat(skipped.kind()).isEqualTo(AttemptKind.RESTART_AUCTION);
        assertThat(skipped.reason().orElseThrow()).contains("restart-unpaid is false");
        assertThat(chain.auction(chain.admin).auction(auctionId).send().restarts)
                .isEqualTo(BigInteger.valueOf(3));
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonce);
    }

    @Test
    void takesTheLotAtItsDiscountPayingWhatTheSimulationSays() throws Exception {
        chain.reset();
        // From 120 % of the appraisal to 60 % over 6 h: 70 % is reached after 5 h.
        startNode(Map.of("freehold.node.liquidator.auction-take-discount", "30"));
        AttemptStore store = context.getBean(AttemptStore.class);
        // A bot's view through the SDK: the auction watch, open before anything happens.
        List<AuctionEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FreeholdClient client = sdkClient();
        Subscription watch =
                client.watchAuctions(
                        auctionMarket(),
                        null,
                        new WatchObserver<>() {
                            @Override
                            public void onEvent(AuctionEvent event) {
                                seen.add(event);
                            }

                            @Override
                            public void onError(io.freehold.sdk.FreeholdException error) {}
                        });
        openWindowAfterFlag(store);
        Attempt start = awaitMining(() -> mined(store, AttemptKind.START_AUCTION));
        DutchAuction.AuctionStartedEventResponse started =
                DutchAuction.getAuctionStartedEvents(
                                receipt(start.outcome().orElseThrow().txHash()))
                        .get(0);
        BigInteger appraisal =
                chain.oracle().latestPrice(chain.auctionToken.hex()).send().component1();
        // Above the limit at the start: nothing taken.
        assertThat(attempts(store, AttemptKind.TAKE))
                .noneMatch(a -> a.status() != AttemptStatus.SKIPPED);

        // 5.5 h in, the price is under 70 % of the appraisal: the node sends its take, which
        // waits in the pool while the test asks the node's simulation about the same block.
        chain.automine(false);
        long at = started.startedAt.longValueExact() + 5 * 3600 + 1800;
        chain.nextTimestamp(at);
        chain.mine();
        long block = chain.head();
        Attempt take =
                Waiting.until(
                        DEADLINE,
                        () ->
                                attempts(store, AttemptKind.TAKE).stream()
                                        .filter(a -> a.status().holding())
                                        .findFirst());
        assertThat(take.preflightBlock()).isEqualTo(block);
        Position p = awaitPosition(block);
        BigInteger limit =
                appraisal.multiply(BigInteger.valueOf(70)).divide(BigInteger.valueOf(100));
        SimulateResponse quoted =
                SimulationServiceGrpc.newBlockingStub(channel)
                        .simulate(
                                SimulateRequest.newBuilder()
                                        .setMarketId(auctionMarket().hex())
                                        .setAccount(chain.borrower.hex())
                                        .setTake(
                                                TakeChange.newBuilder()
                                                        .setCollateral(
                                                                take.expected()
                                                                        .orElseThrow()
                                                                        .requestedRepay()
                                                                        .toString())
                                                        .setMaxPrice(limit.toString()))
                                        .build());
        assertThat(quoted.getRevertReason()).isEmpty();
        TakeQuote quote = quoted.getTake();
        assertThat(quote.getAtTimestamp()).isEqualTo(at);
        assertThat(new BigInteger(quote.getPrice())).isLessThanOrEqualTo(limit);

        // Mined at the same timestamp as the quoted block: the same price, the same accrued debt.
        chain.nextTimestamp(at);
        chain.mine();
        chain.automine(true);
        Attempt taken = awaitMining(() -> mined(store, AttemptKind.TAKE));
        assertThat(taken.id()).isEqualTo(take.id());
        Attempt.Outcome outcome = taken.outcome().orElseThrow();
        assertThat(outcome.repaidAssets().toString()).isEqualTo(quote.getLoanPaid());
        assertThat(outcome.seizedCollateral().toString()).isEqualTo(quote.getCollateralTaken());
        assertThat(p.getInAuction()).isTrue();
        // The liquidator now holds the property it bought (it is a verified holder).
        assertThat(
                        io.freehold.contracts.generated.PropertyToken.load(
                                        chain.auctionToken.hex(),
                                        chain.anvil.web3j(),
                                        chain.anvil.transactionManager(chain.admin),
                                        LocalSystem.GAS)
                                .balanceOf(chain.liquidator.getAddress())
                                .send())
                .isEqualTo(outcome.seizedCollateral());

        // The take bought the whole lot: the auction is over, and the watch showed it from its
        // start to its end, for this borrower's auction.
        assertThat(chain.auction(chain.admin).auction(started.auctionId).send().active).isFalse();
        long auctionId = started.auctionId.longValueExact();
        AuctionEvent.Ended ended =
                Waiting.until(
                        DEADLINE,
                        () ->
                                seen.stream()
                                        .filter(e -> e instanceof AuctionEvent.Ended)
                                        .map(e -> (AuctionEvent.Ended) e)
                                        .findFirst());
        assertThat(ended.last().auctionId()).isEqualTo(auctionId);
        assertThat(ended.account().hex()).isEqualTo(chain.borrower.hex());
        List<AuctionEvent> before = seen.subList(0, seen.indexOf(ended));
        assertThat(before)
                .filteredOn(e -> e instanceof AuctionEvent.Started)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(((AuctionEvent.Started) e).auction().auctionId())
                                        .isEqualTo(auctionId));
        watch.close();
        client.close();
    }

    private FreeholdClient sdkClient() {
        return FreeholdClient.create(
                FreeholdSettings.builder()
                        .target("127.0.0.1:" + context.getBean(GrpcEmbeddedServer.class).getPort())
                        .tls(false)
                        .build());
    }

    // ---- steps

    /**
     * The appraisal falls to health 0.95 (above the hard floor); the node flags the position; the
     * flag is final. The price set.
     */
    private BigInteger flag(AttemptStore store) throws Exception {
        BigInteger price = chain.appraiseAuctionTo(HEALTH_IN_WINDOW);
        Attempt flag = awaitMining(() -> mined(store, AttemptKind.FLAG));
        LendingPool.CureFlag onChain =
                chain.pool(chain.admin)
                        .cureFlag(bytes(auctionMarket().hex()), chain.borrower.hex())
                        .send();
        assertThat(onChain.flaggedAt).isPositive();
        assertThat(flag.reason().orElseThrow()).contains("flagged at " + onChain.flaggedAt);
        // While the window runs the node waits (and says why).
        Waiting.until(
                DEADLINE,
                () ->
                        store.latest(auctionMarket(), chain.borrower)
                                .filter(
                                        a ->
                                                a.status() == AttemptStatus.SKIPPED
                                                        && a.reasonCode()
                                                                .equals(
                                                                        Optional.of(
                                                                                "CURE_WINDOW_OPEN"))));
        return price;
    }

    /** {@link #flag}, then the window passes and a fresh appraisal no higher keeps the flag. */
    private void openWindowAfterFlag(AttemptStore store) throws Exception {
        BigInteger price = flag(store);
        chain.call("evm_increaseTime", LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
        chain.reappraiseAuction(price);
    }

    /** One flag and one start by the node, and one auction on chain. */
    private void assertOnce(AttemptStore store, long nonceBefore) throws Exception {
        assertThat(attempts(store, AttemptKind.FLAG))
                .filteredOn(a -> a.status() != AttemptStatus.SKIPPED)
                .singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(AttemptStatus.MINED));
        assertThat(attempts(store, AttemptKind.START_AUCTION))
                .filteredOn(a -> a.status() != AttemptStatus.SKIPPED)
                .singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(AttemptStatus.MINED));
        assertThat(chain.auction(chain.admin).auctionCount().send()).isEqualTo(BigInteger.ONE);
        assertThat(chain.minedNonce(chain.liquidator))
                .as("the liquidator sent two transactions: the flag and the start")
                .isEqualTo(nonceBefore + 2);
    }

    // ---- the node

    private Map<String, Object> startNode(Map<String, Object> extra) throws Exception {
        Map<String, Object> props = chain.executingNode(dir);
        props.put("freehold.node.liquidator.cooldown", "100ms");
        props.putAll(extra);
        restartNode(props);
        return props;
    }

    private void restartNode(Map<String, Object> props) {
        context = ApplicationContext.run(props);
        channel =
                ManagedChannelBuilder.forAddress(
                                "127.0.0.1", context.getBean(GrpcEmbeddedServer.class).getPort())
                        .usePlaintext()
                        .build();
    }

    private void stopNode() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            channel = null;
        }
        if (context != null) {
            context.close();
            context = null;
        }
    }

    /** The record of a stopped node, read directly. */
    private static AttemptStore store(Map<String, Object> props) {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL((String) props.get("datasources.default.url"));
        ds.setUser("sa");
        ds.setPassword("");
        return new AttemptStore(ds);
    }

    private Position awaitPosition(long block) throws Exception {
        return Waiting.position(channel, auctionMarket(), chain.borrower, block);
    }

    // ---- the record and the chain

    private static io.freehold.types.MarketId auctionMarket() {
        return chain.auctionMarket;
    }

    private static List<Attempt> attempts(AttemptStore store, AttemptKind kind) {
        return store.history(auctionMarket(), chain.borrower).stream()
                .filter(a -> a.kind() == kind)
                .toList();
    }

    private static Optional<Attempt> mined(AttemptStore store, AttemptKind kind) {
        return attempts(store, kind).stream()
                .filter(a -> a.status() == AttemptStatus.MINED)
                .findFirst();
    }

    private static TransactionReceipt receipt(String hash) throws Exception {
        return chain.anvil
                .web3j()
                .ethGetTransactionReceipt(hash)
                .send()
                .getTransactionReceipt()
                .orElseThrow();
    }

    private static BigInteger usdOfLiquidatorAt(long block) throws Exception {
        var usd = chain.usd(chain.admin);
        usd.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return usd.balanceOf(chain.liquidator.getAddress()).send();
    }

    private static List<String> pendingNow() {
        try {
            return chain.pending();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T awaitMining(Supplier<Optional<T>> check) throws Exception {
        return Waiting.mining(chain, DEADLINE, check);
    }

    static byte[] bytes(String hex) {
        return Numeric.hexStringToByteArray(hex);
    }
}
