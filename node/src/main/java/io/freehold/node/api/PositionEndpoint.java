package io.freehold.node.api;

import io.freehold.node.risk.MarketRisk;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code PositionService}: one position, or pages of them in (market id, account) order, read from the
 * risk engine's account-sorted books so a page costs its own size, not the market's. The page token
 * is the last position returned, so a page never repeats or skips a position that still exists,
 * whatever changed in between. The watch stream is {@link PositionFeed}'s journal through a
 * {@link PositionSubscription}.
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class PositionEndpoint extends PositionServiceGrpc.PositionServiceImplBase {


    private final RiskService risk;
    private final PositionFeed feed;
    private final StreamConfiguration streams;

    public PositionEndpoint(RiskService risk, PositionFeed feed, StreamConfiguration streams) {
        this.risk = risk;
        this.feed = feed;
        this.streams = streams;
    }

    @Override
    public void watchPositions(WatchPositionsRequest request, StreamObserver<PositionEvent> response) {
        PositionFilter f = request.getFilter();
        ServerCallStreamObserver<PositionEvent> call = (ServerCallStreamObserver<PositionEvent>) response;
        try {
            MarketId market = ApiArguments.optionalMarketId("filter.market_id", f.getMarketId());
            Address owner = ApiArguments.optionalAddress("filter.owner", f.getOwner());
            BigInteger below = ApiArguments.optionalRatio("filter.health_factor_below", f.getHealthFactorBelow());
            if (market != null) {
                requireMarket(market);
            }
            PositionSubscription<PositionEvent> subscription =
                    PositionSubscription.ofPositions(market, owner, below, call, streams.buffer());
            call.setOnCancelHandler(() -> feed.unsubscribe(subscription));
            feed.subscribe(subscription, request.hasResumeAfter() ? request.getResumeAfter() : null);
        } catch (ApiException e) {
            response.onError(e.toStatus());
        }
    }

    @Override
    public void getPosition(GetPositionRequest request, StreamObserver<Position> response) {
        Calls.unary(response, () -> {
            MarketId market = ApiArguments.marketId("market_id", request.getMarketId());
            Address account = ApiArguments.address("account", request.getAccount());
            requireMarket(market);
            return risk.engine().risk(market, account).map(ApiProtos::position).orElseThrow(() ->
                    ApiException.unknownPosition("account", market, account));
        });
    }

    @Override
    public void listPositions(ListPositionsRequest request, StreamObserver<ListPositionsResponse> response) {
        Calls.unary(response, () -> {
            PositionFilter f = request.getFilter();
            MarketId market = ApiArguments.optionalMarketId("filter.market_id", f.getMarketId());
            Address owner = ApiArguments.optionalAddress("filter.owner", f.getOwner());
            BigInteger below = ApiArguments.optionalRatio("filter.health_factor_below", f.getHealthFactorBelow());
            int size = ApiArguments.pageSize(request.getPageSize());
            PageToken after = request.getPageToken().isEmpty() ? null : decodeToken(request.getPageToken());
            if (market != null) {
                requireMarket(market);
            }
            List<MarketId> markets = market != null ? List.of(market)
                    : risk.engine().markets().stream().map(MarketRisk::marketId).sorted().toList();
            ListPositionsResponse.Builder answer = ListPositionsResponse.newBuilder();
            // One more than the page: whether it exists decides the next page token.
            List<PositionRisk> page = new ArrayList<>();
            for (MarketId m : markets) {
                int cmp = after == null ? 1 : m.compareTo(after.marketId());
                if (cmp < 0) {
                    continue;
                }
                Address from = cmp == 0 ? after.account() : null;
                int wanted = size + 1 - page.size();
                if (owner != null) {
                    // One account per market: a lookup, not a walk.
                    if (from == null || owner.compareTo(from) > 0) {
                        risk.engine().risk(m, owner).filter(p -> matches(p, below)).ifPresent(page::add);
                    }
                } else {
                    page.addAll(risk.engine().positions(m, from, wanted, below, p -> matches(p, below)));
                }
                if (page.size() > size) {
                    break;
                }
            }
            boolean more = page.size() > size;
            if (more) {
                page = page.subList(0, size);
                PositionRisk last = page.get(size - 1);
                String key = last.marketId().hex() + "/" + last.account().hex();
                answer.setNextPageToken(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(key.getBytes(StandardCharsets.US_ASCII)));
            }
            page.forEach(p -> answer.addPositions(ApiProtos.position(p)));
            risk.engine().asOf().ifPresent(cp -> answer.setAsOf(ApiProtos.cursor(cp)));
            return answer.build();
        });
    }

    /**
     * Whether a position of the right market and owner is listed. The engine applies {@code below} on its
     * walk too (to walk only the bands that can match); it is checked here for the owner's lookup.
     */
    private static boolean matches(PositionRisk p, BigInteger below) {
        if (p.valuation().supplyShares().signum() == 0 && p.valuation().borrowShares().signum() == 0
                && p.collateral().signum() == 0) {
            return false; // emptied: kept by the node for its rent index, not a position to list
        }
        return below == null || (p.debt().signum() > 0 && p.healthFactor().compareTo(below) < 0);
    }

    private void requireMarket(MarketId market) {
        if (risk.engine().market(market).isEmpty()) {
            throw ApiException.unknownMarket(market);
        }
    }

    /** The last position of the previous page. */
    private record PageToken(MarketId marketId, Address account) {}

    /** {@code <market id>/<account>}, as issued; anything else is refused. */
    private static PageToken decodeToken(String token) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            int slash = key.indexOf('/');
            if (slash != 66) {
                throw new IllegalArgumentException();
            }
            return new PageToken(MarketId.of(key.substring(0, slash)), Address.of(key.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("INVALID_PAGE", "page_token", "page_token was not issued by this node");
        }
    }
}
