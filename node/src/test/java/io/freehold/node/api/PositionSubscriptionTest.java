package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.Retraction;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flow control of one stream, against a stand-in call: events go out only while the client is
 * ready, in order; a client that stops reading fills its bounded buffer and the stream ends
 * RESOURCE_EXHAUSTED.
 */
class PositionSubscriptionTest {

    @Test
    void sendsOnlyWhileTheClientIsReadyAndKeepsOrder() {
        FakeCall call = new FakeCall();
        PositionSubscription<PositionEvent> s =
                PositionSubscription.ofPositions(null, null, null, call, 100);
        call.ready = false;
        for (int i = 1; i <= 5; i++) {
            s.offer(retraction(i));
        }
        assertThat(call.sent).isEmpty();
        call.ready = true;
        call.onReady.run(); // gRPC calls this when the transport can take more
        assertThat(call.sent)
                .extracting(e -> e.getCursor().getSequence())
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aClientThatStopsReadingIsEndedWithSlowConsumerAndHoldsNoMore() {
        FakeCall call = new FakeCall();
        call.ready = false;
        PositionSubscription<PositionEvent> s =
                PositionSubscription.ofPositions(null, null, null, call, 3);
        for (int i = 1; i <= 10; i++) {
            s.offer(retraction(i));
        }
        assertThat(call.error).isNotNull();
        assertThat(Status.fromThrowable(call.error).getCode())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(call.error.getMessage()).contains("reconnect with the last cursor");
        assertThat(s.isClosed()).isTrue();
        call.ready = true;
        call.onReady.run();
        assertThat(call.sent).isEmpty();
    }

    private static StreamFeed.Entry retraction(long seq) {
        return new StreamFeed.Entry(
                PositionEvent.newBuilder()
                        .setCursor(Cursor.newBuilder().setSequence(seq))
                        .setRetracted(Retraction.getDefaultInstance())
                        .build(),
                null,
                null,
                null,
                null);
    }

    /** Just enough of a server call: readiness, the on-ready handler, what was sent. */
    private static final class FakeCall extends ServerCallStreamObserver<PositionEvent> {
        boolean ready = true;
        Runnable onReady;
        Throwable error;
        final List<PositionEvent> sent = new ArrayList<>();

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void onNext(PositionEvent value) {
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {}

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {}

        @Override
        public void setCompression(String compression) {}

        @Override
        public void disableAutoInboundFlowControl() {}

        @Override
        public void request(int count) {}

        @Override
        public void setMessageCompression(boolean enable) {}
    }
}
