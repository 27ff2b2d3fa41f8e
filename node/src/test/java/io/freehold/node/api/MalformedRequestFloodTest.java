package io.freehold.node.api;

import static io.freehold.node.api.MalformedInputs.badAddress;
import static io.freehold.node.api.MalformedInputs.badAmount;
import static io.freehold.node.api.MalformedInputs.badMarket;
import static io.freehold.node.api.MalformedInputs.badPageToken;
import static io.freehold.node.api.MalformedInputs.nonEmpty;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import io.freehold.node.RunningNode;
import io.freehold.node.api.MalformedInputs.Bad;
import io.freehold.proto.v1.ErrorReason;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.RequestLiquidationRequest;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated flood of malformed requests over the real gRPC server, to every method that takes
 * input, with an admin token (so the admin call reaches its validation too): bad hex, bad
 * checksums, wrong lengths, negative, fractional and oversized amounts, unknown markets and
 * positions, empty fields, bogus page tokens. Every one gets INVALID_ARGUMENT or NOT_FOUND with an
 * ErrorInfo of domain freehold.v1 and a documented reason, the refused input is in the metadata and
 * not in the message, and afterwards the node is unchanged and serving. Seeded: a failure names its
 * seed.
 */
class MalformedRequestFloodTest {

    private static final long SEED = 20261126L;
    private static final int REQUESTS = 600;
    private static final Set<String> REASONS =
            Arrays.stream(ErrorReason.values()).map(Enum::name).collect(Collectors.toSet());

    @TempDir static Path dir;

    private static RunningNode node;
    private static ManagedChannel channel;
    private static String market;
    private static String borrower;

