package io.freehold.sdk;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.MarketServiceGrpc;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.SimulationServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in node on an in-process transport: each RPC answers with a function the test sets, and
 * every request, its headers and its deadline are recorded.
 */
final class FakeNode implements AutoCloseable {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    volatile Function<GetStatusRequest, io.freehold.proto.v1.NodeStatus> getStatus =
            r -> {
                throw Status.UNIMPLEMENTED.asRuntimeException();
            };
    volatile Function<ListMarketsRequest, ListMarketsResponse> listMarkets =
            r -> {
                throw Status.UNIMPLEMENTED.asRuntimeException();
            };
    volatile Function<GetMarketRequest, io.freehold.proto.v1.Market> getMarket =
            r -> {
                throw Status.UNIMPLEMENTED.asRuntimeException();
            };
    volatile Function<GetPositionRequest, io.freehold.proto.v1.Position> getPosition =
            r -> {
                throw Status.UNIMPLEMENTED.asRuntimeException();
            };
    volatile Function<ListPositionsRequest, ListPositionsResponse> listPositions =
            r -> {
                throw Status.UNIMPLEMENTED.asRuntimeException();
            };
    volatile Function<SimulateRequest, SimulateResponse> simulate =
            r -> {
                throw Status.UNIMPLEMENTED.asRuntimeException();
            };

    /** WatchPositions: what the fake does with each call (by default, refuses it). */
    volatile java.util.function.BiConsumer<
                    io.freehold.proto.v1.WatchPositionsRequest,
                    io.grpc.stub.ServerCallStreamObserver<io.freehold.proto.v1.PositionEvent>>
            watchPositions = (r, o) -> o.onError(Status.UNIMPLEMENTED.asRuntimeException());

    /** Every request received, in order, of every RPC. */
    final List<Object> requests = new CopyOnWriteArrayList<>();

    /** The headers of every call, in order. */
    final List<Metadata> headers = new CopyOnWriteArrayList<>();

    /** The deadline of every call, in order (null if none). */
    final List<Deadline> deadlines = new CopyOnWriteArrayList<>();

    private final String name = InProcessServerBuilder.generateName();
    private final Server server;

    FakeNode() throws IOException {
        ServerInterceptor recorder =
                new ServerInterceptor() {
                    @Override
                    public <Q, R> ServerCall.Listener<Q> interceptCall(
                            ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
                        headers.add(h);
                        deadlines.add(Context.current().getDeadline());
                        return next.startCall(call, h);
                    }
                };
        server =
                InProcessServerBuilder.forName(name)
                        .addService(
                                ServerInterceptors.intercept(
                                        new NodeServiceGrpc.NodeServiceImplBase() {
                                            @Override
                                            public void getStatus(
                                                    GetStatusRequest r,
                                                    StreamObserver<io.freehold.proto.v1.NodeStatus>
                                                            o) {
                                                answer(r, o, getStatus);
                                            }
                                        },
                                        recorder))
                        .addService(
                                ServerInterceptors.intercept(
                                        new MarketServiceGrpc.MarketServiceImplBase() {
                                            @Override
                                            public void listMarkets(
                                                    ListMarketsRequest r,
                                                    StreamObserver<ListMarketsResponse> o) {
                                                answer(r, o, listMarkets);
                                            }

                                            @Override
                                            public void getMarket(
                                                    GetMarketRequest r,
                                                    StreamObserver<io.freehold.proto.v1.Market> o) {
                                                answer(r, o, getMarket);
                                            }
                                        },
                                        recorder))
                        .addService(
                                ServerInterceptors.intercept(
                                        new PositionServiceGrpc.PositionServiceImplBase() {
                                            @Override
                                            public void getPosition(
                                                    GetPositionRequest r,
                                                    StreamObserver<io.freehold.proto.v1.Position>
                                                            o) {
                                                answer(r, o, getPosition);
                                            }

                                            @Override
                                            public void listPositions(
                                                    ListPositionsRequest r,
                                                    StreamObserver<ListPositionsResponse> o) {
                                                answer(r, o, listPositions);
                                            }

                                            @Override
                                            public void watchPositions(
                                                    io.freehold.proto.v1.WatchPositionsRequest r,
                                                    StreamObserver<
                                                                    io.freehold.proto.v1
                                                                            .PositionEvent>
                                                            o) {
                                                requests.add(r);
                                                watchPositions.accept(
                                                        r,
                                                        (io.grpc.stub.ServerCallStreamObserver<
                                                                        io.freehold.proto.v1
                                                                                .PositionEvent>)
                                                                o);
                                            }
                                        },
                                        recorder))
                        .addService(
                                ServerInterceptors.intercept(
                                        new SimulationServiceGrpc.SimulationServiceImplBase() {
                                            @Override
                                            public void simulate(
                                                    SimulateRequest r,
                                                    StreamObserver<SimulateResponse> o) {
                                                answer(r, o, simulate);
                                            }
                                        },
                                        recorder))
                        .build()
                        .start();
    }

    /** A client of this node; retries back off briefly so that tests stay fast. */
    FreeholdClient client(FreeholdSettings.Builder settings) {
        return FreeholdClient.create(
                settings.target("in-process:" + name).build(),
                InProcessChannelBuilder.forName(name));
    }

    FreeholdClient client() {
        return client(quickRetries());
    }

    static FreeholdSettings.Builder quickRetries() {
        return FreeholdSettings.builder()
                .tls(false)
                .retryInitialBackoff(java.time.Duration.ofMillis(5))
                .retryMaxBackoff(java.time.Duration.ofMillis(10));
    }

    /** The error the node sends: a status with an ErrorInfo in domain freehold.v1. */
    static StatusRuntimeException error(
            Status.Code code, String reason, String field, String message) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain("freehold.v1").setReason(reason);
        if (field != null) {
            info.putMetadata("field", field);
        }
        return StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                        .setCode(code.value())
                        .setMessage(message)
                        .addDetails(Any.pack(info.build()))
                        .build());
    }

    @SuppressWarnings("unchecked")
    <T> List<T> requestsOf(Class<T> type) {
        return (List<T>) requests.stream().filter(type::isInstance).toList();
    }

    private <Q, R> void answer(Q request, StreamObserver<R> observer, Function<Q, R> handler) {
        requests.add(request);
        R response;
        try {
            response = handler.apply(request);
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
