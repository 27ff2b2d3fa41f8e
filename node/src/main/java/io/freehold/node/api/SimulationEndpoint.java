package io.freehold.node.api;

import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Requires;
import io.micronaut.grpc.annotation.GrpcService;

/**
 * {@code SimulationService}: what one action or a new appraisal would do to a position, computed by
 * {@link SimulationReads} (also behind {@code GET /v1/simulate}).
 */
@GrpcService
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class SimulationEndpoint extends SimulationServiceGrpc.SimulationServiceImplBase {

    private final SimulationReads reads;

    public SimulationEndpoint(SimulationReads reads) {
        this.reads = reads;
    }

    @Override
    public void simulate(SimulateRequest request, StreamObserver<SimulateResponse> response) {
        Calls.unary(response, () -> reads.simulate(request));
    }
}
