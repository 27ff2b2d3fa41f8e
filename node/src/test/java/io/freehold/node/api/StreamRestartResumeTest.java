package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.RunningNode;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * A batched watch against the real node on anvil: a step arrives as one message with the step's
 * cursor (marked as a step's end); after a node restart at the same block, resuming after that
 * cursor needs no snapshot (the stream starts with a heartbeat); after a restart that missed
 * blocks, it gets a snapshot.
 */
class StreamRestartResumeTest {

    @TempDir static Path dir;

    private static RunningNode node;
    private static String borrower;

    @BeforeAll
    static void start() throws Exception {
        node = RunningNode.start(dir, Map.of("freehold.node.api.streams.heartbeat", "300ms"));
        borrower = node.deployment.accounts().borrower();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aStepEndCursorResumesAcrossARestartAtTheSameBlockAndResyncsOtherwise() throws Exception {
        WatchPositionsRequest request =
                WatchPositionsRequest.newBuilder()
                        .setBatched(true)
                        .setFilter(PositionFilter.newBuilder().setOwner(borrower))
                        .build();
        Cursor last;
        ManagedChannel channel = channel();
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            Iterator<PositionEvent> stream = call.call(() -> stub(channel).watchPositions(request));
            assertThat(stream.next().hasSnapshot()).isTrue();
            assertThat(stream.next().hasSnapshotEnd()).isTrue();
            borrow(100);
            PositionEvent batch = nextChange(stream);
            assertThat(batch.hasBatch()).as(batch.toString()).isTrue();
            assertThat(batch.getCursor().getStepEnd()).isTrue();
            assertThat(batch.getBatch().getEventsList())
                    .isNotEmpty()
                    .allSatisfy(
                            e -> {
                                assertThat(e.hasUpdated()).isTrue();
                                assertThat(e.getUpdated().getAccount())
                                        .isEqualTo(borrower.toLowerCase());
                                assertThat(e.getCursor().getStepEnd()).isFalse();
                            });
            assertThat(batch.getCursor().getSequence())
                    .isEqualTo(
                            batch.getBatch()
                                    .getEvents(batch.getBatch().getEventsCount() - 1)
                                    .getCursor()
                                    .getSequence());
            PositionEvent beat =
                    stream.next(); // quiet now: the heartbeat carries the end of the last step
            while (!beat.hasHeartbeat()) {
                beat = stream.next();
            }
            assertThat(beat.getCursor().getStepEnd()).isTrue();
            last = beat.getCursor();
        } finally {
            call.cancel(null);
            channel.shutdownNow();
        }

        // Restarted at the same block: resumed, no snapshot; the first message is a heartbeat.
        node.restart();
        PositionEvent first = firstAfterResume(request, last);
        assertThat(first.hasHeartbeat()).as(first.toString()).isTrue();
        assertThat(first.getCursor().getBlockNumber()).isEqualTo(last.getBlockNumber());

        // Restarted after the chain moved without the node. If the node started from a later block,
        // the
        // journal cannot say what changed: a snapshot. If it started from the same block and
        // applied the new
        // one since, that step is in its journal: resumed, and the change follows. Never a gap.
        node.stopNode();
        borrow(200);
        node.restart();
        ManagedChannel channel2 = channel();
        Context.CancellableContext call2 = Context.current().withCancellation();
        try {
            Iterator<PositionEvent> stream =
                    call2.call(
                            () ->
                                    stub(channel2)
                                            .withWaitForReady()
                                            .watchPositions(
                                                    request.toBuilder()
                                                            .setResumeAfter(last)
                                                            .build()));
            PositionEvent next = stream.next();
            if (next.hasHeartbeat() || next.hasUpdated()) {
                PositionEvent change = next.hasUpdated() ? next : nextChange(stream);
                PositionEvent updated = change.hasBatch() ? change.getBatch().getEvents(0) : change;
                assertThat(updated.hasUpdated()).as(change.toString()).isTrue();
                assertThat(updated.getCursor().getBlockNumber())
                        .isGreaterThan(last.getBlockNumber());
            } else {
                assertThat(next.hasSnapshot() || next.hasSnapshotEnd())
                        .as(next.toString())
                        .isTrue();
            }
        } finally {
            call2.cancel(null);
            channel2.shutdownNow();
        }
    }

    private static PositionEvent firstAfterResume(WatchPositionsRequest request, Cursor after)
            throws Exception {
        ManagedChannel channel = channel();
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            Iterator<PositionEvent> stream =
                    call.call(
                            () ->
                                    stub(channel)
                                            .withWaitForReady()
                                            .watchPositions(
                                                    request.toBuilder()
                                                            .setResumeAfter(after)
                                                            .build()));
            return stream.next();
        } finally {
            call.cancel(null);
            channel.shutdownNow();
        }
    }

    /**
     * The next message with changes: heartbeats and empty batches (steps with nothing for this
     * filter) skipped.
     */
    private static PositionEvent nextChange(Iterator<PositionEvent> stream) {
        PositionEvent e = stream.next();
        while (e.hasHeartbeat() || (e.hasBatch() && e.getBatch().getEventsCount() == 0)) {
            e = stream.next();
        }
        return e;
    }

    private static ManagedChannel channel() {
        return ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                .usePlaintext()
                .build();
    }

    private static PositionServiceGrpc.PositionServiceBlockingStub stub(ManagedChannel channel) {
        return PositionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static void borrow(long dollars) throws Exception {
        LocalSystem.pool(node.anvil, node.deployment, node.anvil.credentials(2))
                .borrow(
                        Numeric.hexStringToByteArray(node.deployment.market("FH-DET-0412").id()),
                        LocalSystem.usd(dollars),
                        borrower)
                .send();
    }
}
