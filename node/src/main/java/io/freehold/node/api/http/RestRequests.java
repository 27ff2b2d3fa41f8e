package io.freehold.node.api.http;

import io.freehold.proto.v1.AavePriceChange;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.SimulateRequest;
import io.micronaut.http.HttpRequest;
import java.util.Set;

/**
 * The REST routes' requests as the gRPC messages the reads take: each route's query parameters (the
 * proto's field names), checked once ({@link RestQuery}: an unknown parameter or a malformed value
 * is INVALID_ARGUMENT), for every controller that serves the route (the Freehold node's {@link
 * RestApi}, an Aave node's).
 */
public final class RestRequests {

    private static final Set<String> PAGE = Set.of("page_size", "page_token");

    private RestRequests() {}

    /** {@code GET /v1/status}: no parameters. */
    public static GetStatusRequest status(HttpRequest<?> request) {
        RestQuery.of(request, Set.of());
        return GetStatusRequest.getDefaultInstance();
    }

    /** {@code GET /v1/markets?page_size&page_token}. */
    public static ListMarketsRequest listMarkets(HttpRequest<?> request) {
        RestQuery q = RestQuery.of(request, PAGE);
        return ListMarketsRequest.newBuilder()
                .setPageSize(q.pageSize())
                .setPageToken(q.string("page_token"))
                .build();
    }

    /** {@code GET /v1/markets/{marketId}}: no parameters. */
    public static GetMarketRequest getMarket(HttpRequest<?> request, String marketId) {
        RestQuery.of(request, Set.of());
        return GetMarketRequest.newBuilder().setMarketId(marketId).build();
    }

    /**
     * {@code GET /v1/positions?market_id&owner&health_factor_below&page_size&page_token}: the
     * filter of {@code ListPositions}.
     */
    public static ListPositionsRequest listPositions(HttpRequest<?> request) {
        RestQuery q =
                RestQuery.of(
                        request,
                        Set.of(
                                "market_id",
                                "owner",
                                "health_factor_below",
                                "page_size",
                                "page_token"));
        return ListPositionsRequest.newBuilder()
                .setFilter(
                        PositionFilter.newBuilder()
                                .setMarketId(q.string("market_id"))
                                .setOwner(q.string("owner"))
                                .setHealthFactorBelow(q.string("health_factor_below")))
                .setPageSize(q.pageSize())
                .setPageToken(q.string("page_token"))
                .build();
    }

    /** {@code GET /v1/markets/{marketId}/positions/{account}}: no parameters. */
    public static GetPositionRequest getPosition(
            HttpRequest<?> request, String marketId, String account) {
        RestQuery.of(request, Set.of());
        return GetPositionRequest.newBuilder().setMarketId(marketId).setAccount(account).build();
    }

    /**
     * {@code GET /v1/markets/{marketId}/positions/{account}/simulate?asset&price} on a node
     * following an Aave pool: {@code aave_price} (the reserve's asset, its new oracle price in the
     * base currency's units). No parameter: no change (refused by the reads, as over gRPC).
     */
    public static SimulateRequest aaveSimulate(
            HttpRequest<?> request, String marketId, String account) {
        RestQuery q = RestQuery.of(request, Set.of("asset", "price"));
        SimulateRequest.Builder b =
                SimulateRequest.newBuilder().setMarketId(marketId).setAccount(account);
        if (q.has("asset") || q.has("price")) {
            b.setAavePrice(
                    AavePriceChange.newBuilder()
                            .setAsset(q.string("asset"))
                            .setPrice(q.string("price")));
        }
        return b.build();
    }
}
