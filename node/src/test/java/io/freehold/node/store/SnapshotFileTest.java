package io.freehold.node.store;

import static io.freehold.node.store.Fixtures.MAX;
import static io.freehold.node.store.Fixtures.address;
import static io.freehold.node.store.Fixtures.frozen;
import static io.freehold.node.store.Fixtures.header;
import static io.freehold.node.store.Fixtures.market;
import static io.freehold.node.store.Fixtures.marketId;
import static io.freehold.node.store.Fixtures.position;
import static io.freehold.node.store.Fixtures.priceFeed;
import static io.freehold.node.store.Fixtures.token;
import static io.freehold.node.store.Fixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.AuctionTermsRecord;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.CureFlagRecord;
import io.freehold.node.state.LiquidationTermsRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state snapshot file: every value of every table back exactly (uint256 max and zero, booleans,
 * longs at their extremes, many chunks of positions); and a file that is torn, damaged, of another
 * format or missing is not used (the node then reads the store).
 */
class SnapshotFileTest {

    @TempDir Path dir;

    @Test
    void everyValueComesBackExactly() throws IOException {
        List<PositionRecord> positions = new ArrayList<>();
        positions.add(new PositionRecord(marketId(1), address(1), MAX, MAX, MAX, MAX, MAX));
        for (int i = 0; i < 150_000; i++) { // three chunks
            positions.add(position(1 + i % 3, 10 + i, BigInteger.valueOf(i).shiftLeft(i % 200)));
        }
        StateSnapshot snapshot =
                new StateSnapshot(
                        Optional.of(new Checkpoint(Long.MAX_VALUE, header(7).hash(), 0)),
                        List.of(),
                        List.of(market(1, MAX, Long.MAX_VALUE), market(2, BigInteger.ZERO, 0)),
                        positions,
                        List.of(
                                new PriceFeedRecord(address(5), MAX, Long.MAX_VALUE, MAX, 10_000),
                                priceFeed(6, BigInteger.ONE)),
                        List.of(
                                new TokenRecord(address(5), true, MAX, MAX, MAX, MAX),
                                token(6, false, 0)),
                        List.of(frozen(5, 1), frozen(6, 2)),
                        List.of(verified(1), verified(2)),
                        List.of(
                                new LiquidationTermsRecord(
                                        marketId(1),
                                        new LiquidationTerms(address(9), Long.MAX_VALUE, MAX)),
                                new LiquidationTermsRecord(marketId(2), LiquidationTerms.FIXED)),
                        List.of(
                                new AuctionTermsRecord(
                                        marketId(1),
                                        new AuctionTerms(
                                                MAX,
                                                BigInteger.ZERO,
                                                Long.MAX_VALUE,
                                                MAX,
                                                MAX,
                                                BigInteger.ONE,
                                                MAX,
                                                Integer.MAX_VALUE))),
                        List.of(
                                new CureFlagRecord(
                                        marketId(1),
                                        address(1),
                                        new CureFlagState(Long.MAX_VALUE, MAX, MAX, true)),
                                new CureFlagRecord(marketId(1), address(2), CureFlagState.NONE)),
                        List.of(
                                new AuctionRecord(
                                        1,
                                        marketId(1),
                                        address(1),
                                        0,
                                        Long.MAX_VALUE,
                                        Integer.MAX_VALUE,
                                        true,
                                        MAX,
                                        BigInteger.ZERO),
                                new AuctionRecord(
                                        Long.MAX_VALUE,
                                        marketId(1),
                                        address(2),
                                        1,
                                        2,
                                        0,
                                        false,
                                        BigInteger.ONE,
                                        MAX)));
        // Every table holds rows here: a table the file leaves out would come back empty.
        assertThat(snapshot.liquidationTerms()).isNotEmpty();
        SnapshotFile file = new SnapshotFile(dir.resolve("state"));
        file.write(snapshot);
        assertThat(file.read()).contains(snapshot);
        assertThat(Files.exists(dir.resolve("state.tmp"))).isFalse();
    }

    @Test
    void theSnapshotHoldsEveryStateTableButTheLiquidationHistory() {
        // A table added to the store but not to the snapshot would be lost by a restart from the
        // file: the snapshot's table list is the store's, less the history the node never loads.
        assertThat(StateSnapshot.TABLES)
                .containsExactlyInAnyOrderElementsOf(
                        StateTables.ALL.stream()
                                .filter(t -> t != StateTables.LIQUIDATION)
                                .toList());
    }

    @Test
    void aDamagedTornForeignOrMissingFileIsNotUsed() throws IOException {
        SnapshotFile file = new SnapshotFile(dir.resolve("state"));
        assertThat(file.read()).isEmpty(); // missing
        StateSnapshot snapshot =
                new StateSnapshot(
                        Optional.of(Checkpoint.of(header(3))),
                        List.of(),
                        List.of(market(1)),
                        List.of(position(1, 1, 5), position(1, 2, 6)),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(verified(1)));
        file.write(snapshot);
        byte[] whole = Files.readAllBytes(file.path());
        assertThat(file.read()).contains(snapshot);

        for (int at : new int[] {0, 20, whole.length / 2, whole.length - 5, whole.length - 1}) {
            byte[] damaged = whole.clone();
            damaged[at] ^= 0x10;
            Files.write(file.path(), damaged);
            assertThat(file.read()).as("a bit flipped at byte %d", at).isEmpty();
        }
        Files.write(file.path(), Arrays.copyOf(whole, whole.length - 9)); // torn
        assertThat(file.read()).isEmpty();
        Files.write(file.path(), new byte[0]);
        assertThat(file.read()).isEmpty();
        Files.write(file.path(), "not a snapshot at all, but long enough".getBytes());
        assertThat(file.read()).isEmpty();

        file.write(snapshot); // a good file replaces a bad one
        assertThat(file.read()).contains(snapshot);
    }
}
