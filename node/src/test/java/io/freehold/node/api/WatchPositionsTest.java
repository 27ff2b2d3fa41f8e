package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
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
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * WatchPositions on the real node: a snapshot, then the changes of each follower step with their
 * cursor and the chain's numbers; a client that reconnects with its last cursor gets exactly what
 * it missed; a rollback of the chain is retracted and the touched position re-sent with its value
 * on the surviving chain; heartbeats while quiet.
 */
class WatchPositionsTest {

    @TempDir static Path dir;

    private static RunningNode node;
    private static Anvil anvil;
    private static Deployment deployment;
    private static EmbeddedServer server;
    private static ManagedChannel channel;
    private static byte[] det;

    @BeforeAll
    static void startNode() throws Exception {
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "freehold.node.confirmations",
                                16,
                                "freehold.node.api.streams.heartbeat",
                                "300ms"));
        anvil = node.anvil;
        deployment = node.deployment;
        server = node.server;
        det = Numeric.hexStringToByteArray(deployment.market("FH-DET-0412").id());
        channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                        .usePlaintext()
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void snapshotThenChangesResumeWithoutGapsAndRetractionsOnARollback() throws Exception {
        String borrower = deployment.accounts().borrower();
        WatchPositionsRequest request =
                WatchPositionsRequest.newBuilder()
                        .setFilter(PositionFilter.newBuilder().setOwner(borrower))
                        .build();

        // 1. Snapshot: the borrower's one position, then the end marker.
        Context.CancellableContext first = Context.current().withCancellation();
        Iterator<PositionEvent> stream = first.call(() -> stub().watchPositions(request));
        PositionEvent snap = stream.next();
        assertThat(snap.hasSnapshot()).isTrue();
        assertThat(snap.getSnapshot().getAccount()).isEqualTo(borrower.toLowerCase());
        assertThat(stream.next().getSnapshotEnd().getPositions()).isEqualTo(1);

        // 2. A borrow: an update with the chain's own numbers at its block.
        borrow(LocalSystem.usd(100));
        PositionEvent update = nextNonHeartbeat(stream);
        assertThat(update.hasUpdated()).isTrue();
        LendingPool.PositionView view =
                pool(update.getCursor().getBlockNumber()).position(det, borrower).send();
        assertThat(update.getUpdated().getDebt()).isEqualTo(view.debt.toString());
        assertThat(update.getUpdated().getHealthFactor()).isEqualTo(view.healthFactor.toString());
        Cursor lastSeen = update.getCursor();
        first.cancel(null);

        // 3. Two more borrows while disconnected; resuming from the last cursor gets exactly those
        // two.
        borrow(LocalSystem.usd(200));
        borrow(LocalSystem.usd(300));
        awaitApplied();
        Context.CancellableContext second = Context.current().withCancellation();
        Iterator<PositionEvent> resumed =
                second.call(
                        () ->
                                stub().watchPositions(
                                                request.toBuilder()
                                                        .setResumeAfter(lastSeen)
                                                        .build()));
        // Changes are per follower step: both borrows may arrive as one update (at the later block)
        // or two.
        BigInteger debtAtHead =
                pool(anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact())
                        .position(det, borrower)
                        .send()
                        .debt;
        List<PositionEvent> missed = new ArrayList<>();
        do {
            missed.add(nextNonHeartbeat(resumed));
        } while (!missed.get(missed.size() - 1).getUpdated().getDebt().equals(debtAtHead.toString())
                && missed.size() < 3);
        assertThat(missed)
                .allSatisfy(e -> assertThat(e.hasUpdated()).as("no snapshot on resume").isTrue());
        assertThat(missed.get(0).getCursor().getSequence()).isEqualTo(lastSeen.getSequence() + 1);
        assertThat(missed.get(0).getCursor().getBlockNumber())
                .isGreaterThan(lastSeen.getBlockNumber());
        assertThat(missed.get(missed.size() - 1).getUpdated().getDebt())
                .isEqualTo(debtAtHead.toString());

        // 4. The chain drops the last borrow (revert to a snapshot, mine an empty block): a
        // retraction
        //    naming the common ancestor, then the position as the surviving chain has it.
        String snapshotId = rpc("evm_snapshot");
        borrow(LocalSystem.usd(400));
        PositionEvent doomed = nextNonHeartbeat(resumed);
        assertThat(doomed.hasUpdated()).isTrue();
        new Request<>(
                        "evm_revert",
                        List.of(snapshotId),
                        new HttpService(anvil.rpcUrl()),
                        VoidResponse.class)
                .send();
        rpc("evm_mine");
        rpc("evm_mine");
        PositionEvent retraction = nextNonHeartbeat(resumed);
        assertThat(retraction.hasRetracted()).as(retraction.toString()).isTrue();
        assertThat(retraction.getRetracted().getCommonAncestor().getBlockNumber())
                .isLessThan(doomed.getCursor().getBlockNumber());
        PositionEvent restored = nextNonHeartbeat(resumed);
        assertThat(restored.hasUpdated()).isTrue();
        assertThat(restored.getUpdated().getDebt()).isNotEqualTo(doomed.getUpdated().getDebt());
        BigInteger debtNow =
                pool(restored.getCursor().getBlockNumber()).position(det, borrower).send().debt;
        assertThat(restored.getUpdated().getDebt()).isEqualTo(debtNow.toString());

        // 5. Quiet: heartbeats, each with a cursor.
        PositionEvent beat = resumed.next();
        while (!beat.hasHeartbeat()) {
            beat = resumed.next();
        }
        assertThat(beat.getCursor().getBlockNumber()).isPositive();
        second.cancel(null);
    }

    private static PositionServiceGrpc.PositionServiceBlockingStub stub() {
        return PositionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static PositionEvent nextNonHeartbeat(Iterator<PositionEvent> stream) {
        PositionEvent e = stream.next();
        while (e.hasHeartbeat()) {
            e = stream.next();
        }
        return e;
    }

    private static void borrow(BigInteger amount) throws Exception {
        LocalSystem.pool(anvil, deployment, anvil.credentials(2))
                .borrow(det, amount, deployment.accounts().borrower())
                .send();
    }

    private static void awaitApplied() throws Exception {
        long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        var follower =
                server.getApplicationContext()
                        .getBean(io.freehold.node.ingest.IngestionService.class)
                        .follower();
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (follower.appliedBlock() < head && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
    }

    private static String rpc(String method) throws Exception {
        return String.valueOf(
                new Request<>(method, List.of(), new HttpService(anvil.rpcUrl()), RawResponse.class)
                        .send()
                        .getResult());
    }

    /** Any JSON-RPC result. */
    public static final class RawResponse extends org.web3j.protocol.core.Response<Object> {}

    private static LendingPool pool(long block) {
        LendingPool pool =
                LendingPool.load(
                        deployment.lendingPool(),
                        anvil.web3j(),
                        new org.web3j.tx.ReadonlyTransactionManager(
                                anvil.web3j(), deployment.accounts().admin()),
                        LocalSystem.GAS);
        pool.setDefaultBlockParameter(
                org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        return pool;
    }
}
