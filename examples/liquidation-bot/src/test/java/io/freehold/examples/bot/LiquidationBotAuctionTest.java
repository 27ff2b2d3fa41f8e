package io.freehold.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.examples.common.Format;
import io.freehold.sdk.Auction;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.Position;
import io.freehold.sdk.TakePreview;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.onchain.AuctionStartReceipt;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The bot on an auction market, against the real contracts on anvil and the real node (watching
 * only): a loan dips, a keeper flags it, the one-day window passes and the keeper starts its Dutch
 * auction at 120% of the appraisal. Above the bot's limit (the appraisal less 10%) the bot waits
 * and takes nothing; three and a half hours later the price is below it and the bot takes the lot
 * with its limit as maxPrice, reporting what the auction's event says. Before that, the SDK's
 * preview of taking the whole lot from the auction the node reports equals the contract's take at
 * the position's block, to the wei.
 */
class LiquidationBotAuctionTest {

    @TempDir static Path dir;

    private static Anvil anvil;
    private static Deployment deployment;
    private static Path deploymentFile;
    private static EmbeddedServer node;
    private static int grpcPort;
    private static MarketId market;
    private static final Credentials BOT = Credentials.create(LiquidationBot.LOCAL_BOT_KEY);

    @BeforeAll
    static void start() throws Exception {
        anvil = Anvil.start();
        deployment = LocalSystem.deploy(anvil, LocalSystem.Options.withAuctionMarket());
        deploymentFile = dir.resolve("local.json");
        deployment.write(deploymentFile);
        market = MarketId.fromHex(deployment.market(LocalSystem.AUCTION_PROPERTY.id()).id());
        // The bot's account: verified (it receives property tokens) and holding the stablecoin.
        BotChain.readyTheBot(anvil, deployment, BOT);
        node = BotChain.startNode(anvil, deploymentFile, dir);
        grpcPort = BotChain.grpcPort(node);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.getApplicationContext().close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    record Run(int exit, String out, String err) {}

    @Test
    void takesTheLotOnceItsPriceIsBelowTheLimitAndNotBefore() throws Exception {
        Address borrower = address(anvil.credentials(2));
        AuctionStartReceipt started;
        try (FreeholdPool asBorrower = pool(anvil.credentials(2));
                FreeholdPool asKeeper = pool(anvil.credentials(0))) {
            // 400 tokens at $55.60 back 14,000; at $46 they back 13,800: health 0.9857.
            asBorrower.lockCollateral(market, TokenAmount.of(LocalSystem.tokens(400), 18));
            asBorrower.borrow(market, TokenAmount.of(LocalSystem.usd(14_000), 6));
            oracle().forceAppraisal(
                            deployment.market(LocalSystem.AUCTION_PROPERTY.id()).propertyToken(),
                            LocalSystem.priceOfCents(4_600),
                            "test: a dip")
                    .send();
            asKeeper.flag(market, borrower);
            advance(LocalSystem.AUCTION_CURE_WINDOW_SECONDS + 1);
            started = asKeeper.auction(market).startAuction(market, borrower);
        }
        // The bot reads running auctions from the node: wait until the node has the start.
        BotChain.awaitNodeAt(grpcPort, market, borrower, started.blockNumber());
        try (FreeholdClient client =
                FreeholdClient.create(
                        FreeholdSettings.builder()
                                .target("127.0.0.1:" + grpcPort)
                                .tls(false)
                                .build())) {
            assertThat(client.position(market, borrower).actionability().inAuction()).isTrue();
        }
        BigInteger limit =
                LocalSystem.priceOfCents(4_600)
                        .multiply(BigInteger.valueOf(9))
                        .divide(BigInteger.TEN);
        assertThat(started.startPrice()).isGreaterThan(limit);

        Path state = dir.resolve("bot.state");
        Run above = run(state);
        assertThat(above.exit()).as(above.err()).isZero();
        assertThat(above.out())
                .contains("wait auction " + started.auctionId(), "0 auction take(s)")
                .doesNotContain("took ");
        assertThat(takenBy(BOT.getAddress())).isEmpty();

        // 3.5 hours of 6 down from 120% to 60% of $46: $39.10, under the $41.40 limit.
        advance(12_600);
        theNodesAuctionPreviewsTheContractsTake(borrower, started.auctionId());
        Run below = run(state);
        assertThat(below.exit()).as(below.err()).isZero();
        List<DutchAuction.AuctionTakenEventResponse> taken = takenBy(BOT.getAddress());
        assertThat(taken).hasSize(1);
        DutchAuction.AuctionTakenEventResponse t = taken.get(0);
        assertThat(t.price).isLessThanOrEqualTo(limit);
        assertThat(t.receiver).isEqualToIgnoringCase(BOT.getAddress());
        assertThat(t.debtLeft).isZero();
        assertThat(t.lotLeft).isPositive(); // the rest went back to the borrower
        assertThat(below.out())
                .contains(
                        "took " + Format.tokens(t.collateral),
                        "paid " + Format.dollars(t.paid),
                        "auction " + started.auctionId() + " ended: " + Format.tokens(t.lotLeft),
                        "1 auction take(s)");
    }

    /**
     * The SDK's preview of a take from the auction the node reports (its lot, tab and prices) is
     * the contract's take ({@code eth_call} at the position's block) to the wei, for all the lot.
     */
    private static void theNodesAuctionPreviewsTheContractsTake(Address borrower, long auctionId)
            throws Exception {
        Credentials taker = anvil.credentials(0); // verified, holds the stablecoin
        MockStablecoin.load(
                        deployment.stablecoin(),
                        anvil.web3j(),
                        anvil.transactionManager(taker),
                        LocalSystem.GAS)
                .approve(deployment.lendingPool(), io.freehold.types.Uint256.MAX)
                .send();
        long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        Position[] p = new Position[1];
        try (FreeholdClient client =
                FreeholdClient.create(
                        FreeholdSettings.builder()
                                .target("127.0.0.1:" + grpcPort)
                                .tls(false)
                                .build())) {
            await(
                    () -> {
                        p[0] = client.position(market, borrower);
                        return p[0].asOf().blockNumber() >= head;
                    });
        }
        Auction a = p[0].actionability().auction().orElseThrow();
        assertThat(a.auctionId()).isEqualTo(auctionId);
        TakePreview all = a.previewTake(io.freehold.types.Uint256.MAX);
        String data =
                LocalSystem.auction(anvil, deployment, taker)
                        .take(
                                BigInteger.valueOf(auctionId),
                                io.freehold.types.Uint256.MAX,
                                all.price(),
                                taker.getAddress())
                        .encodeFunctionCall();
        var answer =
                anvil.web3j()
                        .ethCall(
                                org.web3j.protocol.core.methods.request.Transaction
                                        .createEthCallTransaction(
                                                taker.getAddress(),
                                                deployment.dutchAuction(),
                                                data),
                                org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                                        BigInteger.valueOf(p[0].asOf().blockNumber())))
                        .send();
        assertThat(answer.hasError()).as(String.valueOf(answer.getError())).isFalse();
        String hex = answer.getValue().substring(2);
        assertThat(new BigInteger(hex.substring(0, 64), 16)).as("bought").isEqualTo(all.bought());
        assertThat(new BigInteger(hex.substring(64, 128), 16)).as("paid").isEqualTo(all.paid());
        assertThat(all.closesDebt()).isTrue();
    }

