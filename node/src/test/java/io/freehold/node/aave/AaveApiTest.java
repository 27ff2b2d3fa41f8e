package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.proto.v1.AaveAccount;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.types.Address;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A node run with {@code freehold.node.protocol=aave-v3} against the real local Aave v3 market,
 * read through {@code freehold.v1} over gRPC while a seeded history with two reorgs goes on: once
 * the node reports the chain's head (number and hash) as applied, every account's {@code
 * GetPosition} and every page of {@code ListPositions} carry {@code getUserAccountData}'s six
 * figures at that block, to the wei, and {@code ListMarkets} the reserves' prices and indexes.
 */
class AaveApiTest {

    private static final int STEPS = 24;

    @TempDir Path dir;

    @Test
    void positionsAndMarketsEqualThePoolAtTheAppliedBlockThroughReorgs() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            AaveHistory history = new AaveHistory(chain, new Random(77));
            history.setUp();
            EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props(chain));
            ManagedChannel channel = null;
            try {
                int port =
                        server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
                channel =
                        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                Api api = new Api(channel, server.getURI());
                history.checkWith(() -> compare(chain, history, api));
                history.check();
                for (int i = 0; i < STEPS; i++) {
                    if (i == STEPS / 3 || i == 2 * STEPS / 3) {
                        history.reorg();
                    } else {
                        history.randomStep();
                    }
                    history.check();
                }
                history.crash();
                assertThat(history.borrowed).isPositive();
                assertThat(history.maxDebtSeen).isPositive();
                assertThat(history.checks).isGreaterThan(50);
                assertThat(history.liquidatableSeen)
                        .as("steps with a liquidatable account")
                        .isPositive();
                AaveFollower follower =
                        server.getApplicationContext()
                                .getBean(AaveFollowingService.class)
                                .follower();
                assertThat(follower.reorgs())
                        .as("reorgs undone from the node's snapshots")
                        .isEqualTo(2);

                // What is not there is refused as for Freehold's markets.
                String market = AaveReads.marketId(Address.of(chain.market.pool())).hex();
                assertThatThrownBy(
                                () ->
                                        api.positions.getPosition(
                                                GetPositionRequest.newBuilder()
                                                        .setMarketId(market)
                                                        .setAccount(chain.account(9).address())
                                                        .build()))
                        .isInstanceOfSatisfying(
                                StatusRuntimeException.class,
                                e ->
                                        assertThat(e.getStatus().getCode())
                                                .isEqualTo(Status.Code.NOT_FOUND));
                assertThatThrownBy(
                                () ->
                                        api.markets.getMarket(
                                                GetMarketRequest.newBuilder()
                                                        .setMarketId("0x" + "11".repeat(32))
                                                        .build()))
                        .isInstanceOfSatisfying(
                                StatusRuntimeException.class,
                                e ->
                                        assertThat(e.getStatus().getCode())
                                                .isEqualTo(Status.Code.NOT_FOUND));
            } finally {
                if (channel != null) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                server.getApplicationContext().close();
            }
        }
    }

    private record Api(
            NodeServiceGrpc.NodeServiceBlockingStub node,
            MarketServiceGrpc.MarketServiceBlockingStub markets,
            PositionServiceGrpc.PositionServiceBlockingStub positions,
            URI rest) {
        Api(ManagedChannel channel, URI rest) {
            this(
                    NodeServiceGrpc.newBlockingStub(channel),
                    MarketServiceGrpc.newBlockingStub(channel),
                    PositionServiceGrpc.newBlockingStub(channel),
                    rest);
        }

        /** {@code GET path} on the REST mirror, parsed into {@code into}. */
        <T extends Message.Builder> T get(String path, T into) throws Exception {
            HttpResponse<String> answer =
                    HTTP.send(
                            HttpRequest.newBuilder(rest.resolve(path)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
            JsonFormat.parser().merge(answer.body(), into);
            return into;
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Waits until the node has applied the chain's head, then compares everything there. */
    private static void compare(AaveChain chain, AaveHistory history, Api api) throws Exception {
        var head =
                chain.anvil
                        .web3j()
                        .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                        .send()
                        .getBlock();
        long number = head.getNumber().longValueExact();
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        NodeStatus status = api.node.getStatus(GetStatusRequest.getDefaultInstance());
        while (!(status.getCursor().getBlockNumber() == number
                        && status.getCursor().getBlockHash().equalsIgnoreCase(head.getHash()))
                && System.nanoTime() < giveUp) {
            Thread.sleep(10);
            status = api.node.getStatus(GetStatusRequest.getDefaultInstance());
        }
        assertThat(status.getCursor().getBlockHash())
                .as("the node's applied block after %s", history.log)
                .isEqualToIgnoringCase(head.getHash());
        assertThat(status.getProtocol()).isEqualTo("aave-v3");

        String marketId = AaveReads.marketId(Address.of(chain.market.pool())).hex();
        ListMarketsResponse markets =
                api.markets.listMarkets(ListMarketsRequest.getDefaultInstance());
        assertThat(markets.getMarketsList()).hasSize(1);
        Market market = markets.getMarkets(0);
        assertThat(market.getMarketId()).isEqualTo(marketId);
        assertThat(market.getProtocol()).isEqualTo("aave-v3");
        assertThat(market.getAsOf().getBlockNumber()).isEqualTo(number);
        assertThat(market.getAave().getReservesList()).hasSize(2);
        for (var reserve : market.getAave().getReservesList()) {
            assertThat(new BigInteger(reserve.getPrice()))
                    .as("price of %s", reserve.getAsset())
                    .isEqualTo(
                            chain.uintCall(
                                    chain.market.oracle(),
                                    "getAssetPrice",
                                    reserve.getAsset(),
                                    number));
            assertThat(new BigInteger(reserve.getNormalizedVariableDebt()))
                    .isEqualTo(
                            chain.uintCall(
                                    chain.market.pool(),
                                    "getReserveNormalizedVariableDebt",
                                    reserve.getAsset(),
                                    number));
            assertThat(new BigInteger(reserve.getNormalizedIncome()))
                    .isEqualTo(
                            chain.uintCall(
                                    chain.market.pool(),
                                    "getReserveNormalizedIncome",
                                    reserve.getAsset(),
                                    number));
        }

        // Every page of the accounts with debt, two at a time.
        Map<String, Position> listed = new HashMap<>();
        String token = "";
        do {
            ListPositionsResponse page =
                    api.positions.listPositions(
                            ListPositionsRequest.newBuilder()
                                    .setFilter(PositionFilter.newBuilder().setMarketId(marketId))
                                    .setPageSize(2)
                                    .setPageToken(token)
                                    .build());
            assertThat(page.getAsOf().getBlockNumber()).isEqualTo(number);
            for (Position p : page.getPositionsList()) {
                listed.put(p.getAccount(), p);
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        List<String> withDebt = new ArrayList<>();
        for (ChainWriter account : history.accounts()) {
            AccountData expected = chain.accountData(account.address(), number);
            String hex = Address.of(account.address()).hex();
            if (expected.totalDebtBase().signum() > 0) {
                withDebt.add(hex);
            }
            if (expected.totalCollateralBase().signum() == 0
                    && expected.totalDebtBase().signum() == 0) {
                continue; // may hold nothing at all: NOT_FOUND is right then
            }
            Position position =
                    api.positions.getPosition(
                            GetPositionRequest.newBuilder()
                                    .setMarketId(marketId)
                                    .setAccount(account.address())
                                    .build());
            assertThat(position.getAsOf().getBlockNumber()).isEqualTo(number);
            assertThat(position.getProtocol()).isEqualTo("aave-v3");
            assertThat(figures(position.getAave()))
                    .as("%s at block %d after %s", hex, number, history.log)
                    .isEqualTo(expected);
            assertThat(position.getHealthFactor()).isEqualTo(expected.healthFactor().toString());
            Position rest =
                    api.get(
                                    "/v1/markets/" + marketId + "/positions/" + account.address(),
                                    Position.newBuilder())
                            .build();
            assertThat(rest).as("REST and gRPC answer the same message").isEqualTo(position);
            if (listed.containsKey(hex)) {
                assertThat(figures(listed.get(hex).getAave())).isEqualTo(expected);
            }
            history.maxDebtSeen = history.maxDebtSeen.max(expected.totalDebtBase());
            history.checks++;
        }
        assertThat(listed.keySet())
                .as("ListPositions: the accounts with debt")
                .containsExactlyInAnyOrderElementsOf(withDebt);

        // The liquidatable ones: health factor below one, as the pool has it.
        List<String> liquidatable = new ArrayList<>();
        for (ChainWriter account : history.accounts()) {
            AccountData expected = chain.accountData(account.address(), number);
            if (expected.totalDebtBase().signum() > 0
                    && expected.healthFactor().compareTo(BigInteger.TEN.pow(18)) < 0) {
                liquidatable.add(Address.of(account.address()).hex());
            }
        }
        ListPositionsResponse below =
                api.positions.listPositions(
                        ListPositionsRequest.newBuilder()
                                .setFilter(
                                        PositionFilter.newBuilder()
                                                .setHealthFactorBelow("1000000000000000000"))
                                .build());
        assertThat(
                        api.get(
                                        "/v1/positions?health_factor_below=1000000000000000000",
                                        ListPositionsResponse.newBuilder())
                                .build())
                .as("the REST mirror")
                .isEqualTo(below);
        assertThat(below.getPositionsList().stream().map(Position::getAccount).toList())
                .as("health_factor_below 1")
                .containsExactlyInAnyOrderElementsOf(liquidatable);
        history.liquidatableSeen += liquidatable.size();
    }

    private static AccountData figures(AaveAccount a) {
        return new AccountData(
                new BigInteger(a.getTotalCollateralBase()),
                new BigInteger(a.getTotalDebtBase()),
                new BigInteger(a.getAvailableBorrowsBase()),
                new BigInteger(a.getCurrentLiquidationThreshold()),
                new BigInteger(a.getLtv()),
                new BigInteger(a.getHealthFactor()));
    }

    private Map<String, Object> props(AaveChain chain) {
        Map<String, Object> props = chain.nodeProperties(dir);
        props.put("micronaut.server.port", 0); // the REST routes are tested too
        return props;
    }
}
