package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.proto.v1.Appraisal;
import io.freehold.proto.v1.EndpointStatus;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.MarketParameters;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.Status;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FreeholdClientTest {

    static final String MARKET = "0x" + "ab".repeat(32);
    static final String ACCOUNT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    static final String TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    static final String LOAN = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
    static final String ORACLE = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
    static final String HASH = "0x" + "12".repeat(32);
    static final String MAX = TokenAmount.MAX_BASE_UNITS.toString();

    private FakeNode node;
    private FreeholdClient client;

    @BeforeEach
    void start() throws Exception {
        node = new FakeNode();
        client = node.client();
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    static io.freehold.proto.v1.Cursor protoCursor(long block) {
        return io.freehold.proto.v1.Cursor.newBuilder()
                .setBlockNumber(block)
                .setBlockHash(HASH)
                .setSequence(7)
                .build();
    }

    /** A position with a distinct value in every field, so that a swapped field shows. */
    static io.freehold.proto.v1.Position protoPosition(String account) {
        return io.freehold.proto.v1.Position.newBuilder()
                .setMarketId(MARKET)
                .setAccount(account)
                .setSupplyShares("11")
                .setSupplyAssets("12")
                .setBorrowShares("13")
                .setDebt("14")
                .setCollateral("15")
                .setCollateralValue("16")
                .setLtv("800000000000000000")
                .setHealthFactor("1052300000000000000")
                .setLiquidationPrice(MAX)
                .setMaxBorrowable("18")
                .setBand(io.freehold.proto.v1.HealthBand.HEALTH_BAND_WARNING)
                .setHealthFactorAfterHaircut("999900000000000000")
                .setMarketFlagged(true)
                .setUnconfirmedSinceBlock(99)
                .setAsOf(protoCursor(100))
                .setAsOfTimestamp(1_700_000_000)
                .build();
    }

    static void assertPosition(Position p, String account) {
        assertThat(p.marketId()).isEqualTo(MarketId.fromHex(MARKET));
        assertThat(p.account()).isEqualTo(Address.fromHex(account));
        assertThat(p.supplyShares()).isEqualTo(11);
        assertThat(p.supplyAssets()).isEqualTo(12);
        assertThat(p.borrowShares()).isEqualTo(13);
        assertThat(p.debt()).isEqualTo(14);
        assertThat(p.collateral()).isEqualTo(15);
        assertThat(p.collateralValue()).isEqualTo(16);
        assertThat(p.ltv()).isEqualTo(Wad.parse("0.8"));
        assertThat(p.healthFactor()).isEqualTo(HealthFactor.of(Wad.parse("1.0523")));
        assertThat(p.liquidationPrice()).isEqualTo(TokenAmount.MAX_BASE_UNITS);
        assertThat(p.maxBorrowable()).isEqualTo(18);
        assertThat(p.band()).isEqualTo(HealthBand.WARNING);
        assertThat(p.healthFactorAfterHaircut()).isEqualTo(HealthFactor.of(Wad.parse("0.9999")));
        assertThat(p.marketFlagged()).isTrue();
        assertThat(p.unconfirmedSinceBlock()).isEqualTo(OptionalLong.of(99));
        assertThat(p.asOf()).isEqualTo(new Cursor(100, HASH, 7));
        assertThat(p.asOfTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
    }

    static io.freehold.proto.v1.Market protoMarket() {
        return io.freehold.proto.v1.Market.newBuilder()
                .setMarketId(MARKET)
                .setCollateralToken(TOKEN)
                .setLoanToken(LOAN)
                .setOracle(ORACLE)
                .setParameters(
                        MarketParameters.newBuilder()
                                .setLltv("800000000000000000")
                                .setMaxLtv("700000000000000000")
                                .setLiquidationIncentive("1050000000000000000")
                                .setBaseRatePerYear("10000000000000000")
                                .setSlope1PerYear("40000000000000000")
                                .setSlope2PerYear("750000000000000000")
                                .setKinkUtilization("900000000000000000")
                                .setSupplyCap("1")
                                .setBorrowCap("2")
                                .setMinLeftoverDebt("3"))
                .setTotalSupplyAssets("21")
                .setTotalSupplyShares("22")
                .setTotalBorrowAssets("23")
                .setTotalBorrowShares("24")
                .setTotalCollateral("25")
                .setUtilization("500000000000000000")
                .setBorrowApr("60000000000000000")
                .setAppraisal(
                        Appraisal.newBuilder()
                                .setPrice("2000000000000000000000000000000000000")
                                .setUpdatedAt(1_699_999_000)
                                .setAgeSeconds(1000)
                                .setMaxAgeSeconds("86400")
                                .setStale(true))
                .setPaused(true)
                .addFlags("price stale")
                .addFlags("token paused")
                .setPositionsHealthy(31)
                .setPositionsWarning(32)
                .setPositionsLiquidatable(33)
                .setAsOf(protoCursor(101))
                .setAsOfTimestamp(1_700_000_001)
                .build();
    }

    static void assertMarket(Market m) {
        assertThat(m.marketId()).isEqualTo(MarketId.fromHex(MARKET));
        assertThat(m.collateralToken()).isEqualTo(Address.fromHex(TOKEN));
        assertThat(m.loanToken()).isEqualTo(Address.fromHex(LOAN));
        assertThat(m.oracle()).isEqualTo(Address.fromHex(ORACLE));
        assertThat(m.parameters())
                .isEqualTo(
                        new Market.Parameters(
                                Wad.parse("0.8"),
                                Wad.parse("0.7"),
                                Wad.parse("1.05"),
                                Wad.parse("0.01"),
                                Wad.parse("0.04"),
                                Wad.parse("0.75"),
                                Wad.parse("0.9"),
                                BigInteger.ONE,
                                BigInteger.TWO,
                                BigInteger.valueOf(3)));
        assertThat(m.totalSupplyAssets()).isEqualTo(21);
        assertThat(m.totalSupplyShares()).isEqualTo(22);
        assertThat(m.totalBorrowAssets()).isEqualTo(23);
        assertThat(m.totalBorrowShares()).isEqualTo(24);
        assertThat(m.totalCollateral()).isEqualTo(25);
        assertThat(m.utilization()).isEqualTo(Wad.parse("0.5"));
        assertThat(m.borrowApr()).isEqualTo(Wad.parse("0.06"));
        assertThat(m.appraisal())
                .isEqualTo(
                        new Market.Appraisal(
                                Market.PRICE_SCALE.multiply(BigInteger.TWO),
                                Instant.ofEpochSecond(1_699_999_000),
                                1000,
                                BigInteger.valueOf(86400),
                                true));
        assertThat(m.paused()).isTrue();
        assertThat(m.flags()).containsExactly("price stale", "token paused");
        assertThat(m.positionsHealthy()).isEqualTo(31);
        assertThat(m.positionsWarning()).isEqualTo(32);
        assertThat(m.positionsLiquidatable()).isEqualTo(33);
        assertThat(m.asOf()).isEqualTo(new Cursor(101, HASH, 7));
        assertThat(m.asOfTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_001));
    }

    static io.freehold.proto.v1.NodeStatus protoStatus() {
        return io.freehold.proto.v1.NodeStatus.newBuilder()
                .setChainId(31337)
                .setHead(1000)
                .setAppliedBlock(998)
                .setFinalBlock(990)
                .setLagBlocks(2)
                .setPhase("FOLLOWING")
                .addEndpoints(
                        EndpointStatus.newBuilder()
                                .setName("rpc0/localhost:8545")
                                .setBreaker("HALF_OPEN")
                                .setLastSeenHead(1000)
                                .setLagging(true)
                                .setLastError("timeout"))
                .addEndpoints(
                        EndpointStatus.newBuilder()
                                .setName("rpc1/other:8545")
                                .setBreaker("SIDEWAYS"))
                .setVersion("0.1.0")
                .setLiquidatorMode("EXECUTE")
                .setCursor(protoCursor(998))
                .build();
    }

    @Test
    void status_mapsEveryField() {
        node.getStatus = r -> protoStatus();

        NodeStatus s = client.status();

        assertThat(s)
                .isEqualTo(
                        new NodeStatus(
                                31337,
                                1000,
                                998,
                                990,
                                2,
                                NodeStatus.Phase.FOLLOWING,
                                List.of(
                                        new NodeStatus.Endpoint(
                                                "rpc0/localhost:8545",
                                                NodeStatus.Breaker.HALF_OPEN,
                                                1000,
                                                true,
                                                "timeout"),
                                        new NodeStatus.Endpoint(
                                                "rpc1/other:8545",
                                                NodeStatus.Breaker.UNKNOWN,
                                                0,
                                                false,
                                                "")),
                                "0.1.0",
                                NodeStatus.LiquidatorMode.EXECUTE,
                                new Cursor(998, HASH, 7)));
    }

    @Test
    void status_unknownPhaseAndModeAreUnknownNotAnError() {
        node.getStatus =
                r ->
                        protoStatus().toBuilder()
                                .setPhase("HIBERNATING")
                                .setLiquidatorMode("")
                                .build();

        NodeStatus s = client.status();

        assertThat(s.phase()).isEqualTo(NodeStatus.Phase.UNKNOWN);
        assertThat(s.liquidatorMode()).isEqualTo(NodeStatus.LiquidatorMode.UNKNOWN);
    }

    @Test
    void market_sendsTheIdAndMapsEveryField() {
        node.getMarket = r -> protoMarket();

        Market m = client.market(MarketId.fromHex(MARKET.toUpperCase().replace("0X", "0x")));

        assertMarket(m);
        assertThat(node.requestsOf(GetMarketRequest.class))
                .extracting(GetMarketRequest::getMarketId)
                .containsExactly(MARKET);
    }

    @Test
    void markets_mapsEveryMarket() {
        node.listMarkets =
                r ->
                        ListMarketsResponse.newBuilder()
                                .addMarkets(protoMarket())
                                .addMarkets(protoMarket())
                                .setAsOf(protoCursor(101))
                                .build();

        List<Market> markets = client.markets();

        assertThat(markets).hasSize(2);
        markets.forEach(FreeholdClientTest::assertMarket);
    }

    @Test
    void position_sendsMarketAndAccountAndMapsEveryField() {
        node.getPosition = r -> protoPosition(ACCOUNT);

        Position p =
                client.position(MarketId.fromHex(MARKET), Address.fromHex(ACCOUNT.toLowerCase()));

        assertPosition(p, ACCOUNT);
        GetPositionRequest sent = node.requestsOf(GetPositionRequest.class).get(0);
        assertThat(sent.getMarketId()).isEqualTo(MARKET);
        assertThat(sent.getAccount()).isEqualTo(ACCOUNT);
    }

    @Test
    void position_withoutDebtOrUnconfirmedBlock() {
        node.getPosition =
                r ->
                        protoPosition(ACCOUNT).toBuilder()
                                .setHealthFactor(MAX)
                                .setUnconfirmedSinceBlock(0)
                                .setBand(io.freehold.proto.v1.HealthBand.HEALTH_BAND_UNSPECIFIED)
                                .build();

        Position p = client.position(MarketId.fromHex(MARKET), Address.fromHex(ACCOUNT));

        assertThat(p.healthFactor().hasDebt()).isFalse();
        assertThat(p.healthFactor()).isSameAs(HealthFactor.NO_DEBT);
        assertThat(p.unconfirmedSinceBlock()).isEmpty();
        assertThat(p.band()).isEqualTo(HealthBand.UNKNOWN);
    }

    @Test
    void malformedResponse_isAFreeholdExceptionNamingTheField() {
        node.getPosition = r -> protoPosition(ACCOUNT).toBuilder().setDebt("-5").build();

        assertThatThrownBy(
                        () -> client.position(MarketId.fromHex(MARKET), Address.fromHex(ACCOUNT)))
                .isExactlyInstanceOf(FreeholdException.class)
                .hasMessageContaining("malformed position")
                .hasMessageContaining("debt");
    }

    @Test
    void simulate_sendsTheChangeAndMapsBothPositions() {
        String other = ACCOUNT.toLowerCase();
        node.simulate =
                r ->
                        SimulateResponse.newBuilder()
                                .setBefore(protoPosition(ACCOUNT))
                                .setAfter(protoPosition(ACCOUNT).toBuilder().setDebt("15"))
                                .build();
        MarketId market = MarketId.fromHex(MARKET);
        Address account = Address.fromHex(other);
        BigInteger v = BigInteger.valueOf(42);

        SimulationResult r = client.simulate(Simulation.borrow(market, account, v));
        client.simulate(Simulation.repay(market, account, v));
        client.simulate(Simulation.depositCollateral(market, account, v));
        client.simulate(Simulation.withdrawCollateral(market, account, v));
        client.simulate(Simulation.price(market, account, v));
        client.simulate(Simulation.aavePrice(market, account, Address.fromHex(other), v));

        assertPosition(r.before(), ACCOUNT);
        assertThat(r.after().debt()).isEqualTo(15);
        assertThat(r.wouldRevert()).isFalse();
        assertThat(r.revertReason()).isEmpty();
        List<SimulateRequest> sent = node.requestsOf(SimulateRequest.class);
        assertThat(sent)
                .extracting(SimulateRequest::getChangeCase)
                .containsExactly(
                        SimulateRequest.ChangeCase.BORROW,
                        SimulateRequest.ChangeCase.REPAY,
                        SimulateRequest.ChangeCase.DEPOSIT_COLLATERAL,
                        SimulateRequest.ChangeCase.WITHDRAW_COLLATERAL,
                        SimulateRequest.ChangeCase.PRICE,
                        SimulateRequest.ChangeCase.AAVE_PRICE);
        assertThat(sent.get(5).getAavePrice().getAsset()).isEqualTo(ACCOUNT);
        assertThat(sent.get(5).getAavePrice().getPrice()).isEqualTo("42");
        assertThat(sent)
                .allSatisfy(
                        s -> {
                            assertThat(s.getMarketId()).isEqualTo(MARKET);
                            assertThat(s.getAccount()).isEqualTo(ACCOUNT);
                        });
        assertThat(sent.get(0).getBorrow()).isEqualTo("42");
        assertThat(sent.get(1).getRepay()).isEqualTo("42");
        assertThat(sent.get(2).getDepositCollateral()).isEqualTo("42");
        assertThat(sent.get(3).getWithdrawCollateral()).isEqualTo("42");
        assertThat(sent.get(4).getPrice()).isEqualTo("42");
    }

    @Test
    void simulate_revertReason() {
        node.simulate =
                r ->
                        SimulateResponse.newBuilder()
                                .setBefore(protoPosition(ACCOUNT))
                                .setAfter(protoPosition(ACCOUNT))
                                .setRevertReason("MaxLtvExceeded")
                                .build();

        SimulationResult r =
                client.simulate(
                        Simulation.borrow(
                                MarketId.fromHex(MARKET),
                                Address.fromHex(ACCOUNT),
                                BigInteger.TEN));

        assertThat(r.wouldRevert()).isTrue();
        assertThat(r.revertReason()).isEqualTo(Optional.of("MaxLtvExceeded"));
    }

    @Test
    void asyncVariants_completeWithTheSameValues() throws Exception {
        node.getStatus = r -> protoStatus();
        node.listMarkets = r -> ListMarketsResponse.newBuilder().addMarkets(protoMarket()).build();
        node.getMarket = r -> protoMarket();
        node.getPosition = r -> protoPosition(ACCOUNT);
        node.simulate =
                r ->
                        SimulateResponse.newBuilder()
                                .setBefore(protoPosition(ACCOUNT))
                                .setAfter(protoPosition(ACCOUNT))
                                .build();
        MarketId market = MarketId.fromHex(MARKET);
        Address account = Address.fromHex(ACCOUNT);

        assertThat(client.statusAsync().get(2, TimeUnit.MINUTES)).isEqualTo(client.status());
        assertMarket(client.marketsAsync().get(2, TimeUnit.MINUTES).get(0));
        assertMarket(client.marketAsync(market).get(2, TimeUnit.MINUTES));
        assertPosition(client.positionAsync(market, account).get(2, TimeUnit.MINUTES), ACCOUNT);
        assertPosition(
                client.simulateAsync(Simulation.repay(market, account, BigInteger.ONE))
                        .get(2, TimeUnit.MINUTES)
                        .after(),
                ACCOUNT);
    }

    @Test
    void async_failsWithTheMappedException() {
        node.getMarket =
                r -> {
                    throw FakeNode.error(
                            Status.Code.NOT_FOUND, "UNKNOWN_MARKET", "market_id", "no such market");
                };

        CompletableFuture<Market> f = client.marketAsync(MarketId.fromHex(MARKET));

        assertThatThrownBy(f::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(NotFoundException.class)
                .satisfies(
                        e ->
                                assertThat(((FreeholdException) e).reason())
                                        .isEqualTo(ErrorReason.UNKNOWN_MARKET));
    }

    @Test
    void async_cancellingTheFutureCancelsTheCall() throws Exception {
        CompletableFuture<Void> serverSawCancel = new CompletableFuture<>();
        CompletableFuture<Void> serverHasTheCall = new CompletableFuture<>();
        node.getMarket =
                r -> {
                    serverHasTheCall.complete(null);
                    io.grpc.Context.current()
                            .addListener(c -> serverSawCancel.complete(null), Runnable::run);
                    try {
                        serverSawCancel.get(2, TimeUnit.MINUTES);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    throw Status.CANCELLED.asRuntimeException();
                };

        CompletableFuture<Market> f = client.marketAsync(MarketId.fromHex(MARKET));
        // Cancelled once the server is inside the call (a cancel that overtakes the call may never
        // reach a handler to see it).
        serverHasTheCall.get(2, TimeUnit.MINUTES);
        f.cancel(true);

        serverSawCancel.get(2, TimeUnit.MINUTES); // times out if the call was not cancelled
    }

    @Test
    void deadline_isSentAndEnforced() {
        FreeholdClient patient =
                node.client(FakeNode.quickRetries().deadline(Duration.ofSeconds(30)));
        FreeholdClient hasty =
                node.client(FakeNode.quickRetries().deadline(Duration.ofMillis(200)));
        node.getStatus = r -> protoStatus();
        try (patient;
                hasty) {
            long called = System.nanoTime();
            patient.status();
            assertDeadlineSent(node.deadlines.get(0), 30, called);

            // The server holds the answer until the test lets it go: the client must give up on
            // its own deadline, not get an answer late (no measured time is asserted).
            java.util.concurrent.CountDownLatch release =
                    new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean answered =
                    new java.util.concurrent.atomic.AtomicBoolean();
            node.getStatus =
                    r -> {
                        try {
                            release.await(2, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        answered.set(true);
                        return protoStatus();
                    };
            try {
                assertThatThrownBy(hasty::status).isInstanceOf(DeadlineExceededException.class);
                assertThat(answered).as("the client gave up before the server answered").isFalse();
            } finally {
                release.countDown();
            }
            assertThat(node.deadlines.get(1).timeRemaining(TimeUnit.MILLISECONDS))
                    .isLessThanOrEqualTo(200L);
        }
    }

    /**
     * The deadline the server saw is {@code seconds} from the call: no more, and no less than that
     * minus the time the test has taken since {@code calledNanos} (rounded up, plus the truncation
     * of {@code timeRemaining}): a slow machine widens the bound instead of failing it.
     */
    private static void assertDeadlineSent(io.grpc.Deadline seen, long seconds, long calledNanos) {
        long remaining = seen.timeRemaining(TimeUnit.SECONDS);
        long taken = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - calledNanos) + 1;
        assertThat(remaining).isBetween(seconds - taken - 1, seconds);
    }

    @Test
    void defaultDeadline_isTenSeconds() {
        node.getStatus = r -> protoStatus();

        long called = System.nanoTime();
        client.status();

        assertDeadlineSent(node.deadlines.get(0), 10, called);
    }

    @Test
    void bearerToken_isSentInTheAuthorizationHeader() {
        node.getStatus = r -> protoStatus();
        node.getMarket = r -> protoMarket();
        try (FreeholdClient authed =
                node.client(FakeNode.quickRetries().bearerToken("s3cret-token"))) {
            authed.status();
            authed.marketAsync(MarketId.fromHex(MARKET)).join();
        }
        client.status();

        assertThat(node.headers).hasSize(3);
        assertThat(node.headers.get(0).get(FakeNode.AUTHORIZATION))
                .isEqualTo("Bearer s3cret-token");
        assertThat(node.headers.get(1).get(FakeNode.AUTHORIZATION))
                .isEqualTo("Bearer s3cret-token");
        assertThat(node.headers.get(2).get(FakeNode.AUTHORIZATION)).isNull();
    }

    @Test
    void settings_toStringMasksTheToken() {
        FreeholdSettings s =
                FreeholdSettings.builder().target("x:1").bearerToken("s3cret-token").build();

        assertThat(s.toString()).doesNotContain("s3cret").contains("***");
        assertThat(s.bearerToken()).contains("s3cret-token");
        assertThat(s.tls()).isTrue();
        assertThat(s.deadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.retryAttempts()).isEqualTo(3);
        assertThatThrownBy(() -> FreeholdSettings.builder().build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () ->
                                FreeholdSettings.builder()
                                        .target("x:1")
                                        .tls(false)
                                        .trustedCaPem(java.nio.file.Path.of("ca.pem"))
                                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FreeholdSettings.builder().bearerToken("has space"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
