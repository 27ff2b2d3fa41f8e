package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.AuctionViews;
import io.freehold.node.liquidation.decide.RevertDecoder;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.freehold.proto.v1.TakeChange;
import io.freehold.proto.v1.TakeError;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Simulate} with a take, against {@code eth_call} of {@code DutchAuction.take} at the same
 * block on a real anvil: a part of the lot and all of it cost and return exactly what the contract
 * does, and each refusal is the contract's (no auction, past its end, above the max price, more
 * than is left, nothing). The node watches only (its keeper does not touch the auction).
 */
class TakeSimulationTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final BigInteger UNDER_THE_FLOOR = new BigInteger("850000000000000000");

    @TempDir static Path dir;

    private static LiquidationChain chain;
    private static ApplicationContext context;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        chain = LiquidationChain.startWithAuctionMarket();
        Map<String, Object> props = chain.executingNode(dir);
        props.put("freehold.node.liquidator.mode", "watch");
        context = ApplicationContext.run(props);
        channel =
                ManagedChannelBuilder.forAddress(
                                "127.0.0.1", context.getBean(GrpcEmbeddedServer.class).getPort())
                        .usePlaintext()
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (context != null) {
            context.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void aTakeCostsAndReturnsWhatTheAuctionsTakeDoesAndRefusesAsItDoes() throws Exception {
        // Under the hard floor: no window, the auction may start at once.
        chain.appraiseAuctionTo(UNDER_THE_FLOOR);
        long before = chain.head();
        awaitPosition(before);
        BigInteger all = Uint256.MAX;
        assertRefused(simulate("1000", ""), TakeError.TAKE_ERROR_NO_AUCTION);
        assertThat(callTake(BigInteger.ONE, BigInteger.ONE, all, before))
                .isEqualTo(Optional.of("AuctionNotActive"));

        chain.auction(chain.liquidator)
                .start(
                        NodeKeepsAuctionsTest.bytes(chain.auctionMarket.hex()),
                        chain.borrower.hex(),
                        chain.liquidator.getAddress())
                .send();
        chain.advance(Duration.ofMinutes(90));
        long block = chain.head();
        Position p = awaitPosition(block);
        BigInteger id = BigInteger.valueOf(p.getAuction().getAuctionId());
        BigInteger lot = new BigInteger(p.getCollateral());

        // A third of the lot, then all of it: to the wei what take returns at that block.
        for (BigInteger collateral : new BigInteger[] {lot.divide(BigInteger.valueOf(3)), all}) {
            SimulateResponse quoted = simulate(collateral.toString(), all.toString());
            assertThat(quoted.getRevertReason()).isEmpty();
            assertThat(quoted.getTake().getAtTimestamp()).isEqualTo(chain.timestamp(block));
            AuctionViews.TakeResult onChain = takeResult(id, collateral, all, block);
            assertThat(quoted.getTake().getCollateralTaken())
                    .isEqualTo(onChain.bought().toString());
            assertThat(quoted.getTake().getLoanPaid()).isEqualTo(onChain.paid().toString());
            assertThat(quoted.getTake().getPrice())
                    .isEqualTo(
                            chain.auction(chain.admin)
                                    .priceAt(id, BigInteger.valueOf(chain.timestamp(block)))
                                    .send()
                                    .toString());
        }
        // All of it clears the debt: the rest of the lot goes back to the borrower.
        SimulateResponse whole = simulate(all.toString(), "");
        assertThat(whole.getTake().getEndsAuction()).isTrue();
        assertThat(new BigInteger(whole.getTake().getCollateralReturned()))
                .isEqualTo(lot.subtract(new BigInteger(whole.getTake().getCollateralTaken())))
                .isPositive();
        assertThat(whole.getTake().getDebtLeft()).isEqualTo("0");
        assertThat(whole.getTake().getLoanPaid()).isEqualTo(p.getDebt());

        // The refusals, each the contract's.
        assertRefused(simulate("1000", "1"), TakeError.TAKE_ERROR_ABOVE_MAX_PRICE);
        assertThat(callTake(id, BigInteger.valueOf(1000), BigInteger.ONE, block))
                .isEqualTo(Optional.of("PriceAboveLimit"));
        assertRefused(
                simulate(lot.add(BigInteger.ONE).toString(), ""),
                TakeError.TAKE_ERROR_MORE_THAN_LEFT);
        assertThat(callTake(id, lot.add(BigInteger.ONE), all, block))
                .isEqualTo(Optional.of("TakeExceedsLot"));
        assertRefused(simulate("0", ""), TakeError.TAKE_ERROR_ZERO);
        assertThat(callTake(id, BigInteger.ZERO, all, block)).isEqualTo(Optional.of("ZeroTake"));

        // The same over REST.
        EmbeddedServer http = context.getBean(EmbeddedServer.class);
        if (!http.isRunning()) {
            http.start();
        }
        HttpResponse<String> rest =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + http.getPort()
                                                                + "/v1/markets/"
                                                                + chain.auctionMarket.hex()
                                                                + "/positions/"
                                                                + chain.borrower.hex()
                                                                + "/simulate?take_collateral="
                                                                + all
                                                                + "&take_max_price="
                                                                + all))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).isEqualTo(200);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(rest.body());
        assertThat(json.path("take").path("loanPaid").asText())
                .isEqualTo(whole.getTake().getLoanPaid());

        // Past its end nobody can take until it is restarted.
        chain.advance(Duration.ofHours(5));
        long late = chain.head();
        awaitPosition(late);
        assertRefused(simulate("1000", ""), TakeError.TAKE_ERROR_NEEDS_RESTART);
        assertThat(callTake(id, BigInteger.valueOf(1000), all, late))
                .isEqualTo(Optional.of("AuctionNeedsRestart"));
    }

    private static void assertRefused(SimulateResponse r, TakeError error) {
        assertThat(r.getTakeError()).isEqualTo(error);
        assertThat(r.hasTake()).isFalse();
    }

    private static SimulateResponse simulate(String collateral, String maxPrice) {
        return SimulationServiceGrpc.newBlockingStub(channel)
                .simulate(
                        SimulateRequest.newBuilder()
                                .setMarketId(chain.auctionMarket.hex())
                                .setAccount(chain.borrower.hex())
                                .setTake(
                                        TakeChange.newBuilder()
                                                .setCollateral(collateral)
                                                .setMaxPrice(maxPrice))
                                .build());
    }

    /**
     * The revert name of the real take from the liquidator (a verified holder) at {@code block}.
     */
    private static Optional<String> callTake(
            BigInteger id, BigInteger collateral, BigInteger maxPrice, long block) {
        try (LiquidatorRpc rpc = chain.rpc()) {
            LiquidatorRpc.CallResult r =
                    rpc.call(
                            Address.of(chain.liquidator.getAddress()),
                            Address.of(chain.deployment.dutchAuction()),
                            AuctionViews.take(
                                            id.longValueExact(),
                                            collateral,
                                            maxPrice,
                                            Address.of(chain.liquidator.getAddress()))
                                    .data(),
                            block);
            return r.reverted()
                    ? Optional.of(RevertDecoder.decode(r.revertData()).name())
                    : Optional.empty();
        }
    }

    private static AuctionViews.TakeResult takeResult(
            BigInteger id, BigInteger collateral, BigInteger maxPrice, long block) {
        try (LiquidatorRpc rpc = chain.rpc()) {
            var view =
                    AuctionViews.take(
                            id.longValueExact(),
                            collateral,
                            maxPrice,
                            Address.of(chain.liquidator.getAddress()));
            LiquidatorRpc.CallResult r =
                    rpc.call(
                            Address.of(chain.liquidator.getAddress()),
                            Address.of(chain.deployment.dutchAuction()),
                            view.data(),
                            block);
            assertThat(r.reverted()).as("take at block %s", block).isFalse();
            return view.decode(r.returnData());
        }
    }

    private static Position awaitPosition(long block) throws Exception {
        return Waiting.position(channel, chain.auctionMarket, chain.borrower, block);
    }
}