    private static FreeholdPool pool(Credentials who) {
        return FreeholdPool.builder()
                .web3j(anvil.web3j())
                .signer(who)
                .pool(address(deployment.lendingPool()))
                .chainId(anvil.chainId())
                .receiptPollInterval(Duration.ofMillis(20))
                .build();
    }

    private static AppraisalOracle oracle() {
        return AppraisalOracle.load(
                deployment.oracle(),
                anvil.web3j(),
                anvil.transactionManager(anvil.credentials(0)),
                LocalSystem.GAS);
    }

    private static Address address(Credentials who) {
        return address(who.getAddress());
    }

    private static Address address(String hex) {
        return Address.fromHex(hex.toLowerCase(Locale.ROOT));
    }

    /** Moves the chain's clock by {@code seconds} and mines a block there. */
    private static void advance(long seconds) throws Exception {
        rpc("evm_increaseTime", seconds);
        rpc("evm_mine");
    }

    private static void rpc(String method, Object... params) throws Exception {
        var answer =
                new Request<>(
                                method,
                                List.of(params),
                                new HttpService(anvil.rpcUrl()),
                                VoidResponse.class)
                        .send();
        if (answer.hasError()) {
            throw new IllegalStateException(method + ": " + answer.getError().getMessage());
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the node never reported the auction");
            }
            Thread.sleep(50);
        }
    }

    private Run run(Path state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                new LiquidationBot(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(
                                new String[] {
                                    "--rpc",
                                    anvil.rpcUrl(),
                                    "--node",
                                    "127.0.0.1:" + grpcPort,
                                    "--deployment",
                                    deploymentFile.toString(),
                                    "--state",
                                    state.toString(),
                                    "--auction-discount",
                                    "10",
                                    "--exit-when-idle",
                                    "3"
                                },
                                Map.of());
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<DutchAuction.AuctionTakenEventResponse> takenBy(String taker)
            throws Exception {
        var filter =
                new org.web3j.protocol.core.methods.request.EthFilter(
                        DefaultBlockParameterName.EARLIEST,
                        DefaultBlockParameterName.LATEST,
                        deployment.dutchAuction());
        List<DutchAuction.AuctionTakenEventResponse> found = new ArrayList<>();
        String topic = org.web3j.abi.EventEncoder.encode(DutchAuction.AUCTIONTAKEN_EVENT);
        for (var log : anvil.web3j().ethGetLogs(filter).send().getLogs()) {
            var l = (org.web3j.protocol.core.methods.response.Log) log.get();
            if (!l.getTopics().isEmpty() && l.getTopics().get(0).equals(topic)) {
                var e = DutchAuction.getAuctionTakenEventFromLog(l);
                if (e.taker.equalsIgnoreCase(taker)) {
                    found.add(e);
                }
            }
        }
        return found;
    }
}
