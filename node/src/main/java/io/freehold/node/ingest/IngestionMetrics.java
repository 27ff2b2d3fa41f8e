package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.EndpointStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * The follower's numbers for {@code /prometheus} (and any Micrometer registry): head, applied and final
 * block, lag, events/blocks applied, reorgs and blocks rolled back, and per endpoint whether its
 * breaker lets calls through and the head it last reported.
 */
@Singleton
public final class IngestionMetrics implements MeterBinder {

    private final IngestionService ingestion;
    private final ChainRpc rpc;

    public IngestionMetrics(IngestionService ingestion, ChainRpc rpc) {
        this.ingestion = ingestion;
        this.rpc = rpc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Follower f = ingestion.follower();
        Gauge.builder("freehold.chain.head", f, Follower::head).description("best head among the endpoints")
                .register(registry);
        Gauge.builder("freehold.ingest.applied.block", f, Follower::appliedBlock)
                .description("last block applied to the store").register(registry);
        Gauge.builder("freehold.ingest.final.block", f, Follower::finalBlock)
                .description("newest applied block past the confirmation depth").register(registry);
        Gauge.builder("freehold.ingest.lag.blocks", f, x -> x.head() < 0 ? 0 : Math.max(0, x.head() - x.appliedBlock()))
                .description("blocks between the head and the last applied block").register(registry);
        FunctionCounter.builder("freehold.ingest.events", f, Follower::eventsApplied)
                .description("protocol events applied").register(registry);
        FunctionCounter.builder("freehold.ingest.blocks", f, Follower::blocksApplied)
                .description("blocks applied").register(registry);
        FunctionCounter.builder("freehold.ingest.reorgs", f, Follower::reorgs)
                .description("reorgs rolled back").register(registry);
        FunctionCounter.builder("freehold.ingest.rolled.back.blocks", f, Follower::rolledBackBlocks)
                .description("blocks undone by reorgs").register(registry);
        Gauge.builder("freehold.ingest.up", ingestion,
                s -> s.phase() == IngestionService.Phase.FAILED || s.phase() == IngestionService.Phase.STOPPED ? 0 : 1)
                .description("1 while the follower runs").register(registry);
        for (EndpointStatus e : rpc.status()) {
            String name = e.name();
            Gauge.builder("freehold.rpc.endpoint.available", rpc, r -> available(r, name)).tag("endpoint", name)
                    .description("1 when the endpoint's breaker lets calls through").register(registry);
            Gauge.builder("freehold.rpc.endpoint.head", rpc, r -> status(r, name).lastSeenHead()).tag("endpoint", name)
                    .description("the head the endpoint last reported").register(registry);
        }
    }

    private static double available(ChainRpc rpc, String name) {
        EndpointStatus s = status(rpc, name);
        return "OPEN".equals(s.breakerState()) || "WRONG_CHAIN".equals(s.chainCheck()) ? 0 : 1;
    }

    private static EndpointStatus status(ChainRpc rpc, String name) {
        return rpc.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
