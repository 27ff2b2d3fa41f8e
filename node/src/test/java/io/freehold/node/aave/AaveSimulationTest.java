package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorInfo;
import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.node.api.http.SchemaCheck;
import io.freehold.proto.v1.AaveAccount;
import io.freehold.proto.v1.AavePriceChange;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.freehold.types.Address;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;

/**
 * {@code Simulate} with {@code aave_price} on a node following the real local Aave v3 market: the
 * property token's price 30 % down for a borrower, simulated; then the same price really set on
 * chain in blocks at the simulated block's timestamp: the simulated {@code after} equals {@code
 * getUserAccountData} there, to the wei, and the node's own position once it applies them. The
 * simulation leaves the published book as it was; bad input is refused as on the Freehold surface.
 */
class AaveSimulationTest {

    @TempDir Path dir;

    @Test
    void aSimulatedPriceDropEqualsThePoolAfterTheRealDrop() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            chain.fund(lender);
            chain.fund(borrower);
            // 60 % of what the pool lends (healthy after the drop), in USDC (base units 1e8 USD to
            // 1e6 USDC at $1).
            chain.openLoan(lender, 1_000_000, borrower, 1_000, 60);
            chain.passTime(30 * 24 * 3600); // interest: indexes away from one

            Map<String, Object> props = chain.nodeProperties(dir);
            props.put("micronaut.server.port", 0); // the REST mirror too
            EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
            ManagedChannel channel = null;
            try {
                int port =
                        server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
                channel =
                        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                var node = NodeServiceGrpc.newBlockingStub(channel);
                var positions = PositionServiceGrpc.newBlockingStub(channel);
                var markets = MarketServiceGrpc.newBlockingStub(channel);
                var simulation = SimulationServiceGrpc.newBlockingStub(channel);
                String market = AaveReads.marketId(Address.of(chain.market.pool())).hex();
                String account = borrower.address();
                GetPositionRequest positionRequest =
                        GetPositionRequest.newBuilder()
                                .setMarketId(market)
                                .setAccount(account)
                                .build();

                long block = chain.head();
                awaitApplied(node, block);
                Position published = positions.getPosition(positionRequest);
                BigInteger dropped =
                        AaveLocalMarket.PROPERTY_PRICE
                                .multiply(BigInteger.valueOf(7))
                                .divide(BigInteger.TEN);
                SimulateRequest request =
                        SimulateRequest.newBuilder()
                                .setMarketId(market)
                                .setAccount(account)
                                .setAavePrice(
                                        AavePriceChange.newBuilder()
                                                .setAsset(chain.property())
                                                .setPrice(dropped.toString()))
                                .build();
                SimulateResponse simulated = simulation.simulate(request);

                assertThat(simulated.getBefore()).isEqualTo(published);
                Position after = simulated.getAfter();
                assertThat(after.getAsOf()).isEqualTo(published.getAsOf());
                assertThat(new BigInteger(after.getHealthFactor()))
                        .as("a lower collateral price, a lower health factor")
                        .isLessThan(new BigInteger(published.getHealthFactor()));
                assertThat(after.getAave().getTotalDebtBase())
                        .isEqualTo(published.getAave().getTotalDebtBase());

                // The REST mirror answers the same message.
                SimulateResponse.Builder rest = SimulateResponse.newBuilder();
                JsonFormat.parser()
                        .merge(
                                get(
                                        server.getURI(),
                                        "/v1/markets/"
                                                + market
                                                + "/positions/"
                                                + account
                                                + "/simulate?asset="
                                                + chain.property()
                                                + "&price="
                                                + dropped,
                                        200),
                                rest);
                assertThat(rest.build()).isEqualTo(simulated);

                // Every REST answer of an Aave node is as the OpenAPI document it serves says:
                // the aave objects, protocol and the simulation included.
                Map<String, Object> document =
                        new org.yaml.snakeyaml.Yaml()
                                .load(get(server.getURI(), "/v1/openapi.yaml", 200));
                SchemaCheck schemas = new SchemaCheck(document);
                String simulate =
                        "/v1/markets/"
                                + market
                                + "/positions/"
                                + account
                                + "/simulate?asset="
                                + chain.property()
                                + "&price="
                                + dropped;
                Map<String, String> answers =
                        Map.of(
                                "/v1/status",
                                "/v1/status",
                                "/v1/markets",
                                "/v1/markets",
                                "/v1/markets/{marketId}",
                                "/v1/markets/" + market,
                                "/v1/positions",
                                "/v1/positions",
                                "/v1/markets/{marketId}/positions/{account}",
                                "/v1/markets/" + market + "/positions/" + account,
                                "/v1/markets/{marketId}/positions/{account}/simulate",
                                simulate);
                for (Map.Entry<String, String> route : answers.entrySet()) {
                    String body = get(server.getURI(), route.getValue(), 200);
                    assertThat(
                                    schemas.check(
                                            JSON.readValue(body, Map.class),
                                            SchemaCheck.okSchema(document, route.getKey())))
                            .as("%s: %s", route.getValue(), body)
                            .isEmpty();
                }
                assertThat(get(server.getURI(), simulate, 200))
                        .as("the answers carry the aave objects the document describes")
                        .contains("\"aave\"", "\"aave-v3\"", "\"scaledATokenBalance\"");
                assertThat(get(server.getURI(), "/v1/markets/" + market, 200))
                        .contains("\"normalizedVariableDebt\"");

                // The published book is not changed by the simulation.
                assertThat(positions.getPosition(positionRequest)).isEqualTo(published);
                assertThat(
                                markets
                                        .getMarket(
                                                GetMarketRequest.newBuilder()
                                                        .setMarketId(market)
                                                        .build())
                                        .getAave()
                                        .getReservesList()
                                        .stream()
                                        .filter(
                                                r ->
                                                        r.getAsset()
                                                                .equalsIgnoreCase(chain.property()))
                                        .findFirst()
                                        .orElseThrow()
                                        .getPrice())
                        .isEqualTo(AaveLocalMarket.PROPERTY_PRICE.toString());
                assertThat(
                                server.getApplicationContext()
                                        .getBean(AaveFollowingService.class)
                                        .follower()
                                        .applied()
                                        .orElseThrow()
                                        .book()
                                        .price(Address.of(chain.property())))
                        .isEqualTo(AaveLocalMarket.PROPERTY_PRICE);

                // The real drop, in blocks at the simulated block's timestamp (no interest
                // between).
                long timestamp = published.getAsOfTimestamp();
                chain.rpc("anvil_setBlockTimestampInterval", 0);
                chain.setPropertyPrice(dropped);
                chain.rpc("anvil_removeBlockTimestampInterval");
                long changed = chain.head();
                assertThat(changed).isGreaterThan(block);
                assertThat(
                                chain.anvil
                                        .web3j()
                                        .ethGetBlockByNumber(
                                                DefaultBlockParameter.valueOf(
                                                        BigInteger.valueOf(changed)),
                                                false)
                                        .send()
                                        .getBlock()
                                        .getTimestamp()
                                        .longValueExact())
                        .isEqualTo(timestamp);
                AccountData pool = chain.accountData(account, changed);
                AaveAccount figures = after.getAave();
                assertThat(figures.getTotalCollateralBase())
                        .isEqualTo(pool.totalCollateralBase().toString());
                assertThat(figures.getTotalDebtBase()).isEqualTo(pool.totalDebtBase().toString());
                assertThat(figures.getAvailableBorrowsBase())
                        .isEqualTo(pool.availableBorrowsBase().toString());
                assertThat(figures.getCurrentLiquidationThreshold())
                        .isEqualTo(pool.currentLiquidationThreshold().toString());
                assertThat(figures.getLtv()).isEqualTo(pool.ltv().toString());
                assertThat(figures.getHealthFactor()).isEqualTo(pool.healthFactor().toString());
                assertThat(after.getHealthFactor()).isEqualTo(pool.healthFactor().toString());

                // And what the node serves once it applies the drop.
                awaitApplied(node, changed);
                Position real = positions.getPosition(positionRequest);
                assertThat(real.getAave()).isEqualTo(after.getAave());
                assertThat(real.getHealthFactor()).isEqualTo(after.getHealthFactor());
                assertThat(real.getBand()).isEqualTo(after.getBand());

                // Bad input, refused with the Freehold surface's codes and reasons.
                SimulateRequest.Builder base = request.toBuilder();
                refused(
                        () -> simulation.simulate(priced(base, "0x" + "12".repeat(20), "1")),
                        Status.Code.NOT_FOUND,
                        "UNKNOWN_ASSET");
                refused(
                        () -> simulation.simulate(priced(base, "0x12", "1")),
                        Status.Code.INVALID_ARGUMENT,
                        "INVALID_ADDRESS");
                for (String bad :
                        new String[] {
                            "-1",
                            "0",
                            "1.5",
                            BigInteger.ONE.shiftLeft(255).toString(),
                            BigInteger.ONE.shiftLeft(256).toString()
                        }) {
                    refused(
                            () -> simulation.simulate(priced(base, chain.property(), bad)),
                            Status.Code.INVALID_ARGUMENT,
                            "INVALID_AMOUNT");
                }
                refused(
                        () -> simulation.simulate(base.clone().setAccount("0xnope").build()),
                        Status.Code.INVALID_ARGUMENT,
                        "INVALID_ADDRESS");
                refused(
                        () ->
                                simulation.simulate(
                                        base.clone()
                                                .setAccount(chain.account(9).address())
                                                .build()),
                        Status.Code.NOT_FOUND,
                        "UNKNOWN_POSITION");
                refused(
                        () ->
                                simulation.simulate(
                                        base.clone().setMarketId("0x" + "11".repeat(32)).build()),
                        Status.Code.NOT_FOUND,
                        "UNKNOWN_MARKET");
                refused(
                        () -> simulation.simulate(base.clone().setPrice("1").build()),
                        Status.Code.INVALID_ARGUMENT,
                        "WRONG_PROTOCOL");
                refused(
                        () -> simulation.simulate(base.clone().setBorrow("1").build()),
                        Status.Code.UNIMPLEMENTED,
                        "NOT_ON_AAVE");
                refused(
                        () -> simulation.simulate(base.clone().clearChange().build()),
                        Status.Code.INVALID_ARGUMENT,
                        "MISSING_FIELD");
                get(
                        server.getURI(),
                        "/v1/markets/"
                                + market
                                + "/positions/"
                                + account
                                + "/simulate?asset="
                                + chain.property()
                                + "&price=-1",
                        400);
            } finally {
                if (channel != null) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                server.getApplicationContext().close();
            }
        }
    }

    private static SimulateRequest priced(
            SimulateRequest.Builder base, String asset, String price) {
        return base.clone()
                .setAavePrice(AavePriceChange.newBuilder().setAsset(asset).setPrice(price))
                .build();
    }

    /** Waits until the node reports {@code block} applied. */
    private static void awaitApplied(NodeServiceGrpc.NodeServiceBlockingStub node, long block)
            throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        NodeStatus status = node.getStatus(GetStatusRequest.getDefaultInstance());
        while (status.getCursor().getBlockNumber() < block && System.nanoTime() < giveUp) {
            Thread.sleep(10);
            status = node.getStatus(GetStatusRequest.getDefaultInstance());
        }
        assertThat(status.getCursor().getBlockNumber()).as("applied block").isEqualTo(block);
    }

    private static void refused(Runnable call, Status.Code code, String reason) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            try {
                                assertThat(
                                                StatusProto.fromThrowable(e)
                                                        .getDetails(0)
                                                        .unpack(ErrorInfo.class)
                                                        .getReason())
                                        .as(e.getMessage())
                                        .isEqualTo(reason);
                            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                                throw new AssertionError(x);
                            }
                        });
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private static String get(URI base, String path, int status) throws Exception {
        HttpResponse<String> answer =
                HTTP.send(
                        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(status);
        return answer.body();
    }
}
