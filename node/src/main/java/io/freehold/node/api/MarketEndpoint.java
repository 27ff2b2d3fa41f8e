package io.freehold.node.api;

import io.freehold.node.ingest.IngestionService;
import io.freehold.node.risk.MarketRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.types.MarketId;
import io.freehold.node.state.MarketRecord;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;
import java.util.Comparator;

/** {@code MarketService}: the markets as the risk engine last valued them. */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class MarketEndpoint extends MarketServiceGrpc.MarketServiceImplBase {

    private final IngestionService ingestion;
    private final RiskService risk;

    public MarketEndpoint(IngestionService ingestion, RiskService risk) {
        this.ingestion = ingestion;
        this.risk = risk;
    }

    @Override
    public void listMarkets(ListMarketsRequest request, StreamObserver<ListMarketsResponse> response) {
        Calls.unary(response, () -> {
            ListMarketsResponse.Builder answer = ListMarketsResponse.newBuilder();
            risk.engine().markets().stream().sorted(Comparator.comparing(MarketRisk::marketId))
                    .forEach(m -> answer.addMarkets(market(m)));
            risk.engine().asOf().ifPresent(cp -> answer.setAsOf(ApiProtos.cursor(cp)));
            return answer.build();
        });
    }

    @Override
    public void getMarket(GetMarketRequest request, StreamObserver<Market> response) {
        Calls.unary(response, () -> {
            MarketId id = ApiArguments.marketId("market_id", request.getMarketId());
            MarketRisk m = risk.engine().market(id).orElseThrow(() ->
                    ApiException.unknownMarket(id));
            return market(m);
        });
    }

    private Market market(MarketRisk m) {
        MarketRecord record = ingestion.follower().state().market(m.marketId()).orElseThrow(() ->
                ApiException.unknownMarket(m.marketId()));
        return ApiProtos.market(record, m);
    }
}
