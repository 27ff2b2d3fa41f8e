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
    // A batch: its cursor and the batch field's tag and length, then its events' bytes, each
    // preceded by its own tag and length (null: not a batch). Sent from these, not from one array.
    private final byte[] head;
    private final List<Frame<M>> events;
    private final int size;

    private Frame(M message, byte[] bytes, Parser<M> parser) {
        this(message, bytes, parser, null, null, 0);
    }

    private Frame(
            M message,
            byte[] bytes,
            Parser<M> parser,
            byte[] head,
            List<Frame<M>> events,
            int size) {
        this.message = message;
        this.bytes = bytes;
        this.parser = parser;
        this.head = head;
        this.events = events;
        this.size = size;
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
                m = parser.parseFrom(bytes());
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
            if (events != null) {
                b = new byte[size];
                try {
                    new Parts().drainTo(new Into(b));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                b = message.toByteArray();
            }
            bytes = b;
        }
        return b;
    }

    /** What the transport reads: the bytes, or a batch's parts one after another. */
    private InputStream stream() {
        byte[] b = bytes;
        return b == null && events != null ? new Parts() : new Bytes(bytes());
    }

    /**
     * The event message {@code { cursor = 1: cursor; <batchField>: { events = 1: each of events }
     * }}, from the events' own bytes: the transport writes them one after another into its buffers
     * (a step's batch of 1,000 positions is about 0.5 MB; it is not copied into an array of its own
     * first, unless something asks for {@link #bytes}).
     */
    static <M extends MessageLite> Frame<M> batch(
            Cursor cursor, int batchField, List<Frame<M>> events, Parser<M> parser) {
        int inner = 0;
        for (Frame<M> e : events) {
            inner += CodedOutputStream.computeByteArraySize(1, e.bytes());
        }
        byte[] head =
                new byte
                        [CodedOutputStream.computeMessageSize(1, cursor)
                                + CodedOutputStream.computeTagSize(batchField)
                                + CodedOutputStream.computeUInt32SizeNoTag(inner)];
        CodedOutputStream o = CodedOutputStream.newInstance(head);
        try {
            o.writeMessage(1, cursor);
            o.writeTag(batchField, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(inner);
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Frame<>(null, null, parser, head, List.copyOf(events), head.length + inner);
    }

    /**
     * Writes a frame's bytes as they are (server side); reads a message into a frame (client side).
     */
    static <M extends MessageLite> MethodDescriptor.Marshaller<Frame<M>> marshaller(
            Parser<M> parser) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Frame<M> frame) {
                return frame.stream();
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

    /**
     * A batch's bytes for the transport, drained straight from its parts into the outgoing buffer;
     * read any other way, from {@link #bytes}.
     */
    private final class Parts extends InputStream implements KnownLength, Drainable {
        private boolean drained;
        private InputStream read; // only if the transport reads rather than drains

        @Override
        public int drainTo(OutputStream target) throws IOException {
            if (read != null) {
                return (int) read.transferTo(target);
            }
            if (drained) {
                return 0;
            }
            drained = true;
            target.write(head);
            // Each event as field 1 of the batch: its tag and length, then its bytes.
            byte[] prefix = new byte[CodedOutputStream.computeTagSize(1) + 5];
            for (Frame<M> e : events) {
                byte[] b = e.bytes();
                CodedOutputStream p = CodedOutputStream.newInstance(prefix);
                p.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                p.writeUInt32NoTag(b.length);
                target.write(prefix, 0, p.getTotalBytesWritten());
                target.write(b);
            }
            return size;
        }

        @Override
        public int available() throws IOException {
            return read != null ? read.available() : drained ? 0 : size;
        }

        @Override
        public int read() throws IOException {
            return reader().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return reader().read(b, off, len);
        }

        private InputStream reader() {
            if (read == null) {
                read = new ByteArrayInputStream(drained ? new byte[0] : bytes());
            }
            return read;
        }
    }

    /** Writes into an array from its start (what {@link #bytes} concatenates a batch into). */
    private static final class Into extends OutputStream {
        private final byte[] out;
        private int pos;

        Into(byte[] out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, out, pos, len);
            pos += len;
        }
    }
}
