package io.freehold.node.api.metrics;

import io.freehold.node.api.Watches;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The watch streams for {@code /prometheus}: {@code freehold.api.stream.subscribers} (open
 * WatchPositions and WatchOpportunities streams) and {@code freehold.api.stream.queued} (events
 * queued for them, not yet sent: a rising line means clients read slower than the node writes; a
 * stream whose queue fills is ended with SLOW_CONSUMER, counted in {@code freehold.api.refusals}).
 * Whatever the protocol the node follows: the streams of its {@link Watches}.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class StreamMetrics implements MeterBinder {

    // A provider, read when the gauges are: the watches need the ingestion service, which needs the
    // data
    // source, which is being built while the registry binds this.
    private final BeanProvider<Watches> feed;

    public StreamMetrics(BeanProvider<Watches> feed) {
        this.feed = feed;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("freehold.api.stream.subscribers", feed, f -> f.get().subscribers())
                .description("open watch streams (positions and opportunities)")
                .register(registry);
        Gauge.builder("freehold.api.stream.queued", feed, f -> f.get().queued())
                .description("events queued for watch streams and not yet sent")
                .register(registry);
    }
}
