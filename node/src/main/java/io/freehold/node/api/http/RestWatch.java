package io.freehold.node.api.http;

import io.freehold.node.api.ApiException;
import io.freehold.node.api.ApiGuard;
import io.freehold.node.api.Watches;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The two watches as Server-Sent Events: {@code GET /v1/watch/positions} (WatchPositions) and
 * {@code GET /v1/watch/opportunities} (WatchOpportunities), with the gRPC requests' filters as
 * query parameters. Resumable: the {@code Last-Event-ID} header (sent by a browser's EventSource by
 * itself on reconnecting) or the {@code last_event_id} parameter carries the cursor of the last
 * event received; the stream continues after it, or starts with a fresh snapshot when the node
 * cannot (as over gRPC). Heartbeats, retractions and SLOW_CONSUMER as over gRPC: one {@link
 * Watches} behind both.
 */
@Controller("/v1/watch")
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class RestWatch {

    private final RestAnswers answers;
    private final Watches watches;
    private final ApiGuard guard;

    public RestWatch(RestAnswers answers, Watches watches, ApiGuard guard) {
        this.answers = answers;
        this.watches = watches;
        this.guard = guard;
    }

    @Get(
            uri = "/positions",
            produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    public HttpResponse<?> positions(HttpRequest<?> request) {
        return open(
                request,
                "freehold.v1.PositionService/WatchPositions",
                Set.of("market_id", "owner", "health_factor_below", "last_event_id"),
                q -> {
                    WatchPositionsRequest.Builder b =
                            WatchPositionsRequest.newBuilder()
                                    .setFilter(
                                            PositionFilter.newBuilder()
                                                    .setMarketId(q.string("market_id"))
                                                    .setOwner(q.string("owner"))
                                                    .setHealthFactorBelow(
                                                            q.string("health_factor_below")));
                    Cursor resume = resumeAfter(request, q);
                    if (resume != null) {
                        b.setResumeAfter(resume);
                    }
                    WatchPositionsRequest watch = b.build();
                    watches.check(watch);
                    return sink -> {
                        SseObserver<PositionEvent> events =
                                new SseObserver<>(
                                        sink,
                                        PositionEvent::getCursor,
                                        e -> kind(e.getEventCase().name()));
                        try {
                            watches.positions(watch, events);
                        } catch (ApiException e) {
                            events.onError(e.toStatus());
                        }
                    };
                });
    }

    @Get(
            uri = "/opportunities",
            produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
    public HttpResponse<?> opportunities(HttpRequest<?> request) {
        return open(
                request,
                "freehold.v1.LiquidationService/WatchOpportunities",
                Set.of("market_id", "health_factor_below", "last_event_id"),
                q -> {
                    WatchOpportunitiesRequest.Builder b =
                            WatchOpportunitiesRequest.newBuilder()
                                    .setMarketId(q.string("market_id"))
                                    .setHealthFactorBelow(q.string("health_factor_below"));
                    Cursor resume = resumeAfter(request, q);
                    if (resume != null) {
                        b.setResumeAfter(resume);
                    }
                    WatchOpportunitiesRequest watch = b.build();
                    watches.check(watch);
                    return sink -> {
                        SseObserver<OpportunityEvent> events =
                                new SseObserver<>(
                                        sink,
                                        OpportunityEvent::getCursor,
                                        e -> kind(e.getEventCase().name()));
                        try {
                            watches.opportunities(watch, events);
                        } catch (ApiException e) {
                            events.onError(e.toStatus());
                        }
                    };
                });
    }

    /**
     * Admits and validates before the response starts (so a refusal is a plain 4xx with the error
     * JSON), then opens the stream when the connection subscribes.
     */
    private HttpResponse<?> open(
            HttpRequest<?> request,
            String method,
            Set<String> parameters,
            Function<RestQuery, Consumer<FluxSink<Event<String>>>> stream) {
        Consumer<FluxSink<Event<String>>> subscribe;
        try {
            String caller = answers.admit(request, method);
            subscribe = stream.apply(RestQuery.of(request, parameters));
            Runnable release = guard.acquireStream(caller); // the same stream caps as gRPC's
            // Buffering never grows: the subscription sends only while isReady (there is demand).
            Publisher<Event<String>> events =
                    Flux.create(subscribe, FluxSink.OverflowStrategy.BUFFER)
                            .doFinally(signal -> release.run());
            return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
        } catch (ApiException e) {
            return answers.error(e);
        }
    }

    private static Cursor resumeAfter(HttpRequest<?> request, RestQuery q) {
        String id = request.getHeaders().get("Last-Event-ID");
        if (id == null || id.isEmpty()) {
            id = q.string("last_event_id");
        }
        if (id.isEmpty()) {
            return null;
        }
        try {
            return SseObserver.cursor(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                    "INVALID_CURSOR",
                    "last_event_id",
                    "Last-Event-ID must be an event id this node sent (block:hash:sequence)");
        }
    }

    /** SNAPSHOT_END → snapshotEnd: the oneof field's JSON name. */
    private static String kind(String eventCase) {
        String[] parts = eventCase.toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return b.toString();
    }
}
