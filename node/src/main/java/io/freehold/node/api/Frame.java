package io.freehold.node.api;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.WireFormat;
import io.freehold.proto.v1.Cursor;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One stream message as the node sends it: the message, its serialized form, or both, each computed
 * at most once. An event published to many subscribers is one frame, so it is serialized once and
 * every gRPC stream writes the same bytes ({@link #marshaller}); a batch is built by concatenating
 * its events' bytes, never by serializing them again.
 */
final class Frame<M extends MessageLite> {

    private final Parser<M> parser;
    private volatile M message;
    private volatile byte[] bytes;

    private Frame(M message, byte[] bytes, Parser<M> parser) {
        this.message = message;
        this.bytes = bytes;
        this.parser = parser;
    }

    static <M extends MessageLite> Frame<M> of(M message, Parser<M> parser) {
        return new Frame<>(message, null, parser);
    }

    /** A message already serialized (parsed only if someone asks for the message). */
    static <M extends MessageLite> Frame<M> ofBytes(byte[] bytes, Parser<M> parser) {
        return new Frame<>(null, bytes, parser);
    }

    /** The message (parsed from the bytes the first time it is asked for, if built from bytes). */
    M message() {
        M m = message;
        if (m == null) {
            try {
                m = parser.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
            message = m;
        }
        return m;
    }

    /** The serialized message (serialized the first time it is asked for). */
    byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            b = message.toByteArray();
            bytes = b;
        }
        return b;
    }

    /**
     * The event message {@code { cursor = 1: cursor; <batchField>: { events = 1: each of events }
     * }}, written from the events' own bytes.
     */
    static <M extends MessageLite> Frame<M> batch(
            Cursor cursor, int batchField, List<Frame<M>> events, Parser<M> parser) {
        int inner = 0;
        for (Frame<M> e : events) {
            inner += CodedOutputStream.computeByteArraySize(1, e.bytes());
        }
        int size =
                CodedOutputStream.computeMessageSize(1, cursor)
                        + CodedOutputStream.computeTagSize(batchField)
                        + CodedOutputStream.computeUInt32SizeNoTag(inner)
                        + inner;
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeMessage(1, cursor);
            o.writeTag(batchField, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(inner);
            for (Frame<M> e : events) {
                o.writeByteArray(1, e.bytes());
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Frame<>(null, out, parser);
    }

    /**
     * Writes a frame's bytes as they are (server side); reads a message into a frame (client side).
     */
    static <M extends MessageLite> MethodDescriptor.Marshaller<Frame<M>> marshaller(
            Parser<M> parser) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Frame<M> frame) {
                return new Bytes(frame.bytes());
            }

            @Override
            public Frame<M> parse(InputStream stream) {
                try {
                    return new Frame<>(null, stream.readAllBytes(), parser);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * {@code base} with its server-streaming {@code method} answered in frames by {@code handler}:
     * the same method name and request, the response written by {@link #marshaller}, so clients see
     * no difference.
     */
    @SuppressWarnings("unchecked")
    static <Q, M extends MessageLite> ServerServiceDefinition withFrames(
            ServerServiceDefinition base,
            MethodDescriptor<Q, M> method,
            Parser<M> parser,
            BiConsumer<Q, ServerCallStreamObserver<Frame<M>>> handler) {
        MethodDescriptor<Q, Frame<M>> framed =
                method.toBuilder(method.getRequestMarshaller(), marshaller(parser)).build();
        return replaced(
                base,
                framed,
                ServerCalls.asyncServerStreamingCall(
                        (request, observer) ->
                                handler.accept(
                                        request, (ServerCallStreamObserver<Frame<M>>) observer)));
    }

    /**
     * {@code base} with its unary {@code method} answered by a frame from {@code answer} (as {@link
     * Calls#unary} answers): the same method name and request, the response's bytes written as they
     * are, so clients see no difference.
     */
    static <Q, M extends MessageLite> ServerServiceDefinition withUnaryFrame(
            ServerServiceDefinition base,
            MethodDescriptor<Q, M> method,
            Parser<M> parser,
            Function<Q, Frame<M>> answer) {
        MethodDescriptor<Q, Frame<M>> framed =
                method.toBuilder(method.getRequestMarshaller(), marshaller(parser)).build();
        return replaced(
                base,
                framed,
                ServerCalls.asyncUnaryCall(
                        (request, observer) -> Calls.unary(observer, () -> answer.apply(request))));
    }

    /** {@code base} with the method of {@code framed}'s name served by {@code handler}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <Q, M extends MessageLite> ServerServiceDefinition replaced(
            ServerServiceDefinition base,
            MethodDescriptor<Q, Frame<M>> framed,
            ServerCallHandler<Q, Frame<M>> handler) {
        String name = framed.getFullMethodName();
        ServiceDescriptor old = base.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor =
                ServiceDescriptor.newBuilder(old.getName())
                        .setSchemaDescriptor(old.getSchemaDescriptor());
        for (MethodDescriptor<?, ?> m : old.getMethods()) {
            descriptor.addMethod(m.getFullMethodName().equals(name) ? framed : m);
        }
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition def : base.getMethods()) {
            if (def.getMethodDescriptor().getFullMethodName().equals(name)) {
                out.addMethod(framed, handler);
            } else {
                out.addMethod(def);
            }
        }
        return out.build();
    }

    /**
     * The frame's bytes for the transport: known length, drained straight into the outgoing buffer.
     */
    private static final class Bytes extends ByteArrayInputStream
            implements KnownLength, Drainable {

        Bytes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }
}
