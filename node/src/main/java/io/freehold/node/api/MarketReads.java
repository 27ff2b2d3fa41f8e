package io.freehold.node.api;

import io.freehold.node.risk.MarketRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * {@code MarketService}'s reads, the markets as the risk engine last valued them: behind both the
 * gRPC endpoint ({@link MarketEndpoint}) and the REST routes under {@code /v1/markets}. Pages go in
 * market id order; the page token is the last market id of the previous page, so a page never
 * repeats or skips a market.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class MarketReads {

    private final RiskService risk;

    public MarketReads(RiskService risk) {
        this.risk = risk;
    }

    public ListMarketsResponse list(ListMarketsRequest request) {
        int size = ApiArguments.pageSize(request.getPageSize());
        MarketId after = null;
        if (!request.getPageToken().isEmpty()) {
            try {
                after = MarketId.of(request.getPageToken());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(
                        "INVALID_PAGE", "page_token", "page_token was not issued by this node");
            }
        }
        MarketId from = after;
        List<MarketRisk> markets =
                risk.engine().markets().stream()
                        .filter(m -> from == null || m.marketId().compareTo(from) > 0)
                        .sorted(java.util.Comparator.comparing(MarketRisk::marketId))
                        .limit(size + 1L)
                        .toList();
        ListMarketsResponse.Builder answer = ListMarketsResponse.newBuilder();
        markets.stream().limit(size).forEach(m -> answer.addMarkets(market(m)));
        if (markets.size() > size) {
            answer.setNextPageToken(markets.get(size - 1).marketId().hex());
        }
        risk.engine().asOf().ifPresent(cp -> answer.setAsOf(ApiProtos.cursor(cp)));
        return answer.build();
    }

    public Market get(GetMarketRequest request) {
        MarketId id = ApiArguments.marketId("market_id", request.getMarketId());
        MarketRisk m = risk.engine().market(id).orElseThrow(() -> ApiException.unknownMarket(id));
        return market(m);
    }

    private Market market(MarketRisk m) {
        // The engine's own record, of the same block as m: the follower's may be a block ahead of
        // it.
        return ApiProtos.market(m.record(), m);
    }
}
