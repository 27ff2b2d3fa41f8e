package io.freehold.node.api.http;

import io.freehold.node.api.ApiException;
import io.freehold.node.api.LiquidationReads;
import io.freehold.node.api.MarketReads;
import io.freehold.node.api.NodeReads;
import io.freehold.node.api.PositionReads;
import io.freehold.node.api.SimulationReads;
import io.freehold.proto.v1.ListAttemptsRequest;
import io.freehold.proto.v1.ListLiquidationsRequest;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.TakeChange;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Set;

/**
 * The API's reads over REST/JSON, version 1: each route builds the gRPC request message from its
 * path and query, asks the same {@code *Reads} service as the gRPC endpoint and answers the same
 * response message in protobuf's JSON mapping ({@link RestAnswers}). Query parameters carry the
 * proto field names ({@code page_size}, {@code health_factor_below}, ...); docs/OPERATIONS.md lists
 * the routes.
 */
@Controller("/v1")
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class RestApi {

    private static final String TAKE_COLLATERAL = "take_collateral";
    private static final String TAKE_MAX_PRICE = "take_max_price";
    private static final List<String> CHANGES =
            List.of(
                    "price",
                    "borrow",
                    "repay",
                    "deposit_collateral",
                    "withdraw_collateral",
                    TAKE_COLLATERAL);

    private final RestAnswers answers;
    private final NodeReads node;
    private final MarketReads markets;
    private final PositionReads positions;
    private final LiquidationReads liquidations;
    private final SimulationReads simulation;

    public RestApi(
            RestAnswers answers,
            NodeReads node,
            MarketReads markets,
            PositionReads positions,
            LiquidationReads liquidations,
            SimulationReads simulation) {
        this.answers = answers;
        this.node = node;
        this.markets = markets;
        this.positions = positions;
        this.liquidations = liquidations;
        this.simulation = simulation;
    }

    @Get(uri = "/status", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> status(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.NodeService/GetStatus",
                () -> node.status(RestRequests.status(request)));
    }

    @Get(uri = "/markets", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> markets(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.MarketService/ListMarkets",
                () -> markets.list(RestRequests.listMarkets(request)));
    }

    @Get(uri = "/markets/{marketId}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> market(HttpRequest<?> request, @PathVariable String marketId) {
        return answers.answer(
                request,
                "freehold.v1.MarketService/GetMarket",
                () -> markets.get(RestRequests.getMarket(request, marketId)));
    }

    @Get(uri = "/positions", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> positions(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.PositionService/ListPositions",
                () -> positions.list(RestRequests.listPositions(request)));
    }

    @Get(uri = "/markets/{marketId}/positions/{account}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> position(
            HttpRequest<?> request, @PathVariable String marketId, @PathVariable String account) {
        return answers.answer(
                request,
                "freehold.v1.PositionService/GetPosition",
                () -> positions.get(RestRequests.getPosition(request, marketId, account)));
    }

    @Get(uri = "/liquidations", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> liquidations(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.LiquidationService/ListLiquidations",
                () -> {
                    RestQuery q =
                            RestQuery.of(
                                    request,
                                    Set.of("market_id", "borrower", "page_size", "page_token"));
                    return liquidations.liquidations(
                            ListLiquidationsRequest.newBuilder()
                                    .setMarketId(q.string("market_id"))
                                    .setBorrower(q.string("borrower"))
                                    .setPageSize(q.pageSize())
                                    .setPageToken(q.string("page_token"))
                                    .build());
                });
    }

    @Get(uri = "/attempts", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> attempts(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.LiquidationService/ListAttempts",
                () -> {
                    RestQuery q =
                            RestQuery.of(
                                    request,
                                    Set.of("market_id", "borrower", "page_size", "page_token"));
                    return liquidations.attempts(
                            ListAttemptsRequest.newBuilder()
                                    .setMarketId(q.string("market_id"))
                                    .setBorrower(q.string("borrower"))
                                    .setPageSize(q.pageSize())
                                    .setPageToken(q.string("page_token"))
                                    .build());
                });
    }

    /**
     * One change per call, as the gRPC request's oneof: {@code ?price=} or {@code ?borrow=} or ...
     */
    @Get(
            uri = "/markets/{marketId}/positions/{account}/simulate",
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> simulate(
            HttpRequest<?> request, @PathVariable String marketId, @PathVariable String account) {
        return answers.answer(
                request,
                "freehold.v1.SimulationService/Simulate",
                () -> {
                    Set<String> accepted = new java.util.HashSet<>(CHANGES);
                    accepted.add(TAKE_MAX_PRICE);
                    RestQuery q = RestQuery.of(request, accepted);
                    List<String> given = CHANGES.stream().filter(q::has).toList();
                    if (given.size() > 1) {
                        throw ApiException.invalid(
                                        "CONFLICTING_PARAMETERS",
                                        "change",
                                        "set one change: price, borrow, repay, deposit_collateral,"
                                                + " withdraw_collateral or take_collateral")
                                .with("given", String.join(",", given));
                    }
                    SimulateRequest.Builder b =
                            SimulateRequest.newBuilder().setMarketId(marketId).setAccount(account);
                    if (!given.isEmpty()) {
                        String v = q.string(given.get(0));
                        switch (given.get(0)) {
                            case "price" -> b.setPrice(v);
                            case "borrow" -> b.setBorrow(v);
                            case "repay" -> b.setRepay(v);
                            case "deposit_collateral" -> b.setDepositCollateral(v);
                            case TAKE_COLLATERAL ->
                                    b.setTake(
                                            TakeChange.newBuilder()
                                                    .setCollateral(v)
                                                    .setMaxPrice(
                                                            q.has(TAKE_MAX_PRICE)
                                                                    ? q.string(TAKE_MAX_PRICE)
                                                                    : ""));
                            default -> b.setWithdrawCollateral(v);
                        }
                    }
                    return simulation.simulate(b.build());
                });
    }
}
