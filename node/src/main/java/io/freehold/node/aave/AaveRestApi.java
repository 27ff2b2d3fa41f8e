package io.freehold.node.aave;

import io.freehold.node.api.http.RestAnswers;
import io.freehold.node.api.http.RestRequests;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The REST mirror of {@link AaveReads} on a node following an Aave pool: the same paths, query
 * parameters, admission (tokens, rate limit) and JSON (protobuf's mapping of the same messages) as
 * the Freehold node's {@code RestApi}, for the reads an Aave node serves. No OpenAPI document
 * describes the {@code aave} objects yet (docs/AAVE.md).
 */
@Controller("/v1")
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AaveRestApi {

    private final RestAnswers answers;
    private final AaveReads reads;
    private final AaveSimulationReads simulation;

    public AaveRestApi(RestAnswers answers, AaveReads reads, AaveSimulationReads simulation) {
        this.answers = answers;
        this.reads = reads;
        this.simulation = simulation;
    }

    @Get(uri = "/status", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> status(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.NodeService/GetStatus",
                () -> reads.status(RestRequests.status(request)));
    }

    @Get(uri = "/markets", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> markets(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.MarketService/ListMarkets",
                () -> reads.listMarkets(RestRequests.listMarkets(request)));
    }

    @Get(uri = "/markets/{marketId}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> market(HttpRequest<?> request, @PathVariable String marketId) {
        return answers.answer(
                request,
                "freehold.v1.MarketService/GetMarket",
                () -> reads.getMarket(RestRequests.getMarket(request, marketId)));
    }

    @Get(uri = "/positions", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> positions(HttpRequest<?> request) {
        return answers.answer(
                request,
                "freehold.v1.PositionService/ListPositions",
                () -> reads.listPositions(RestRequests.listPositions(request)));
    }

    @Get(uri = "/markets/{marketId}/positions/{account}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> position(
            HttpRequest<?> request, @PathVariable String marketId, @PathVariable String account) {
        return answers.answer(
                request,
                "freehold.v1.PositionService/GetPosition",
                () -> reads.getPosition(RestRequests.getPosition(request, marketId, account)));
    }

    /** A reserve's new oracle price: {@code ?asset=0x..&price=} (base currency units). */
    @Get(
            uri = "/markets/{marketId}/positions/{account}/simulate",
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> simulate(
            HttpRequest<?> request, @PathVariable String marketId, @PathVariable String account) {
        return answers.answer(
                request,
                "freehold.v1.SimulationService/Simulate",
                () -> simulation.simulate(RestRequests.aaveSimulate(request, marketId, account)));
    }
}
