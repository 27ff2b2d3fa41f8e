package io.freehold.node.ingest;

import io.micronaut.context.annotation.DefaultImplementation;

/**
 * What happens to the process when following cannot go on (a reorg deeper than the window under
 * {@code freehold.node.deep-reorg=stop}, events that do not add up). By default the process exits
 * with status 70 so that a supervisor (systemd, Kubernetes) notices and an operator is paged;
 * serving stale state as if it were current would be worse than not serving.
 */
@DefaultImplementation(ExitProcess.class)
public interface FatalStop {

    void stop(RuntimeException cause);
}
