package io.freehold.bench;

import io.freehold.node.ingest.AppliedRange;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.ingest.StateListener;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each follower step reached the node's listeners, by the step's last block: the start of the
 * stream's delivery latency. Registered on the follower as soon as the ingestion service exists, so
 * it runs before the risk engine and the position feed (which register after it) and the time
 * excludes the chain read and the store commit but includes valuing, journaling and sending.
 */
@Singleton
final class StepClock implements BeanCreatedEventListener<IngestionService> {

    /** Block number → System.nanoTime() when its step was handed to the listeners. */
    static final Map<Long, Long> STEP_STARTED = new ConcurrentHashMap<>();

    @Override
    public IngestionService onCreated(BeanCreatedEvent<IngestionService> event) {
        IngestionService service = event.getBean();
        service.follower()
                .addListener(
                        new StateListener() {
                            @Override
                            public void applied(AppliedRange range, ChainState state) {
                                STEP_STARTED.put(range.toBlock(), System.nanoTime());
                            }

                            @Override
                            public void reset(ChainState state) {
                                // a reload carries no block being published
                            }
                        });
        return service;
    }
}
