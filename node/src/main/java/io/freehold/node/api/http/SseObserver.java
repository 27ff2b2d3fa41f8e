package io.freehold.node.api.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.freehold.proto.v1.Cursor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.micronaut.http.sse.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.FluxSink;

/**
 * A watch stream's gRPC-side observer, written to a Server-Sent Events response: so the same {@code
 * PositionSubscription} (bounded queue, snapshot, journal replay, retractions, heartbeats,
 * SLOW_CONSUMER) serves HTTP clients. {@code isReady} is the HTTP client's outstanding demand
 * (Reactive Streams back-pressure from the connection), and new demand runs the on-ready handler,
 * as gRPC's flow control does.
 *
 * <p>Each event is {@code event: <kind>} (the oneof's JSON name: {@code snapshot}, {@code updated},
 * {@code retracted}, {@code heartbeat}, ...), {@code id: <block>:<hash>:<sequence>} (the cursor,
 * which a reconnecting EventSource sends back as {@code Last-Event-ID}) and {@code data:} the event
 * message in protobuf's JSON mapping on one line. A stream the node ends with an error sends a last
 * {@code event: error} whose data is the API's error JSON.
 */
final class SseObserver<T extends MessageOrBuilder>
        extends io.grpc.stub.ServerCallStreamObserver<T> {

    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().omittingInsignificantWhitespace();

    private final FluxSink<Event<String>> sink;
    private final Function<T, Cursor> cursor;
    private final Function<T, String> kind;
    private volatile Runnable onReady = () -> {};
    private volatile Runnable onCancel = () -> {};
    private volatile boolean cancelled;

    SseObserver(
            FluxSink<Event<String>> sink, Function<T, Cursor> cursor, Function<T, String> kind) {
        this.sink = sink;
        this.cursor = cursor;
        this.kind = kind;
        sink.onRequest(n -> onReady.run());
        sink.onDispose(
                () -> {
                    cancelled = true;
                    onCancel.run();
                });
    }

    /** {@code block:hash:sequence}, the SSE id of an event at {@code c}. */
    static String id(Cursor c) {
        return c.getBlockNumber() + ":" + c.getBlockHash() + ":" + c.getSequence();
    }

    /** The cursor an SSE id names; IllegalArgumentException if it is not one. */
    static Cursor cursor(String id) {
        String[] parts = id.split(":", -1);
        if (parts.length != 3
                || !parts[1].matches("0x[0-9a-f]{64}")
                || !parts[0].matches("[0-9]{1,19}")
                || !parts[2].matches("[0-9]{1,19}")) {
            throw new IllegalArgumentException("not a cursor");
        }
        return Cursor.newBuilder()
                .setBlockNumber(Long.parseLong(parts[0]))
                .setBlockHash(parts[1])
                .setSequence(Long.parseLong(parts[2]))
                .build();
    }

    @Override
    public void onNext(T value) {
        try {
            sink.next(
                    Event.of(PRINTER.print(value))
                            .name(kind.apply(value))
                            .id(id(cursor.apply(value))));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status.getCode().name());
        com.google.rpc.Status details =
                t instanceof StatusRuntimeException e ? StatusProto.fromThrowable(e) : null;
        String reason = status.getCode().name();
        Map<String, String> metadata = new LinkedHashMap<>();
        if (details != null) {
            for (com.google.protobuf.Any any : details.getDetailsList()) {
                if (any.is(com.google.rpc.ErrorInfo.class)) {
                    try {
                        com.google.rpc.ErrorInfo info = any.unpack(com.google.rpc.ErrorInfo.class);
                        reason = info.getReason();
                        metadata.putAll(info.getMetadataMap());
                    } catch (InvalidProtocolBufferException e) {
                        // keep the code as the reason
                    }
                }
            }
        }
        body.put("reason", reason);
        body.put("message", String.valueOf(status.getDescription()));
        body.put("metadata", metadata);
        sink.next(Event.of(json(body)).name("error"));
        sink.complete();
    }

    private static String json(Map<String, Object> body) {
        StringBuilder b = new StringBuilder("{");
        body.forEach(
                (k, v) -> {
                    if (b.length() > 1) {
                        b.append(',');
                    }
                    b.append(quote(k)).append(':');
                    if (v instanceof Map<?, ?> m) {
                        b.append('{');
                        boolean first = true;
                        for (Map.Entry<?, ?> e : m.entrySet()) {
                            b.append(first ? "" : ",")
                                    .append(quote(String.valueOf(e.getKey())))
                                    .append(':')
                                    .append(quote(String.valueOf(e.getValue())));
                            first = false;
                        }
                        b.append('}');
                    } else {
                        b.append(quote(String.valueOf(v)));
                    }
                });
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void onCompleted() {
        sink.complete();
    }

    @Override
    public boolean isReady() {
        return !cancelled && sink.requestedFromDownstream() > 0;
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
        this.onReady = handler;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
        this.onCancel = handler;
        if (cancelled) {
            handler.run();
        }
    }

    @Override
    public void setCompression(String compression) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
}
