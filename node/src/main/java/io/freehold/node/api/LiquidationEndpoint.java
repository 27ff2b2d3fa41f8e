package io.freehold.node.api;

import com.google.rpc.Code;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.proto.v1.AttemptStatus;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.ListLiquidationsResponse;
import io.freehold.proto.v1.RequestLiquidationRequest;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;
import java.util.List;

/**
 * {@code LiquidationService}: liquidations on chain (the stored history of {@code Liquidate} logs,
 * final and unconfirmed blocks alike; a reorg removes what it orphans), the node's own attempts,
 * newest first, and (admin) a request to liquidate one position now. The request only queues the
 * position for the executor, which runs the same preflight as for anything the risk engine finds;
 * its outcome shows in ListAttempts. WatchOpportunities is the position stream seen through {@link
 * OpportunityView}.
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class LiquidationEndpoint
        implements LiquidationServiceGrpc.AsyncService, BindableService {

    private final LiquidationReads reads;
    private final Watches watches;
    private final LiquidationService liquidator;
    private final RiskService risk;

    public LiquidationEndpoint(
            LiquidationReads reads,
            Watches watches,
            LiquidationService liquidator,
            RiskService risk) {
        this.reads = reads;
        this.watches = watches;
        this.liquidator = liquidator;
        this.risk = risk;
    }

    /**
     * The service as generated, except that its watch writes {@link Frame}s: the same bytes for
     * every stream an event goes to, serialized once ({@link Watches}). Clients see the same
     * messages.
     */
    @Override
    public ServerServiceDefinition bindService() {
        return watches.withOpportunityWatch(LiquidationServiceGrpc.bindService(this));
    }

    @Override
    public void listLiquidations(
            ListLiquidationsRequest request, StreamObserver<ListLiquidationsResponse> response) {
        Calls.unary(response, () -> reads.liquidations(request));
    }

    @Override
    public void listAttempts(
            ListAttemptsRequest request, StreamObserver<ListAttemptsResponse> response) {
        Calls.unary(response, () -> reads.attempts(request));
    }

    @Override
    public void requestLiquidation(
            RequestLiquidationRequest request, StreamObserver<LiquidationAttempt> response) {
        Calls.unary(
                response,
                () -> {
                    MarketId market = ApiArguments.marketId("market_id", request.getMarketId());
                    Address borrower = ApiArguments.address("borrower", request.getBorrower());
                    PositionRisk position =
                            risk.engine()
                                    .risk(market, borrower)
                                    .orElseThrow(
                                            () ->
                                                    ApiException.unknownPosition(
                                                            "borrower", market, borrower));
                    if (liquidator.mode() != LiquidatorConfiguration.Mode.EXECUTE) {
                        throw new ApiException(
                                Code.FAILED_PRECONDITION,
                                "NODE_NOT_READY",
                                null,
                                "the node's liquidator is in watch mode; set freehold.node.liquidator.mode=EXECUTE");
                    }
                    long block = position.asOf().number();
                    liquidator.offer(
                            List.of(new LiquidationCandidate(market, borrower, block, block)));
                    return LiquidationAttempt.newBuilder()
                            .setMarketId(market.hex())
                            .setBorrower(borrower.hex())
                            .setStatus(AttemptStatus.ATTEMPT_STATUS_UNSPECIFIED)
                            .setReason(
                                    "queued for the executor; its preflight decides, see ListAttempts")
                            .build();
                });
    }
}
