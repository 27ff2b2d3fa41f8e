package io.freehold.node.aave;

import io.freehold.node.api.Calls;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code SimulationService} of a node following an Aave v3 pool: a reserve's new oracle price,
 * computed by {@link AaveSimulationReads} (also behind the REST mirror's simulate route).
 */
@GrpcService
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveSimulationEndpoint extends SimulationServiceGrpc.SimulationServiceImplBase {

    private final AaveSimulationReads reads;

    public AaveSimulationEndpoint(AaveSimulationReads reads) {
        this.reads = reads;
    }

    @Override
    public void simulate(SimulateRequest request, StreamObserver<SimulateResponse> response) {
        Calls.unary(response, () -> reads.simulate(request));
    }
}
