package io.freehold.node.api;

import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Standard services next to the API so generic tools work against the node: server reflection
 * ({@code grpcurl -plaintext localhost:50051 list}). The gRPC health service comes with Micronaut's
 * gRPC health module.
 */
@Factory
final class GrpcServices {

    @Singleton
    BindableService reflection() {
        return ProtoReflectionServiceV1.newInstance();
    }
}
