package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.state.Checkpoint;
import io.freehold.types.BlockHash;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The status names the block the reads serve: while the risk engine values a step the follower has
 * applied, that is the engine's block, one step behind. A client that waits for {@code
 * applied_block >= N} and then reads a position must see block N (an account opened in N is known).
 */
class NodeReadsServedBlockTest {

    private static Checkpoint block(long n) {
        return new Checkpoint(n, BlockHash.of("0x" + String.format("%064x", n)), 1_000 + n);
    }

    @Test
    void whileTheEngineValuesAStepTheStatusNamesTheEnginesBlock() {
        assertThat(NodeReads.served(Optional.of(block(11)), Optional.of(block(10))))
                .contains(block(10));
    }

    @Test
    void afterARollbackTheFollowersOlderBlockIsServed() {
        assertThat(NodeReads.served(Optional.of(block(7)), Optional.of(block(10))))
                .contains(block(7));
    }

    @Test
    void inStepTheyAgree() {
        assertThat(NodeReads.served(Optional.of(block(10)), Optional.of(block(10))))
                .contains(block(10));
    }

    @Test
    void nothingIsServedUntilBothHaveABlock() {
        assertThat(NodeReads.served(Optional.empty(), Optional.of(block(10)))).isEmpty();
        assertThat(NodeReads.served(Optional.of(block(10)), Optional.empty())).isEmpty();
    }
}
