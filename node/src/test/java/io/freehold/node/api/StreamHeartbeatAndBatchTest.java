package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.Heartbeat;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.Retraction;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats on a quiet stream, with the clock injected (the timer's ticks replayed with scheduling
 * slack): the gap between two messages never exceeds the interval plus that slack; and a batched
 * stream gets one message per step holding the step's events, written from the events' own bytes.
 */
class StreamHeartbeatAndBatchTest {

    private static final long MS = 1_000_000L;

    @Test
    void aQuietStreamNeverWaitsLongerThanTheIntervalBetweenMessages() {
        for (long intervalMs : new long[] {5_000, 300, 50, 1}) {
            long interval = intervalMs * MS;
            long tick = StreamFeed.heartbeatTick(Duration.ofNanos(interval)).toNanos();
            long slack = tick / 5; // each tick runs up to a fifth of a tick late
            Random random = new Random(intervalMs);
            long lastSent = 0;
            long maxGap = 0;
            long minGap = Long.MAX_VALUE;
            int beats = 0;
            for (int k = 1; k <= 2_000; k++) {
                long now = k * tick + (long) (random.nextDouble() * slack);
                if (PositionSubscription.heartbeatDue(now, lastSent, interval, tick)) {
                    maxGap = Math.max(maxGap, now - lastSent);
                    minGap = Math.min(minGap, now - lastSent);
                    lastSent = now;
                    beats++;
                }
            }
            assertThat(beats).as("interval %d ms", intervalMs).isPositive();
            assertThat(maxGap)
                    .as("longest gap, interval %d ms", intervalMs)
                    .isLessThanOrEqualTo(interval + slack);
            assertThat(minGap)
                    .as("shortest gap, interval %d ms", intervalMs)
                    .isGreaterThanOrEqualTo(interval - tick);
        }
    }

    @Test
    void theSubscriptionSendsAHeartbeatOnlyWhenQuietForTheIntervalLessATick() {
        FakeCall call = new FakeCall();
        PositionSubscription<PositionEvent> s =
                PositionSubscription.ofPositions(null, null, null, call, 100);
        StreamFeed.Entry beat =
                new StreamFeed.Entry(
                        PositionEvent.newBuilder()
                                .setCursor(Cursor.newBuilder().setSequence(7))
                                .setHeartbeat(Heartbeat.getDefaultInstance())
                                .build(),
                        null,
                        null,
                        null,
                        null);
        long interval = 5_000 * MS;
        long tick = StreamFeed.heartbeatTick(Duration.ofNanos(interval)).toNanos();
        long start = System.nanoTime();
        s.offer(retraction(1)); // sent now: the stream is not quiet
        assertThat(call.sent).hasSize(1);
        s.heartbeatIfQuiet(
                beat,
                start + interval - tick - 2 * MS - (System.nanoTime() - start),
                interval,
                tick);
        assertThat(call.sent).hasSize(1);
        s.heartbeatIfQuiet(beat, System.nanoTime() + interval - tick, interval, tick);
        assertThat(call.sent).hasSize(2);
        assertThat(call.sent.get(1).hasHeartbeat()).isTrue();
    }

    @Test
    void aBatchedStreamGetsEachStepAsOneMessageFromTheEventsOwnBytes() throws Exception {
        List<Frame<PositionEvent>> sentA = new ArrayList<>();
        List<Frame<PositionEvent>> sentB = new ArrayList<>();
        PositionSubscription<Frame<PositionEvent>> a =
                new PositionSubscription<>(
                        null,
                        null,
                        null,
                        new FrameCall(sentA),
                        PositionSubscription.View.POSITION_FRAMES,
                        true,
                        100);
        PositionSubscription<Frame<PositionEvent>> b =
                new PositionSubscription<>(
                        null,
                        null,
                        null,
                        new FrameCall(sentB),
                        PositionSubscription.View.POSITION_FRAMES,
                        true,
                        100);
        List<StreamFeed.Entry> step = List.of(retraction(1), retraction(2), retraction(3));
        Map<Object, Object> shared = new HashMap<>();
        Cursor end = Cursor.newBuilder().setSequence(3).setStepEnd(true).build();
        a.offer(step, end, shared);
        b.offer(step, end, shared);
        assertThat(sentA).hasSize(1);
        assertThat(sentB.get(0)).as("same filter: the same message").isSameAs(sentA.get(0));
        PositionEvent batch = PositionEvent.parseFrom(sentA.get(0).bytes());
        assertThat(batch.getCursor()).isEqualTo(end);
        assertThat(batch.getBatch().getEventsList())
                .extracting(e -> e.getCursor().getSequence())
                .containsExactly(1L, 2L, 3L);
        assertThat(batch.getBatch().getEvents(0)).isEqualTo(step.get(0).event());
        assertThat(step.get(1).frame().bytes())
                .as("each event serialized once")
                .isSameAs(step.get(1).frame().bytes());
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

    private static final class FakeCall extends Call<PositionEvent> {
        final List<PositionEvent> sent = new ArrayList<>();

        @Override
        public void onNext(PositionEvent value) {
            sent.add(value);
        }
    }

    private static final class FrameCall extends Call<Frame<PositionEvent>> {
        final List<Frame<PositionEvent>> sent;

        FrameCall(List<Frame<PositionEvent>> sent) {
            this.sent = sent;
        }

        @Override
        public void onNext(Frame<PositionEvent> value) {
            sent.add(value);
        }
    }

    /** Just enough of a server call, always ready. */
    private abstract static class Call<T> extends ServerCallStreamObserver<T> {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {}

        @Override
        public void onError(Throwable t) {}

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
