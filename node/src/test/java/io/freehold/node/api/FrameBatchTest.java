package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionEventBatch;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch frame is sent from its parts (drained into the transport) and read back as one array
 * (bytes, message): both are the bytes protobuf writes for the same batch message.
 */
class FrameBatchTest {

    private static final Cursor END =
            Cursor.newBuilder()
                    .setBlockNumber(7)
                    .setBlockHash("0x" + "ab".repeat(32))
                    .setSequence(1_000_000_123L)
                    .setStepEnd(true)
                    .build();

    private static List<PositionEvent> events(int n) {
        List<PositionEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(
                    PositionEvent.newBuilder()
                            .setCursor(END.toBuilder().setSequence(i).setStepEnd(false))
                            // sizes across the one- and two-byte length prefixes
                            .setUpdated(
                                    Position.newBuilder()
                                            .setAccount("0x" + "1".repeat(40))
                                            .setDebt("9".repeat(i % 200)))
                            .build());
        }
        return out;
    }

    private static byte[] expected(List<PositionEvent> events) {
        return PositionEvent.newBuilder()
                .setCursor(END)
                .setBatch(PositionEventBatch.newBuilder().addAllEvents(events))
                .build()
                .toByteArray();
    }

    private static Frame<PositionEvent> batch(List<PositionEvent> events) {
        List<Frame<PositionEvent>> frames = new ArrayList<>();
        events.forEach(e -> frames.add(Frame.of(e, PositionEvent.parser())));
        return Frame.batch(END, PositionEvent.BATCH_FIELD_NUMBER, frames, PositionEvent.parser());
    }

    @Test
    void theTransportDrainsTheBytesProtobufWouldWrite() throws Exception {
        for (int n : new int[] {0, 1, 300}) {
            List<PositionEvent> events = events(n);
            InputStream stream = Frame.marshaller(PositionEvent.parser()).stream(batch(events));
            assertThat(stream.available()).isEqualTo(expected(events).length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ((io.grpc.Drainable) stream).drainTo(out);
            assertThat(out.toByteArray()).isEqualTo(expected(events));
            assertThat(stream.available()).isZero();
        }
    }

    @Test
    void readAsAStreamOrAsItsBytesOrMessageItIsTheSameBatch() throws Exception {
        List<PositionEvent> events = events(300);
        byte[] expected = expected(events);
        assertThat(Frame.marshaller(PositionEvent.parser()).stream(batch(events)).readAllBytes())
                .isEqualTo(expected);
        assertThat(batch(events).bytes()).isEqualTo(expected);
        assertThat(batch(events).message().getBatch().getEventsList()).isEqualTo(events);
    }
}