    @BeforeAll
    static void start() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.api.tokens.flood",
                                "admin:flood-secret-0123456789",
                                "freehold.node.api.requests-per-second",
                                1_000_000));
        Metadata auth = new Metadata();
        auth.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer flood-secret-0123456789");
        channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                        .usePlaintext()
                        .intercept(MetadataUtils.newAttachHeadersInterceptor(auth))
                        .build();
        market = node.deployment.market("FH-DET-0412").id();
        borrower = node.deployment.accounts().borrower();
        long head = node.head();
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (status().getAppliedBlock() < head && System.nanoTime() < giveUp) {
            Thread.sleep(100);
        }
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
    void everyMalformedRequestIsRefusedWithItsReasonAndChangesNothing() {
        io.freehold.proto.v1.NodeStatus before = status();
        ListPositionsResponse positionsBefore =
                positions()
                        .listPositions(ListPositionsRequest.newBuilder().setPageSize(1000).build());

        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Bad address = badAddress(random);
            // (An account with nothing is a valid filter: its list is empty. Lists get malformed
            // ones only.)
            Bad malformedAddress =
                    address.unknownNotMalformed() ? new Bad(address.value() + "0", false) : address;
            Bad marketId = badMarket(random);
            Bad amount = badAmount(random);
            String token = badPageToken(random);
            int method = random.nextInt(13);
            String input;
            Function<Void, Object> call;
            switch (method) {
                case 0 -> {
                    input = marketId.value();
                    call =
                            v ->
                                    markets()
                                            .getMarket(
                                                    GetMarketRequest.newBuilder()
                                                            .setMarketId(marketId.value())
                                                            .build());
                }
                case 1 -> {
                    input = address.value();
                    call =
                            v ->
                                    positions()
                                            .getPosition(
                                                    GetPositionRequest.newBuilder()
                                                            .setMarketId(market)
                                                            .setAccount(address.value())
                                                            .build());
                }
                case 2 -> {
                    input = marketId.value();
                    call =
                            v ->
                                    positions()
                                            .getPosition(
                                                    GetPositionRequest.newBuilder()
                                                            .setMarketId(marketId.value())
                                                            .setAccount(borrower)
                                                            .build());
                }
                case 3 -> {
                    input = malformedAddress.value();
                    call =
                            v ->
                                    positions()
                                            .listPositions(
                                                    ListPositionsRequest.newBuilder()
                                                            .setFilter(
                                                                    PositionFilter.newBuilder()
                                                                            .setOwner(
                                                                                    nonEmpty(
                                                                                            malformedAddress
                                                                                                    .value())))
                                                            .build());
                }
                case 4 -> {
                    input = amount.value();
                    call =
                            v ->
                                    positions()
                                            .listPositions(
                                                    ListPositionsRequest.newBuilder()
                                                            .setFilter(
                                                                    PositionFilter.newBuilder()
                                                                            .setHealthFactorBelow(
                                                                                    nonEmpty(
                                                                                            amount
                                                                                                    .value())))
                                                            .build());
                }
                case 5 -> {
                    input = token;
                    call =
                            v ->
                                    positions()
                                            .listPositions(
                                                    ListPositionsRequest.newBuilder()
                                                            .setPageToken(token)
                                                            .build());
                }
                case 6 -> {
                    input = marketId.value();
                    call =
                            v ->
                                    positions()
                                            .watchPositions(
                                                    WatchPositionsRequest.newBuilder()
                                                            .setFilter(
                                                                    PositionFilter.newBuilder()
                                                                            .setMarketId(
                                                                                    nonEmpty(
                                                                                            marketId
                                                                                                    .value())))
                                                            .build())
                                            .hasNext();
                }
                case 7 -> {
                    input = amount.value();
                    call = v -> simulation().simulate(simulate(random.nextInt(5), amount.value()));
                }
                case 8 -> {
                    input = malformedAddress.value();
                    call =
                            v ->
                                    liquidations()
                                            .listLiquidations(
                                                    ListLiquidationsRequest.newBuilder()
                                                            .setBorrower(
                                                                    nonEmpty(
                                                                            malformedAddress
                                                                                    .value()))
                                                            .build());
                }
                case 9 -> {
                    input = token;
                    call =
                            v ->
                                    liquidations()
                                            .listLiquidations(
                                                    ListLiquidationsRequest.newBuilder()
                                                            .setPageToken(token)
                                                            .build());
                }
                case 10 -> {
                    input = marketId.value();
                    call =
                            v ->
                                    liquidations()
                                            .listAttempts(
                                                    ListAttemptsRequest.newBuilder()
                                                            .setMarketId(nonEmpty(marketId.value()))
                                                            .build());
                }
                case 11 -> {
                    input = address.value();
                    call =
                            v ->
                                    liquidations()
                                            .requestLiquidation(
                                                    RequestLiquidationRequest.newBuilder()
                                                            .setMarketId(market)
                                                            .setBorrower(address.value())
                                                            .build());
                }
                default -> {
                    input = amount.value();
                    call =
                            v ->
                                    liquidations()
                                            .watchOpportunities(
                                                    WatchOpportunitiesRequest.newBuilder()
                                                            .setHealthFactorBelow(
                                                                    nonEmpty(amount.value()))
                                                            .build())
                                            .hasNext();
                }
            }
            String problem = refusedProperly(call, input);
            if (problem != null) {
                failures.add(
                        "request "
                                + i
                                + " (method "
                                + method
                                + ", input '"
                                + input
                                + "'): "
                                + problem);
            }
        }
        assertThat(failures).as("seed " + SEED).isEmpty();

        // Nothing changed, and the node still serves a good request.
        assertThat(status().getAppliedBlock()).isEqualTo(before.getAppliedBlock());
        assertThat(
                        positions()
                                .listPositions(
                                        ListPositionsRequest.newBuilder().setPageSize(1000).build())
                                .getPositionsList())
                .isEqualTo(positionsBefore.getPositionsList());
        assertThat(
                        liquidations()
                                .listAttempts(ListAttemptsRequest.getDefaultInstance())
                                .getAttemptsList())
                .isEmpty();
        assertThat(
                        positions()
                                .getPosition(
                                        GetPositionRequest.newBuilder()
                                                .setMarketId(market)
                                                .setAccount(borrower)
                                                .build())
                                .getAccount())
                .isEqualToIgnoringCase(borrower);
    }

    /** Null if the call was refused as the API promises; what was wrong otherwise. */
    private static String refusedProperly(Function<Void, Object> call, String input) {
        try {
            call.apply(null);
            return "accepted";
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code != Status.Code.INVALID_ARGUMENT && code != Status.Code.NOT_FOUND) {
                return "code " + code + " (" + e.getStatus().getDescription() + ")";
            }
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            if (details == null || details.getDetailsCount() == 0) {
                return "no ErrorInfo";
            }
            try {
                ErrorInfo info = details.getDetails(0).unpack(ErrorInfo.class);
                if (!"freehold.v1".equals(info.getDomain())
                        || !REASONS.contains(info.getReason())) {
                    return "ErrorInfo " + info.getDomain() + "/" + info.getReason();
                }
                if (!info.getMetadataMap().containsKey("field")) {
                    return "no field in the metadata";
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                return "unreadable ErrorInfo";
            }
            String message = String.valueOf(e.getStatus().getDescription());
            if (input.length() >= 8 && message.contains(input)) {
                return "the input is in the message: " + message;
            }
            return null;
        } catch (RuntimeException e) {
            return "threw " + e;
        }
    }

    private static SimulateRequest simulate(int action, String amount) {
        SimulateRequest.Builder b =
                SimulateRequest.newBuilder().setMarketId(market).setAccount(borrower);
        return switch (action) {
            case 0 -> b.setPrice(nonEmpty(amount)).build();
            case 1 -> b.setBorrow(nonEmpty(amount)).build();
            case 2 -> b.setRepay(nonEmpty(amount)).build();
            case 3 -> b.setDepositCollateral(nonEmpty(amount)).build();
            default -> b.setWithdrawCollateral(nonEmpty(amount)).build();
        };
    }

    private static io.freehold.proto.v1.NodeStatus status() {
        return NodeServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.getDefaultInstance());
    }

    private static MarketServiceGrpc.MarketServiceBlockingStub markets() {
        return MarketServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static PositionServiceGrpc.PositionServiceBlockingStub positions() {
        return PositionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static SimulationServiceGrpc.SimulationServiceBlockingStub simulation() {
        return SimulationServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static LiquidationServiceGrpc.LiquidationServiceBlockingStub liquidations() {
        return LiquidationServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }
}
