package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.EndpointStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The follower's numbers for {@code /prometheus} (and any Micrometer registry): head, applied and
 * final block, lag, events/blocks applied, reorgs and blocks rolled back, and per endpoint whether
 * its breaker lets calls through and the head it last reported.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class IngestionMetrics implements MeterBinder {

    // A provider, read when the meters are: the registry is built (binding this) while the data
    // source is, and the ingestion service needs the data source, so asking for the service here
    // would recurse until the stack overflows.
    private final BeanProvider<IngestionService> ingestion;
    private final ChainRpc rpc;

    public IngestionMetrics(BeanProvider<IngestionService> ingestion, ChainRpc rpc) {
        this.ingestion = ingestion;
        this.rpc = rpc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("freehold.chain.head", this, m -> m.follower().head())
                .description("best head among the endpoints")
                .register(registry);
        Gauge.builder("freehold.ingest.applied.block", this, m -> m.follower().appliedBlock())
                .description("last block applied to the store")
                .register(registry);
        Gauge.builder("freehold.ingest.final.block", this, m -> m.follower().finalBlock())
                .description("newest applied block past the confirmation depth")
                .register(registry);
        Gauge.builder("freehold.ingest.lag.blocks", this, m -> lag(m.follower()))
                .description("blocks between the head and the last applied block")
                .register(registry);
        FunctionCounter.builder("freehold.ingest.events", this, m -> m.follower().eventsApplied())
                .description("protocol events applied")
                .register(registry);
        FunctionCounter.builder("freehold.ingest.blocks", this, m -> m.follower().blocksApplied())
                .description("blocks applied")
                .register(registry);
        FunctionCounter.builder("freehold.ingest.reorgs", this, m -> m.follower().reorgs())
                .description("reorgs rolled back")
                .register(registry);
        FunctionCounter.builder("freehold.ingest.deep.reorgs", this, m -> m.follower().deepReorgs())
                .description(
                        "reorgs deeper than the confirmations recovered from (rolled back or resynced)")
                .register(registry);
        FunctionCounter.builder(
                        "freehold.ingest.rolled.back.blocks",
                        this,
                        m -> m.follower().rolledBackBlocks())
                .description("blocks undone by reorgs")
                .register(registry);
        Gauge.builder("freehold.ingest.up", this, m -> m.progressing() ? 1 : 0)
                .description(
                        "1 while the follower makes progress (catching up, following, recovering from a deep"
                                + " reorg); 0 while it retries"
                                + " a failed step, and after it stopped")
                .register(registry);
        for (EndpointStatus e : rpc.status()) {
            String name = e.name();
            Gauge.builder("freehold.rpc.endpoint.available", rpc, r -> available(r, name))
                    .tag("endpoint", name)
                    .description("1 when the endpoint's breaker lets calls through")
                    .register(registry);
            Gauge.builder("freehold.rpc.endpoint.head", rpc, r -> status(r, name).lastSeenHead())
                    .tag("endpoint", name)
                    .description("the head the endpoint last reported")
                    .register(registry);
        }
    }

    private boolean progressing() {
        IngestionService.Phase phase = ingestion.get().phase();
        return phase == IngestionService.Phase.CATCHING_UP
                || phase == IngestionService.Phase.FOLLOWING
                || phase == IngestionService.Phase.RECOVERING;
    }

    private Follower follower() {
        return ingestion.get().follower();
    }

    private static double lag(Follower f) {
        return f.head() < 0 ? 0 : Math.max(0, f.head() - f.appliedBlock());
    }

    private static double available(ChainRpc rpc, String name) {
        EndpointStatus s = status(rpc, name);
        return "OPEN".equals(s.breakerState()) || "WRONG_CHAIN".equals(s.chainCheck()) ? 0 : 1;
    }

    private static EndpointStatus status(ChainRpc rpc, String name) {
        return rpc.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
