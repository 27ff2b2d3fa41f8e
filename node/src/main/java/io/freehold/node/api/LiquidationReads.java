package io.freehold.node.api;

import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.transact.SentTransaction;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.store.LiquidationQuery;
import io.freehold.node.store.LiquidationQuery.LogPosition;
import io.freehold.node.store.StateStore;
import io.freehold.proto.v1.AttemptKind;
import io.freehold.proto.v1.AttemptStatus;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListAttemptsResponse;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.ListLiquidationsResponse;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * {@code LiquidationService}'s reads: liquidations on chain (the stored history of {@code
 * Liquidate} logs, final and unconfirmed blocks alike; a reorg removes what it orphans) and the
 * node's own attempts, newest first. Behind both the gRPC endpoint ({@link LiquidationEndpoint})
 * and {@code GET /v1/liquidations}, {@code GET /v1/attempts}.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class LiquidationReads {

    private final AttemptStore attempts;
    private final StateStore store;
    private final RiskService risk;

    public LiquidationReads(AttemptStore attempts, StateStore store, RiskService risk) {
        this.attempts = attempts;
        this.store = store;
        this.risk = risk;
    }

    public ListLiquidationsResponse liquidations(ListLiquidationsRequest request) {
        MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
        Address borrower = ApiArguments.optionalAddress("borrower", request.getBorrower());
        int size = ApiArguments.pageSize(request.getPageSize());
        Optional<LogPosition> before =
                request.getPageToken().isEmpty()
                        ? Optional.empty()
                        : Optional.of(logPosition(request.getPageToken()));
        if (market != null && risk.engine().market(market).isEmpty()) {
            throw ApiException.unknownMarket(market);
        }
        List<LiquidationRecord> page =
                store.liquidations(
                        new LiquidationQuery(
                                Optional.ofNullable(market),
                                Optional.ofNullable(borrower),
                                before,
                                size + 1));
        ListLiquidationsResponse.Builder answer = ListLiquidationsResponse.newBuilder();
        page.stream().limit(size).forEach(l -> answer.addLiquidations(ApiProtos.liquidation(l)));
        if (page.size() > size) {
            LiquidationRecord last = page.get(size - 1);
            answer.setNextPageToken(last.blockNumber() + ":" + last.logIndex());
        }
        return answer.build();
    }

    /**
     * A page token of ListLiquidations: "block:logIndex" of the last liquidation of the previous
     * page.
     */
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
        throw ApiException.invalid(
                "INVALID_PAGE", "page_token", "page_token was not issued by this node");
    }

    public ListAttemptsResponse attempts(ListAttemptsRequest request) {
        MarketId market = ApiArguments.optionalMarketId("market_id", request.getMarketId());
        Address borrower = ApiArguments.optionalAddress("borrower", request.getBorrower());
        int size = ApiArguments.pageSize(request.getPageSize());
        if (market != null && risk.engine().market(market).isEmpty()) {
            throw ApiException.unknownMarket(market);
        }
        return page(attempts, market, borrower, size, request.getPageToken());
    }

    /**
     * A page of the node's attempts, newest first ({@code market} null: every market): the one
     * paging of {@code ListAttempts}, on a Freehold node and on an Aave node.
     */
    public static ListAttemptsResponse page(
            AttemptStore attempts, MarketId market, Address borrower, int size, String token) {
        long before = Long.MAX_VALUE;
        if (!token.isEmpty()) {
            try {
                before = Long.parseLong(token);
            } catch (NumberFormatException e) {
                throw ApiException.invalid(
                        "INVALID_PAGE", "page_token", "page_token was not issued by this node");
            }
        }
        List<Attempt> page = attempts.newest(market, borrower, before, size + 1);
        ListAttemptsResponse.Builder answer = ListAttemptsResponse.newBuilder();
        page.stream().limit(size).forEach(a -> answer.addAttempts(attempt(a)));
        if (page.size() > size) {
            answer.setNextPageToken(Long.toString(page.get(size - 1).id()));
        }
        return answer.build();
    }

    private static LiquidationAttempt attempt(Attempt a) {
        LiquidationAttempt.Builder b =
                LiquidationAttempt.newBuilder()
                        .setId(a.id())
                        .setMarketId(a.marketId().hex())
                        .setBorrower(a.borrower().hex())
                        .setStatus(status(a.status()))
                        .setKind(kind(a.kind()))
                        .setReason(a.giveUpReason().or(a::reason).orElse(""))
                        .setCreatedAt(a.createdAt().getEpochSecond())
                        .setUpdatedAt(a.updatedAt().getEpochSecond());
        a.nonce().ifPresent(b::setNonce);
        a.transactions().stream().map(SentTransaction::hash).forEach(b::addTransactionHashes);
        a.outcome()
                .ifPresent(
                        o ->
                                b.setRepaidAssets(o.repaidAssets().toString())
                                        .setSeizedCollateral(o.seizedCollateral().toString())
                                        .setMinedBlock(o.includedBlock()));
        a.provisional()
                .ifPresent(
                        p -> b.setMinedBlock(p.block())); // MINED_UNCONFIRMED: where, not final yet
        return b.build();
    }

    private static AttemptKind kind(io.freehold.node.liquidation.attempts.AttemptKind k) {
        return switch (k) {
            case LIQUIDATE -> AttemptKind.ATTEMPT_KIND_LIQUIDATE;
            case FLAG -> AttemptKind.ATTEMPT_KIND_FLAG;
            case START_AUCTION -> AttemptKind.ATTEMPT_KIND_START_AUCTION;
            case RESTART_AUCTION -> AttemptKind.ATTEMPT_KIND_RESTART_AUCTION;
            case TAKE -> AttemptKind.ATTEMPT_KIND_TAKE;
            case AAVE_LIQUIDATION -> AttemptKind.ATTEMPT_KIND_AAVE_LIQUIDATION_CALL;
        };
    }

    private static AttemptStatus status(io.freehold.node.liquidation.attempts.AttemptStatus s) {
        switch (s) {
            case IN_FLIGHT:
                return AttemptStatus.ATTEMPT_STATUS_IN_FLIGHT;
            case MINED:
                return AttemptStatus.ATTEMPT_STATUS_MINED;
            case FAILED:
                return AttemptStatus.ATTEMPT_STATUS_FAILED;
            case GAVE_UP:
                return AttemptStatus.ATTEMPT_STATUS_GAVE_UP;
            case MINED_UNCONFIRMED:
                return AttemptStatus.ATTEMPT_STATUS_MINED_UNCONFIRMED;
            case ORPHANED_RETRIED:
                return AttemptStatus.ATTEMPT_STATUS_ORPHANED_RETRIED;
            default:
                return AttemptStatus.ATTEMPT_STATUS_SKIPPED;
        }
    }
}
