package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.RunningNode;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.HealthBand;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The real node (HTTP and gRPC servers, follower, risk engine, H2 store) against a real anvil,
 * reached over a real gRPC channel: status, markets and positions are the chain's own views to the
 * wei; pages add up; simulation knows the contract's borrow limit to the unit; bad input gets its
 * code and reason; the standard health and reflection services answer, so generic tools can explore
 * the API.
 */
class NodeApiTest {

    @TempDir static Path dir;

    private static RunningNode node;
    private static Anvil anvil;
    private static Deployment deployment;
    private static ManagedChannel channel;

    @BeforeAll
    static void startNode() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.confirmations",
                                4,
                                "freehold.node.poll-interval",
                                "200ms"));
        anvil = node.anvil;
        deployment = node.deployment;
        channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                        .usePlaintext()
                        .build();
        awaitApplied(head());
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
    void statusIsTheChainAsTheChainIs() throws Exception {
        long head = head();
        NodeStatus status = awaitApplied(head);
        assertThat(status.getChainId()).isEqualTo(anvil.chainId());
        assertThat(status.getHead()).isEqualTo(head);
        assertThat(status.getLagBlocks()).isZero();
        assertThat(status.getPhase()).isEqualTo("FOLLOWING");
        assertThat(status.getCursor().getBlockNumber()).isEqualTo(head);
        assertThat(status.getCursor().getBlockHash())
                .isEqualTo(
                        anvil.web3j()
                                .ethGetBlockByNumber(
                                        org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                                                java.math.BigInteger.valueOf(head)),
                                        false)
                                .send()
                                .getBlock()
                                .getHash());
        assertThat(status.getEndpointsList())
                .singleElement()
                .satisfies(e -> assertThat(e.getBreaker()).isEqualTo("CLOSED"));
        assertThat(status.getVersion()).isNotEmpty();
    }

    @Test
    void theStandardHealthServiceSaysServing() throws InterruptedException {
        // Caught up (see startNode); the health service follows within its refresh interval.
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        HealthCheckResponse health;
        do {
            health =
                    HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance());
            if (health.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
                Thread.sleep(50);
            }
        } while (health.getStatus() != HealthCheckResponse.ServingStatus.SERVING
                && System.nanoTime() < giveUp);
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsTheApi() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests =
                ServerReflectionGrpc.newStub(channel)
                        .serverReflectionInfo(
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(ServerReflectionResponse value) {
                                        answer.complete(value);
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        answer.completeExceptionally(t);
                                    }

                                    @Override
                                    public void onCompleted() {}
                                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        List<String> services =
                answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                        .map(s -> s.getName())
                        .toList();
        assertThat(services).contains("freehold.v1.NodeService", "grpc.health.v1.Health");
    }

    @Test
    void marketsAreTheChainsMarkets() throws Exception {
        var markets =
                MarketServiceGrpc.newBlockingStub(channel)
                        .listMarkets(ListMarketsRequest.getDefaultInstance());
        assertThat(markets.getMarketsList())
                .extracting(Market::getMarketId)
                .containsExactlyInAnyOrderElementsOf(
                        deployment.markets().values().stream().map(m -> m.id()).toList());
        String det = deployment.market("FH-DET-0412").id();
        Market m =
                MarketServiceGrpc.newBlockingStub(channel)
                        .getMarket(GetMarketRequest.newBuilder().setMarketId(det).build());
        LendingPool pool = pool(m.getAsOf().getBlockNumber());
        LendingPool.Market onChain = pool.market(Numeric.hexStringToByteArray(det)).send();
        assertThat(m.getTotalSupplyAssets()).isEqualTo(onChain.totalSupplyAssets.toString());
        assertThat(m.getTotalBorrowAssets()).isEqualTo(onChain.totalBorrowAssets.toString());
        assertThat(m.getTotalBorrowShares()).isEqualTo(onChain.totalBorrowShares.toString());
        assertThat(m.getTotalCollateral()).isEqualTo(onChain.totalCollateral.toString());
        // The rate the node reports is the pool's own view at the same block (accrued, from its
        // utilization).
        assertThat(m.getBorrowApr())
                .isEqualTo(
                        pool.borrowRate(Numeric.hexStringToByteArray(det))
                                .send()
                                .multiply(io.freehold.contracts.math.Rates.SECONDS_PER_YEAR)
                                .toString());
        assertThat(m.getAppraisal().getPrice())
                .isEqualTo(LocalSystem.priceOfCents(5_240).toString());
        assertThat(m.getAppraisal().getStale()).isFalse();
        assertThat(m.getFlagsList()).isEmpty();
        assertThat(m.getPositionsHealthy()).isEqualTo(1);
    }

    @Test
    void aPositionIsThePoolsViewOfItToTheWei() throws Exception {
        String det = deployment.market("FH-DET-0412").id();
        String borrower = deployment.accounts().borrower();
        Position p =
                PositionServiceGrpc.newBlockingStub(channel)
                        .getPosition(
                                GetPositionRequest.newBuilder()
                                        .setMarketId(det)
                                        .setAccount(borrower)
                                        .build());
        LendingPool.PositionView view =
                pool(p.getAsOf().getBlockNumber())
                        .position(Numeric.hexStringToByteArray(det), borrower)
                        .send();
        assertThat(p.getDebt()).isEqualTo(view.debt.toString());
        assertThat(p.getCollateral()).isEqualTo(view.collateral.toString());
        assertThat(p.getCollateralValue()).isEqualTo(view.collateralValue.toString());
        assertThat(p.getLtv()).isEqualTo(view.ltv.toString());
        assertThat(p.getHealthFactor()).isEqualTo(view.healthFactor.toString());
        assertThat(p.getLiquidationPrice()).isEqualTo(view.liquidationPrice.toString());
        assertThat(p.getMaxBorrowable()).isEqualTo(view.maxBorrowable.toString());
        assertThat(p.getBand()).isEqualTo(HealthBand.HEALTH_BAND_HEALTHY);
    }

    @Test
    void claimableRentIsThePoolsViewToTheWei_overGrpcAndTheSdk_afterRentIsPaidAndTimePasses()
            throws Exception {
        String det = deployment.market("FH-DET-0412").id();
        String token = deployment.market("FH-DET-0412").propertyToken();
        String borrower = deployment.accounts().borrower();
        var admin = anvil.credentials(0);
        var usd =
                io.freehold.contracts.generated.MockStablecoin.load(
                        deployment.stablecoin(),
                        anvil.web3j(),
                        anvil.transactionManager(admin),
                        LocalSystem.GAS);
        var property =
                io.freehold.contracts.generated.PropertyToken.load(
                        token, anvil.web3j(), anvil.transactionManager(admin), LocalSystem.GAS);
        // Rent in an odd amount, so the token's and the pool's divisions both round.
        java.math.BigInteger rent =
                LocalSystem.usd(3_210).add(java.math.BigInteger.valueOf(987_653));
        usd.mint(admin.getAddress(), rent).send();
        usd.approve(token, rent).send();
        property.depositRent(rent).send();
        var http = new org.web3j.protocol.http.HttpService(anvil.rpcUrl());
        new org.web3j.protocol.core.Request<>(
                        "evm_increaseTime",
                        List.of(7 * 86_400),
                        http,
                        org.web3j.protocol.core.methods.response.VoidResponse.class)
                .send();
        for (int i = 0; i < 3; i++) {
            new org.web3j.protocol.core.Request<>(
                            "evm_mine",
                            List.of(),
                            http,
                            org.web3j.protocol.core.methods.response.VoidResponse.class)
                    .send();
        }
        awaitApplied(head());

        // Still with the pool: the token owes it the rent, and the node reproduces the borrower's
        // part of it.
        Position p =
                PositionServiceGrpc.newBlockingStub(channel)
                        .getPosition(
                                GetPositionRequest.newBuilder()
                                        .setMarketId(det)
                                        .setAccount(borrower)
                                        .build());
        LendingPool.PositionView view =
                pool(p.getAsOf().getBlockNumber())
                        .position(Numeric.hexStringToByteArray(det), borrower)
                        .send();
        assertThat(view.claimableRent).isPositive();
        assertThat(p.getClaimableRent()).isEqualTo(view.claimableRent.toString());

        try (io.freehold.sdk.FreeholdClient client =
                io.freehold.sdk.FreeholdClient.create(
                        io.freehold.sdk.FreeholdSettings.builder()
                                .target("127.0.0.1:" + node.grpcPort())
                                .tls(false)
                                .build())) {
            io.freehold.sdk.Position sdk =
                    client.position(
                            io.freehold.types.MarketId.fromHex(det),
                            io.freehold.types.Address.fromHex(borrower));
            LendingPool.PositionView atSdk =
                    pool(sdk.asOf().blockNumber())
                            .position(Numeric.hexStringToByteArray(det), borrower)
                            .send();
            assertThat(sdk.claimableRent()).isEqualTo(atSdk.claimableRent);
            assertThat(sdk.claimableRent(6).baseUnits()).isEqualTo(atSdk.claimableRent);
        }
    }

    @Test
    void pagesAddUpToTheWholeListWithoutRepeats() {
        var stub = PositionServiceGrpc.newBlockingStub(channel);
        var all =
                stub.listPositions(ListPositionsRequest.newBuilder().setPageSize(1000).build())
                        .getPositionsList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(4); // the lender in three markets, the borrower
        java.util.List<Position> paged = new java.util.ArrayList<>();
        String token = "";
        do {
            var page =
                    stub.listPositions(
                            ListPositionsRequest.newBuilder()
                                    .setPageSize(1)
                                    .setPageToken(token)
                                    .build());
            assertThat(page.getPositionsCount()).isLessThanOrEqualTo(1);
            paged.addAll(page.getPositionsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(paged)
                .extracting(q -> q.getMarketId() + q.getAccount())
                .containsExactlyElementsOf(
                        all.stream().map(q -> q.getMarketId() + q.getAccount()).toList());
        var risky =
                stub.listPositions(
                                ListPositionsRequest.newBuilder()
                                        .setFilter(
                                                PositionFilter.newBuilder()
                                                        .setHealthFactorBelow(
                                                                "2000000000000000000"))
                                        .build())
                        .getPositionsList();
        assertThat(risky)
                .extracting(Position::getAccount)
                .containsExactly(deployment.accounts().borrower().toLowerCase());
    }

    /**
     * GetPosition and ListPositions answer over gRPC in bytes serialized once per position and
     * block: they are, byte for byte, what the messages the node builds for REST serialize to.
     */
    @Test
    void theReadsSendTheBytesTheirMessagesSerializeTo() throws Exception {
        PositionReads reads = node.server.getApplicationContext().getBean(PositionReads.class);
        var first = ListPositionsRequest.newBuilder().setPageSize(2).build();
        for (int attempt = 0; ; attempt++) {
            byte[] page = rawCall(PositionServiceGrpc.getListPositionsMethod(), first);
            byte[] again = rawCall(PositionServiceGrpc.getListPositionsMethod(), first); // cached
            ListPositionsResponse built = reads.list(first);
            Position one = built.getPositions(0);
            var get =
                    GetPositionRequest.newBuilder()
                            .setMarketId(one.getMarketId())
                            .setAccount(one.getAccount())
                            .build();
            byte[] position = rawCall(PositionServiceGrpc.getGetPositionMethod(), get);
            if (!ListPositionsResponse.parseFrom(page).getAsOf().equals(built.getAsOf())
                    || !Position.parseFrom(position).getAsOf().equals(built.getAsOf())) {
                assertThat(attempt).as("a block came between the reads every time").isLessThan(5);
                continue; // another test's block came between the reads
            }
            assertThat(built.getNextPageToken()).isNotEmpty();
            assertThat(page).isEqualTo(built.toByteArray()).isEqualTo(again);
            assertThat(position).isEqualTo(reads.get(get).toByteArray());
            assertThat(position).isEqualTo(one.toByteArray());
            return;
        }
    }

    /** The answer's bytes as they came over the wire. */
    private static <Q> byte[] rawCall(MethodDescriptor<Q, ?> method, Q request) throws Exception {
        MethodDescriptor<Q, byte[]> raw =
                method.toBuilder(
                                method.getRequestMarshaller(),
                                new MethodDescriptor.Marshaller<byte[]>() {
                                    @Override
                                    public java.io.InputStream stream(byte[] value) {
                                        return new java.io.ByteArrayInputStream(value);
                                    }

                                    @Override
                                    public byte[] parse(java.io.InputStream stream) {
                                        try {
                                            return stream.readAllBytes();
                                        } catch (java.io.IOException e) {
                                            throw new java.io.UncheckedIOException(e);
                                        }
                                    }
                                })
                        .build();
        return ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, request);
    }

    @Test
    void simulationKnowsTheContractsBorrowLimitToTheUnit() {
        String det = deployment.market("FH-DET-0412").id();
        String borrower = deployment.accounts().borrower();
        var stub = SimulationServiceGrpc.newBlockingStub(channel);
        SimulateRequest.Builder base =
                SimulateRequest.newBuilder().setMarketId(det).setAccount(borrower);
        SimulateResponse probe =
                stub.simulate(
                        base.clone().setPrice(LocalSystem.priceOfCents(5_240).toString()).build());
        java.math.BigInteger max = new java.math.BigInteger(probe.getBefore().getMaxBorrowable());
        SimulateResponse atMax = stub.simulate(base.clone().setBorrow(max.toString()).build());
        assertThat(atMax.getRevertReason()).isEmpty();
        assertThat(new java.math.BigInteger(atMax.getAfter().getMaxBorrowable()))
                .isLessThanOrEqualTo(java.math.BigInteger.ONE);
        SimulateResponse over =
                stub.simulate(
                        base.clone()
                                .setBorrow(max.add(java.math.BigInteger.ONE).toString())
                                .build());
        assertThat(over.getRevertReason()).isEqualTo("MaxLtvExceeded");
        SimulateResponse crash =
                stub.simulate(
                        base.clone().setPrice(LocalSystem.priceOfCents(3_500).toString()).build());
        assertThat(crash.getAfter().getBand()).isEqualTo(HealthBand.HEALTH_BAND_LIQUIDATABLE);
        assertThat(crash.getBefore().getBand()).isEqualTo(HealthBand.HEALTH_BAND_HEALTHY);
        // An Aave pool's reserve price is not a Freehold appraisal: named, not guessed.
        assertStatus(
                () ->
                        stub.simulate(
                                base.clone()
                                        .setAavePrice(
                                                io.freehold.proto.v1.AavePriceChange.newBuilder()
                                                        .setAsset(borrower)
                                                        .setPrice("1"))
                                        .build()),
                io.grpc.Status.Code.INVALID_ARGUMENT,
                "WRONG_PROTOCOL");
    }

    /**
     * The pool's new refusals, known to the simulation: a frozen owner can neither borrow nor
     * withdraw.
     */
    @Test
    void simulationRefusesAFrozenOwnerAsThePoolDoes() throws Exception {
        Deployment.MarketEntry det = deployment.market("FH-DET-0412");
        String borrower = deployment.accounts().borrower();
        var asAgent =
                io.freehold.contracts.generated.PropertyToken.load(
                        det.propertyToken(),
                        anvil.web3j(),
                        anvil.transactionManager(anvil.credentials(0)),
                        LocalSystem.GAS);
        var stub = SimulationServiceGrpc.newBlockingStub(channel);
        SimulateRequest.Builder base =
                SimulateRequest.newBuilder().setMarketId(det.id()).setAccount(borrower);
        asAgent.setFrozen(borrower, true).send();
        try {
            awaitApplied(head());
            assertThat(stub.simulate(base.clone().setBorrow("1").build()).getRevertReason())
                    .isEqualTo("OwnerNotAllowed");
            assertThat(
                            stub.simulate(base.clone().setWithdrawCollateral("1").build())
                                    .getRevertReason())
                    .isEqualTo("OwnerNotAllowed");
            assertThat(stub.simulate(base.clone().setRepay("1").build()).getRevertReason())
                    .isEmpty();
        } finally {
            asAgent.setFrozen(borrower, false).send();
            awaitApplied(head());
        }
        assertThat(stub.simulate(base.clone().setBorrow("1").build()).getRevertReason()).isEmpty();
    }

    @Test
    void malformedAndUnknownInputsGetTheirCodesAndReasons() {
        var positions = PositionServiceGrpc.newBlockingStub(channel);
        String det = deployment.market("FH-DET-0412").id();
        assertStatus(
                () ->
                        positions.getPosition(
                                GetPositionRequest.newBuilder()
                                        .setMarketId(det)
                                        .setAccount("0x1234")
                                        .build()),
                io.grpc.Status.Code.INVALID_ARGUMENT,
                "INVALID_ADDRESS");
        assertStatus(
                () ->
                        positions.getPosition(
                                GetPositionRequest.newBuilder()
                                        .setMarketId("0x" + "00".repeat(32))
                                        .setAccount(deployment.accounts().borrower())
                                        .build()),
                io.grpc.Status.Code.NOT_FOUND,
                "UNKNOWN_MARKET");
        assertStatus(
                () ->
                        positions.getPosition(
                                GetPositionRequest.newBuilder()
                                        .setMarketId(det)
                                        .setAccount("0x" + "77".repeat(20))
                                        .build()),
                io.grpc.Status.Code.NOT_FOUND,
                "UNKNOWN_POSITION");
        assertStatus(
                () ->
                        positions.listPositions(
                                ListPositionsRequest.newBuilder().setPageToken("bogus").build()),
                io.grpc.Status.Code.INVALID_ARGUMENT,
                "INVALID_PAGE");
        assertStatus(
                () ->
                        SimulationServiceGrpc.newBlockingStub(channel)
                                .simulate(
                                        SimulateRequest.newBuilder()
                                                .setMarketId(det)
                                                .setAccount(deployment.accounts().borrower())
                                                .setBorrow("-5")
                                                .build()),
                io.grpc.Status.Code.INVALID_ARGUMENT,
                "INVALID_AMOUNT");
    }

    private static void assertStatus(Runnable call, io.grpc.Status.Code code, String reason) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        io.grpc.StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            try {
                                assertThat(
                                                io.grpc.protobuf.StatusProto.fromThrowable(e)
                                                        .getDetails(0)
                                                        .unpack(com.google.rpc.ErrorInfo.class)
                                                        .getReason())
                                        .isEqualTo(reason);
                            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                                throw new AssertionError(x);
                            }
                        });
    }

    private static LendingPool pool(long block) {
        LendingPool pool =
                LendingPool.load(
                        deployment.lendingPool(),
                        anvil.web3j(),
                        new org.web3j.tx.ReadonlyTransactionManager(
                                anvil.web3j(), deployment.accounts().admin()),
                        LocalSystem.GAS);
        pool.setDefaultBlockParameter(
                org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                        java.math.BigInteger.valueOf(block)));
        return pool;
    }

    private static long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    /**
     * Polls GetStatus until the node has applied {@code block} (no timing assertion: a generous
     * deadline).
     */
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
