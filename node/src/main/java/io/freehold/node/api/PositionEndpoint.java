package io.freehold.node.api;

import io.freehold.node.risk.MarketRisk;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.Address;
import io.freehold.node.state.MarketId;
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
import java.util.Comparator;
import java.util.List;

/**
 * {@code PositionService}: one position, or pages of them in (market id, account) order. The page token
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
            String after = request.getPageToken().isEmpty() ? null : decodeToken(request.getPageToken());
            if (market != null) {
                requireMarket(market);
            }
            List<MarketId> markets = market != null ? List.of(market)
                    : risk.engine().markets().stream().map(MarketRisk::marketId).sorted().toList();
            ListPositionsResponse.Builder answer = ListPositionsResponse.newBuilder();
            List<PositionRisk> page = new ArrayList<>();
            String last = null;
            boolean more = false;
            for (MarketId m : markets) {
                if (after != null && m.hex().compareTo(after.substring(0, 66)) < 0) {
                    continue;
                }
                List<PositionRisk> all = new ArrayList<>(risk.engine().positions(m));
                all.sort(Comparator.comparing(p -> p.account().hex()));
                for (PositionRisk p : all) {
                    String key = m.hex() + "/" + p.account().hex();
                    if ((after != null && key.compareTo(after) <= 0) || !matches(p, owner, below)) {
                        continue;
                    }
                    if (page.size() == size) {
                        more = true;
                        break;
                    }
                    page.add(p);
                    last = key;
                }
                if (more) {
                    break;
                }
            }
            page.forEach(p -> answer.addPositions(ApiProtos.position(p)));
            if (more) {
                answer.setNextPageToken(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(last.getBytes(StandardCharsets.US_ASCII)));
            }
            risk.engine().asOf().ifPresent(cp -> answer.setAsOf(ApiProtos.cursor(cp)));
            return answer.build();
        });
    }

    private static boolean matches(PositionRisk p, Address owner, BigInteger below) {
        if (owner != null && !p.account().equals(owner)) {
            return false;
        }
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

    /** {@code <market id>/<account>}, as issued; anything else is refused. */
    private static String decodeToken(String token) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            int slash = key.indexOf('/');
            if (slash != 66) {
                throw new IllegalArgumentException();
            }
            MarketId.of(key.substring(0, slash));
            Address.of(key.substring(slash + 1));
            return key;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("INVALID_PAGE", "page_token", "page_token was not issued by this node");
        }
    }
}
