package io.freehold.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionEventBatch;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.SnapshotEnd;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SDK asks for batches and hands a batch's changes to its user one by one, each with its own
 * cursor.
 */
class BatchedProtocolTest {

    private static final String MARKET = "0x" + "ab".repeat(32);
    private static final String HASH = "0x" + "cd".repeat(32);

    @Test
    void asksForBatchesAndUnpacksThemInOrder() {
        PositionProtocol protocol = new PositionProtocol(PositionFilter.getDefaultInstance());
        assertThat(protocol.request(null).getBatched()).isTrue();
        protocol.translate(
                PositionEvent.newBuilder()
                        .setCursor(cursor(1))
                        .setSnapshotEnd(SnapshotEnd.getDefaultInstance())
                        .build());
        PositionEvent batch =
                PositionEvent.newBuilder()
                        .setCursor(cursor(4))
                        .setBatch(
                                PositionEventBatch.newBuilder()
                                        .addEvents(updated(2, "0x" + "11".repeat(20)))
                                        .addEvents(updated(3, "0x" + "22".repeat(20)))
                                        .addEvents(updated(4, "0x" + "33".repeat(20))))
                        .build();
        List<io.freehold.sdk.PositionEvent> events = protocol.translate(batch);
        assertThat(events)
                .hasSize(3)
                .allSatisfy(
                        e ->
                                assertThat(e)
                                        .isInstanceOf(io.freehold.sdk.PositionEvent.Updated.class));
        assertThat(events).extracting(e -> e.cursor().sequence()).containsExactly(2L, 3L, 4L);
        assertThat(protocol.resumable(batch)).isTrue();
        assertThat(protocol.cursor(batch).getSequence()).isEqualTo(4);
    }

    @Test
    void aBatchHoldingASnapshotIsMalformed() {
        PositionProtocol protocol = new PositionProtocol(PositionFilter.getDefaultInstance());
        PositionEvent bad =
                PositionEvent.newBuilder()
                        .setCursor(cursor(2))
                        .setBatch(
                                PositionEventBatch.newBuilder()
                                        .addEvents(
                                                PositionEvent.newBuilder()
                                                        .setCursor(cursor(2))
                                                        .setSnapshot(
                                                                position("0x" + "11".repeat(20)))))
                        .build();
        assertThatThrownBy(() -> protocol.translate(bad))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PositionEvent updated(long seq, String account) {
        return PositionEvent.newBuilder()
                .setCursor(cursor(seq))
                .setUpdated(position(account))
                .build();
    }

    private static Position position(String account) {
        return Position.newBuilder()
                .setMarketId(MARKET)
                .setAccount(account)
                .setSupplyShares("1")
                .setSupplyAssets("1")
                .setBorrowShares("0")
                .setDebt("0")
                .setCollateral("0")
                .setCollateralValue("0")
                .setLtv("0")
                .setHealthFactor("1")
                .setLiquidationPrice("0")
                .setMaxBorrowable("0")
                .setHealthFactorAfterHaircut("1")
                .build();
    }

    private static Cursor cursor(long seq) {
        return Cursor.newBuilder().setBlockNumber(10).setBlockHash(HASH).setSequence(seq).build();
    }
}
