package io.freehold.node.api;

import com.google.rpc.Code;
import io.freehold.node.liquidation.Attempt;
import io.freehold.node.liquidation.AttemptStore;
import io.freehold.node.liquidation.LiquidationCandidate;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.SentTransaction;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.proto.v1.AttemptStatus;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.store.LiquidationQuery;
import io.freehold.node.store.LiquidationQuery.LogPosition;
import io.freehold.node.store.StateStore;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.ListLiquidationsResponse;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.RequestLiquidationRequest;
import io.freehold.node.ingest.IngestionService;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.math.BigInteger;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;
import java.util.List;
import java.util.Optional;

/**
 * {@code LiquidationService}: liquidations on chain (the stored history of {@code Liquidate} logs, final
 * and unconfirmed blocks alike; a reorg removes what it orphans), the node's own attempts, newest first,
 * and (admin) a request to liquidate one position now. The request only queues the position for the executor, which runs the same
 * preflight as for anything the risk engine finds; its outcome shows in ListAttempts.
 * WatchOpportunities is the position stream seen through {@link OpportunityView}.
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class LiquidationEndpoint extends LiquidationServiceGrpc.LiquidationServiceImplBase {

    private static final BigInteger ONE = BigInteger.TEN.pow(18);

    private final AttemptStore attempts;
    private final StateStore store;
    private final LiquidationService liquidator;
    private final RiskService risk;
    private final IngestionService ingestion;
    private final PositionFeed feed;
    private final StreamConfiguration streams;

    public LiquidationEndpoint(AttemptStore attempts, StateStore store, LiquidationService liquidator, RiskService risk,
            IngestionService ingestion, PositionFeed feed, StreamConfiguration streams) {
        this.attempts = attempts;
        this.store = store;
        this.liquidator = liquidator;
        this.risk = risk;
        this.ingestion = ingestion;
        this.feed = feed;
        this.streams = streams;
    }

    @Override
    public void watchOpportunities(WatchOpportunitiesRequest request, StreamObserver<OpportunityEvent> response) {
        try {
            MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
            BigInteger below = ApiArguments.optionalRatio("health_factor_below", request.getHealthFactorBelow());
            if (below == null) {
                below = ONE;
            } else if (below.compareTo(ONE.multiply(BigInteger.TWO)) > 0) {
                throw ApiException.invalid("INVALID_RATIO", "health_factor_below",
                        "health_factor_below is at most 2.0 (2000000000000000000)");
            }
            if (market != null && risk.engine().market(market).isEmpty()) {
                throw ApiException.unknownMarket(market);
            }
            ServerCallStreamObserver<OpportunityEvent> call = (ServerCallStreamObserver<OpportunityEvent>) response;
            OpportunityView view = new OpportunityView(risk.engine(), () -> ingestion.follower().state(),
                    liquidator.mode() == LiquidatorConfiguration.Mode.EXECUTE);
            PositionSubscription<OpportunityEvent> subscription =
                    new PositionSubscription<>(market, null, below, call, view, streams.buffer());
            call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
            feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
        } catch (ApiException e) {
            response.onError(e.toStatus());
        }
    }

    @Override
    public void listLiquidations(ListLiquidationsRequest request, StreamObserver<ListLiquidationsResponse> response) {
        Calls.unary(response, () -> {
            MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
            Address borrower = ApiArguments.optionalAddress("borrower", request.getBorrower());
            int size = ApiArguments.pageSize(request.getPageSize());
            Optional<LogPosition> before = request.getPageToken().isEmpty()
                    ? Optional.empty() : Optional.of(logPosition(request.getPageToken()));
            if (market != null && risk.engine().market(market).isEmpty()) {
                throw ApiException.unknownMarket(market);
            }
            List<LiquidationRecord> page = store.liquidations(new LiquidationQuery(Optional.ofNullable(market),
                    Optional.ofNullable(borrower), before, size + 1));
            ListLiquidationsResponse.Builder answer = ListLiquidationsResponse.newBuilder();
            page.stream().limit(size).forEach(l -> answer.addLiquidations(ApiProtos.liquidation(l)));
            if (page.size() > size) {
                LiquidationRecord last = page.get(size - 1);
                answer.setNextPageToken(last.blockNumber() + ":" + last.logIndex());
            }
            return answer.build();
        });
    }

    /** A page token of ListLiquidations: "block:logIndex" of the last liquidation of the previous page. */
    private static LogPosition logPosition(String token) {
        int colon = token.indexOf(':');
        try {
            if (colon > 0 && token.length() <= 41) {
                long block = Long.parseLong(token.substring(0, colon));
                long index = Long.parseLong(token.substring(colon + 1));
                if (block >= 0 && index >= 0) {
                    return new LogPosition(block, index);
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the same answer as any other token this node did not issue
        }
        throw ApiException.invalid("INVALID_PAGE", "page_token", "page_token was not issued by this node");
    }

    @Override
    public void listAttempts(ListAttemptsRequest request, StreamObserver<ListAttemptsResponse> response) {
        Calls.unary(response, () -> {
            MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
            Address borrower = ApiArguments.optionalAddress("borrower", request.getBorrower());
            int size = ApiArguments.pageSize(request.getPageSize());
            if (market != null && risk.engine().market(market).isEmpty()) {
                throw ApiException.unknownMarket(market);
            }
            long before = Long.MAX_VALUE;
            if (!request.getPageToken().isEmpty()) {
                try {
                    before = Long.parseLong(request.getPageToken());
                } catch (NumberFormatException e) {
                    throw ApiException.invalid("INVALID_PAGE", "page_token", "page_token was not issued by this node");
                }
            }
            List<Attempt> page = attempts.newest(market, borrower, before, size + 1);
            ListAttemptsResponse.Builder answer = ListAttemptsResponse.newBuilder();
            page.stream().limit(size).forEach(a -> answer.addAttempts(attempt(a)));
            if (page.size() > size) {
                answer.setNextPageToken(Long.toString(page.get(size - 1).id()));
            }
            return answer.build();
        });
    }

    @Override
    public void requestLiquidation(RequestLiquidationRequest request, StreamObserver<LiquidationAttempt> response) {
        Calls.unary(response, () -> {
            MarketId market = ApiArguments.marketId("market_id", request.getMarketId());
            Address borrower = ApiArguments.address("borrower", request.getBorrower());
            PositionRisk position = risk.engine().risk(market, borrower).orElseThrow(() ->
                    ApiException.unknownPosition("borrower", market, borrower));
            if (liquidator.mode() != LiquidatorConfiguration.Mode.EXECUTE) {
                throw new ApiException(Code.FAILED_PRECONDITION, "NODE_NOT_READY", null,
                        "the node's liquidator is in watch mode; set freehold.node.liquidator.mode=EXECUTE");
            }
            long block = position.asOf().number();
            liquidator.offer(List.of(new LiquidationCandidate(market, borrower, block, block)));
            return LiquidationAttempt.newBuilder().setMarketId(market.hex()).setBorrower(borrower.hex())
                    .setStatus(AttemptStatus.ATTEMPT_STATUS_UNSPECIFIED)
                    .setReason("queued for the executor; its preflight decides, see ListAttempts").build();
        });
    }

    private static LiquidationAttempt attempt(Attempt a) {
        LiquidationAttempt.Builder b = LiquidationAttempt.newBuilder()
                .setId(a.id())
                .setMarketId(a.marketId().hex())
                .setBorrower(a.borrower().hex())
                .setStatus(status(a.status()))
                .setReason(a.giveUpReason().or(a::reason).orElse(""))
                .setCreatedAt(a.createdAt().getEpochSecond())
                .setUpdatedAt(a.updatedAt().getEpochSecond());
        a.nonce().ifPresent(b::setNonce);
        a.transactions().stream().map(SentTransaction::hash).forEach(b::addTransactionHashes);
        a.outcome().ifPresent(o -> b.setRepaidAssets(o.repaidAssets().toString())
                .setSeizedCollateral(o.seizedCollateral().toString())
                .setMinedBlock(o.includedBlock()));
        return b.build();
    }

    private static AttemptStatus status(io.freehold.node.liquidation.AttemptStatus s) {
        switch (s) {
            case IN_FLIGHT:
                return AttemptStatus.ATTEMPT_STATUS_IN_FLIGHT;
            case MINED:
                return AttemptStatus.ATTEMPT_STATUS_MINED;
            case FAILED:
                return AttemptStatus.ATTEMPT_STATUS_FAILED;
            case GAVE_UP:
                return AttemptStatus.ATTEMPT_STATUS_GAVE_UP;
            default:
                return AttemptStatus.ATTEMPT_STATUS_SKIPPED;
        }
    }
}
