package io.freehold.node.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.RunningNode;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.HealthBand;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * The real node against a real anvil with the auction market: one position through its life as the
 * API shows it, each field against the contracts' views at the position's block: unhealthy above
 * the hard floor (not actionable: no flag), flagged (its window and when it ends), past its window
 * (actionable, as the pool's {@code isLiquidatable}), in auction (locked, the auction's prices, the
 * current price exactly the auction's {@code priceAt}, lot and tab left; the same over REST, in the
 * shape the OpenAPI document gives it; in the opportunities stream, not liquidatable since {@code
 * liquidate} is closed in the window and on auction markets), and ended by a take of the whole lot.
 */
class AuctionApiTest {

    @TempDir static Path dir;

    private static RunningNode node;
    private static Anvil anvil;
    private static Deployment deployment;
    private static ManagedChannel channel;
    private static byte[] market;
    private static String borrower;

    @BeforeAll
    static void startNode() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.confirmations",
                                4,
                                "freehold.node.poll-interval",
                                "200ms"),
                        LocalSystem.Options.withAuctionMarket());
        anvil = node.anvil;
        deployment = node.deployment;
        channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                        .usePlaintext()
                        .build();
        market =
                Numeric.hexStringToByteArray(
                        deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id()).id());
        borrower = deployment.accounts().borrower();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aPositionFromItsFlagToTheEndOfItsAuction() throws Exception {
        Credentials asBorrower = credentials(borrower);
        String token = deployment.markets().get(LocalSystem.AUCTION_PROPERTY.id()).propertyToken();
        PropertyToken.load(
                        token, anvil.web3j(), anvil.transactionManager(asBorrower), LocalSystem.GAS)
                .approve(deployment.lendingPool(), LocalSystem.tokens(100))
                .send();
        LendingPool borrowerPool = LocalSystem.pool(anvil, deployment, asBorrower);
        borrowerPool.supplyCollateral(market, LocalSystem.tokens(100), borrower).send();
        BigInteger max = borrowerPool.position(market, borrower).send().maxBorrowable;
        borrowerPool.borrow(market, max, borrower).send();

        Position healthy = position();
        assertThat(healthy.getBand()).isNotEqualTo(HealthBand.HEALTH_BAND_LIQUIDATABLE);
        assertThat(healthy.getActionable()).isFalse();
        assertThat(healthy.getCureFlaggedAt()).isZero();
        assertThat(healthy.getInAuction()).isFalse();
        assertThat(healthy.hasAuction()).isFalse();

        // Just under health 1, above the hard floor of 0.9: liquidatable, yet no one may act.
        BigInteger hf = borrowerPool.position(market, borrower).send().healthFactor;
        String price = appraise(token, new BigInteger("950000000000000000"), hf);
        Position unhealthy = position();
        assertThat(unhealthy.getBand()).isEqualTo(HealthBand.HEALTH_BAND_LIQUIDATABLE);
        assertThat(new BigInteger(unhealthy.getHealthFactor()))
                .isGreaterThan(new BigInteger("900000000000000000"));
        assertSameAsChain(unhealthy);
        assertThat(unhealthy.getActionable()).isFalse();
        assertThat(unhealthy.getCureWindowEndsAt()).isZero();
        LiquidationOpportunity waiting = opportunity();
        assertThat(waiting.getLiquidatable()).isFalse(); // liquidate would revert
        assertThat(waiting.getNodeWillAct()).isFalse();

        LocalSystem.pool(anvil, deployment, credentials(deployment.accounts().liquidator()))
                .flag(market, borrower)
                .send();
        Position flagged = position();
        assertSameAsChain(flagged);
        assertThat(flagged.getCureFlaggedAt()).isPositive();
        assertThat(flagged.getCureWindowEndsAt())
                .isEqualTo(flagged.getCureFlaggedAt() + LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
        assertThat(flagged.getActionable()).isFalse();

        // Past the window, on a fresh appraisal no higher (the flag holds): start accepts it.
        rpc("evm_increaseTime", List.of(LocalSystem.AUCTION_CURE_WINDOW_SECONDS));
        oracle().submitAppraisal(token, new BigInteger(price)).send();
        Position due = position();
        assertSameAsChain(due);
        assertThat(due.getActionable()).isTrue();

        Credentials keeper = credentials(deployment.accounts().liquidator());
        MockStablecoin.load(
                        deployment.stablecoin(),
                        anvil.web3j(),
                        anvil.transactionManager(keeper),
                        LocalSystem.GAS)
                .approve(
                        deployment.lendingPool(),
                        BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))
                .send();
        DutchAuction auction = LocalSystem.auction(anvil, deployment, keeper);
        auction.start(market, borrower, keeper.getAddress()).send();
        rpc("evm_increaseTime", List.of(1_234));
        rpc("evm_mine", List.of());
        Position inAuction = position();
        assertSameAsChain(inAuction);
        assertThat(inAuction.getInAuction()).isTrue();
        assertThat(inAuction.getActionable()).isFalse();
        assertThat(inAuction.hasAuction()).isTrue();
        io.freehold.proto.v1.Auction a = inAuction.getAuction();
        DutchAuction view = auctionAt(inAuction.getAsOf().getBlockNumber());
        BigInteger id = view.activeAuction(market, borrower).send();
        assertThat(a.getAuctionId()).isEqualTo(id.longValueExact());
        DutchAuction.Auction chain = view.auction(id).send();
        assertThat(a.getStartedAt()).isEqualTo(chain.startedAt.longValueExact());
        assertThat(a.getStartPrice()).isEqualTo(chain.startPrice.toString());
        assertThat(a.getFloorPrice()).isEqualTo(chain.floorPrice.toString());
        assertThat(a.getRestarts()).isZero();
        assertThat(a.getEndsAt()).isEqualTo(a.getStartedAt() + 6 * 3600);
        assertThat(a.getSecondsToFloor())
                .isEqualTo(a.getEndsAt() - inAuction.getAsOfTimestamp())
                .isPositive();
        assertThat(a.getCurrentPrice())
                .isEqualTo(
                        view.priceAt(id, BigInteger.valueOf(inAuction.getAsOfTimestamp()))
                                .send()
                                .toString());
        assertThat(new BigInteger(a.getCurrentPrice()))
                .isLessThan(chain.startPrice)
                .isGreaterThan(chain.floorPrice);
        assertThat(a.getLotLeft()).isEqualTo(inAuction.getCollateral());
        assertThat(a.getTabLeft()).isEqualTo(inAuction.getDebt());
        assertThat(a.getNeedsRestart()).isFalse();
        LiquidationOpportunity sold = opportunity();
        assertThat(sold.getPosition()).isEqualTo(inAuction);
        assertThat(sold.getLiquidatable()).isFalse();
        assertThat(sold.getMaxRepay()).isEqualTo("0");
        assertThat(sold.getNodeWillAct()).isFalse();

        // The same position through the Java SDK: its Actionability carries the same cure window
        // and auction, in the SDK's types.
        try (io.freehold.sdk.FreeholdClient client =
                io.freehold.sdk.FreeholdClient.create(
                        io.freehold.sdk.FreeholdSettings.builder()
                                .target("127.0.0.1:" + node.grpcPort())
                                .tls(false)
                                .build())) {
            io.freehold.sdk.Position viaSdk =
                    client.position(
                            io.freehold.types.MarketId.of(Numeric.toHexString(market)),
                            io.freehold.types.Address.fromHex(borrower));
            assertThat(viaSdk.asOf().blockNumber()).isEqualTo(inAuction.getAsOf().getBlockNumber());
            io.freehold.sdk.Actionability act = viaSdk.actionability();
            assertThat(act.inAuction()).isTrue();
            assertThat(act.actionable()).isFalse();
            assertThat(act.cureFlaggedAt().map(java.time.Instant::getEpochSecond))
                    .isEqualTo(
                            inAuction.getCureFlaggedAt() == 0
                                    ? java.util.Optional.empty()
                                    : java.util.Optional.of(inAuction.getCureFlaggedAt()));
            io.freehold.sdk.Auction sdkAuction = act.auction().orElseThrow();
            assertThat(sdkAuction.auctionId()).isEqualTo(a.getAuctionId());
            assertThat(sdkAuction.endsAt().getEpochSecond()).isEqualTo(a.getEndsAt());
            assertThat(sdkAuction.currentPrice()).contains(new BigInteger(a.getCurrentPrice()));
            assertThat(sdkAuction.startPrice()).isEqualTo(new BigInteger(a.getStartPrice()));
            assertThat(sdkAuction.floorPrice()).isEqualTo(new BigInteger(a.getFloorPrice()));
            assertThat(sdkAuction.lotLeft()).isEqualTo(viaSdk.collateral());
            assertThat(sdkAuction.tabLeft()).isEqualTo(viaSdk.debt());
            assertThat(sdkAuction.timeToFloor().getSeconds()).isEqualTo(a.getSecondsToFloor());
        }

        // The same position over REST, every field documented in the served OpenAPI document.
        RestClient rest = new RestClient(node.server.getPort(), null);
        String path = "/v1/markets/" + Numeric.toHexString(market) + "/positions/" + borrower;
        assertThat(rest.<Position>read(path, Position.newBuilder())).isEqualTo(inAuction);
        Map<String, Object> document =
                new org.yaml.snakeyaml.Yaml().load(rest.get("/v1/openapi.yaml").body());
        Object json =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readValue(rest.get(path).body(), Object.class);
        assertThat(
                        new SchemaCheck(document)
                                .check(json, Map.of("$ref", "#/components/schemas/Position")))
                .isEmpty();
        assertThat(json.toString()).contains("currentPrice=" + a.getCurrentPrice());

        // A taker buys what the debt needs: the auction ends and the position is unlocked.
        BigInteger all = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        auction.take(id, all, all, keeper.getAddress()).send();
        Position ended = position();
        assertSameAsChain(ended);
        assertThat(ended.getInAuction()).isFalse();
        assertThat(ended.hasAuction()).isFalse();
        assertThat(ended.getCureFlaggedAt()).isZero();
        assertThat(ended.getDebt()).isEqualTo("0");
    }

    /** The position's flag, lock and actionability are the pool's views at its block. */
    private static void assertSameAsChain(Position p) throws Exception {
        LendingPool pool = poolAt(p.getAsOf().getBlockNumber());
        LendingPool.CureFlag flag = pool.cureFlag(market, borrower).send();
        assertThat(p.getCureFlaggedAt()).isEqualTo(flag.flaggedAt.longValueExact());
        assertThat(p.getInAuction()).isEqualTo(flag.inAuction);
        assertThat(p.getActionable()).isEqualTo(pool.isLiquidatable(market, borrower).send());
        LendingPool.PositionView v = pool.position(market, borrower).send();
        assertThat(p.getDebt()).isEqualTo(v.debt.toString());
        assertThat(p.getCollateral()).isEqualTo(v.collateral.toString());
        assertThat(p.getHealthFactor()).isEqualTo(v.healthFactor.toString());
    }

    /**
     * Forces the appraisal down so that a position of health {@code from} (WAD) gets about {@code
     * to}; returns the new price.
     */
    private static String appraise(String token, BigInteger to, BigInteger from) throws Exception {
        BigInteger now = oracle().latestPrice(token).send().component1();
        BigInteger price = now.multiply(to).divide(from);
        oracle().forceAppraisal(token, price, "test: a comparable sold lower").send();
        return price.toString();
    }

    /**
     * The position as the node values it at the chain's head (the risk engine follows the follower:
     * polled until it is there, with a generous deadline).
     */
    private static Position position() throws Exception {
        long head = head();
        awaitApplied(head);
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Position p;
        do {
            p =
                    PositionServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getPosition(
                                    GetPositionRequest.newBuilder()
                                            .setMarketId(Numeric.toHexString(market))
                                            .setAccount(borrower)
                                            .build());
            if (p.getAsOf().getBlockNumber() < head) {
                Thread.sleep(50);
            }
        } while (p.getAsOf().getBlockNumber() < head && System.nanoTime() < giveUp);
        assertThat(p.getAsOf().getBlockNumber()).as("the position's block").isEqualTo(head);
        return p;
    }

    /** The position's entry in the opportunities stream's snapshot (the stream then closed). */
    private static LiquidationOpportunity opportunity() throws Exception {
        try (Context.CancellableContext stream = Context.current().withCancellation()) {
            return stream.call(
                    () -> {
                        Iterator<OpportunityEvent> events =
                                LiquidationServiceGrpc.newBlockingStub(channel)
                                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                                        .watchOpportunities(
                                                WatchOpportunitiesRequest.newBuilder()
                                                        .setMarketId(Numeric.toHexString(market))
                                                        .build());
                        while (events.hasNext()) {
                            OpportunityEvent e = events.next();
                            if (e.hasSnapshot()
                                    && e.getSnapshot()
                                            .getPosition()
                                            .getAccount()
                                            .equalsIgnoreCase(borrower)) {
                                return e.getSnapshot();
                            }
                            if (e.hasSnapshotEnd()) {
                                break;
                            }
                        }
                        throw new AssertionError("no opportunity for " + borrower);
                    });
        }
    }

    private static AppraisalOracle oracle() {
        return AppraisalOracle.load(
                deployment.oracle(),
                anvil.web3j(),
                anvil.transactionManager(anvil.credentials(0)),
                LocalSystem.GAS);
    }

    private static LendingPool poolAt(long block) {
        LendingPool pool =
                LendingPool.load(
                        deployment.lendingPool(),
                        anvil.web3j(),
                        new ReadonlyTransactionManager(anvil.web3j(), borrower),
                        LocalSystem.GAS);
        pool.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return pool;
    }

    private static DutchAuction auctionAt(long block) {
        DutchAuction auction =
                DutchAuction.load(
                        deployment.dutchAuction(),
                        anvil.web3j(),
                        new ReadonlyTransactionManager(anvil.web3j(), borrower),
                        LocalSystem.GAS);
        auction.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return auction;
    }

    private static Credentials credentials(String address) {
        for (int i = 0; i < 10; i++) {
            if (anvil.credentials(i).getAddress().equalsIgnoreCase(address)) {
                return anvil.credentials(i);
            }
        }
        throw new IllegalStateException("no dev account " + address);
    }

    private static void rpc(String method, List<?> params) throws Exception {
        var response =
                new Request<>(method, params, new HttpService(anvil.rpcUrl()), VoidResponse.class)
                        .send();
        if (response.hasError()) {
            throw new IllegalStateException(method + ": " + response.getError().getMessage());
        }
    }

    private static long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    /** Polls GetStatus until the node has applied {@code block} (a generous deadline). */
    private static NodeStatus awaitApplied(long block) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        NodeStatus last = null;
        while (System.nanoTime() < giveUp) {
            last =
                    NodeServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getStatus(GetStatusRequest.getDefaultInstance());
            if (last.getAppliedBlock() >= block && last.getPhase().equals("FOLLOWING")) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "the node did not apply block " + block + " in time; last status " + last);
    }
}
