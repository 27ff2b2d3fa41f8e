package io.freehold.node.ingest;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * The node's status on the standard gRPC health service ({@code grpc.health.v1.Health}, the server as
 * a whole: service name {@code ""}), for what ingestion decides: NOT_SERVING while the node recovers
 * from a reorg deeper than the window, SERVING again once it is back at the head. Probes
 * ({@code grpc_health_probe}, Kubernetes) then take the node out of rotation while its state is being
 * rebuilt. Does nothing when the gRPC server (and so its health service) is not part of the application.
 */
@Singleton
public class NodeServingStatus {

    private final HealthStatusManager health;

    public NodeServingStatus(@Nullable HealthStatusManager health) {
        this.health = health;
    }

    /** Sets the server-wide status. */
    public void serving(boolean serving) {
        if (health != null) {
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                    serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        }
    }
}
