package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nonces are handed out from the chain's count, around the ones in flight, and never leave a gap.
 */
class NonceManagerTest {

    @Test
    void startsAtTheChainsCountAndCountsUp() {
        NonceManager nonces = new NonceManager(5, List.of());
        assertThat(nonces.reserve()).isEqualTo(5);
        assertThat(nonces.reserve()).isEqualTo(6);
        assertThat(nonces.peek()).isEqualTo(7);
    }

    @Test
    void afterARestartTheNoncesInFlightAreSkipped() {
        // The chain has mined 5; the store has attempts in flight at 5 and 6 (not mined yet).
        NonceManager nonces = new NonceManager(5, List.of(5L, 6L));
        assertThat(nonces.reserve()).isEqualTo(7);
    }

    @Test
    void aReleasedNonceIsReusedBeforeAnyHigherOne() {
        NonceManager nonces = new NonceManager(0, List.of());
        long a = nonces.reserve();
        long b = nonces.reserve();
        long c = nonces.reserve();
        nonces.release(b); // refused by every endpoint: it never reached a mempool
        assertThat(nonces.reserve()).as("the hole is filled").isEqualTo(b);
        nonces.release(a);
        nonces.release(c);
        assertThat(nonces.reserve()).isEqualTo(a);
    }

    @Test
    void minedNoncesMoveTheFloor() {
        NonceManager nonces = new NonceManager(0, List.of());
        nonces.reserve();
        nonces.reserve();
        nonces.mined(1); // the second was mined, so the first was too (nonces are mined in order)
        assertThat(nonces.reserve()).isEqualTo(2);
        nonces.release(0); // a late release below the floor changes nothing
        assertThat(nonces.reserve()).isEqualTo(3);
    }

    @Test
    void aResyncTrustsTheChainAndTheStore() {
        NonceManager nonces = new NonceManager(0, List.of());
        nonces.reserve();
        nonces.reserve();
        // Someone else used nonces 0..3 ("nonce too low"); our attempt at 4 is in flight.
        nonces.resync(4, List.of(1L, 4L));
        assertThat(nonces.reserve()).isEqualTo(5);
    }

    @Test
    void whenTheChainsCountFallsTheLowestFreeNonceIsHandedOutFirst() {
        // The node believed 0..19 mined; a reorg orphaned 18 and 19, and the attempt at 19 is held
        // again.
        NonceManager nonces = new NonceManager(20, List.of());
        nonces.resync(18, List.of(19L));
        assertThat(nonces.gaps()).as("18 is free below the held 19").containsExactly(18L);
        assertThat(nonces.reserve()).as("the hole first").isEqualTo(18);
        assertThat(nonces.gaps()).isEmpty();
        assertThat(nonces.reserve()).isEqualTo(20);
    }

    @Test
    void gapsAreTheFreeNoncesBelowTheHighestReservation() {
        NonceManager nonces = new NonceManager(5, List.of(6L, 9L));
        assertThat(nonces.gaps()).containsExactly(5L, 7L, 8L);
        nonces.take(5);
        nonces.take(7);
        nonces.take(8);
        assertThat(nonces.gaps()).isEmpty();
        assertThat(new NonceManager(5, List.of()).gaps())
                .as("nothing held, nothing waits")
                .isEmpty();
        assertThat(new NonceManager(5, List.of(5L)).gaps()).isEmpty();
    }
}
