package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with {@code protocol=aave-v3} stopped cleanly stores its book next to its H2 store ({@code
 * node.aave-book}) at the newest final block (newer than its last periodic write); started again on
 * the same store, it takes the book up there (it reads no block before it) and follows to the head,
 * where every account equals {@code getUserAccountData} to the wei.
 */
class AaveNodeRestartTest {

    private static final int CONFIRMATIONS = 2;

    @TempDir Path dir;

    @Test
    void aRestartedNodeResumesFromItsStoredBook() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            AaveHistory history = new AaveHistory(chain, new Random(23));
            history.setUp();
            for (int i = 0; i < 10; i++) {
                history.randomStep();
            }
            Map<String, Object> props = chain.nodeProperties(dir);
            props.put("freehold.node.confirmations", CONFIRMATIONS);
            // Periodic writes rarely (the first catch-up's one only), so the book found at the
            // restart is the one the clean stop wrote.
            props.put("freehold.node.journal-blocks", 64);
            props.put("freehold.node.snapshot.interval-blocks", 64);

            long firstHead;
            ApplicationContext first = ApplicationContext.builder().properties(props).build();
            try {
                first.start();
                AaveFollower follower = first.getBean(AaveFollowingService.class).follower();
                assertThat(follower.resumedFrom()).as("no stored book yet").isEmpty();
                equalsThePoolAtTheHead(chain, history, follower);
                long periodic = follower.storedBlock();
                for (int i = 0; i < 4; i++) {
                    history.randomStep();
                }
                equalsThePoolAtTheHead(chain, history, follower);
                firstHead = chain.head();
                assertThat(follower.storedBlock())
                        .as("no periodic write since the first")
                        .isEqualTo(periodic)
                        .isLessThan(firstHead - CONFIRMATIONS);
            } finally {
                first.close(); // a clean stop: the newest final book is written
            }
            Path file = dir.resolve("node.aave-book");
            assertThat(file).exists();

            for (int i = 0; i < 8; i++) {
                history.randomStep();
            }
            history.crash();
            ApplicationContext second = ApplicationContext.builder().properties(props).build();
            try {
                second.start();
                AaveFollower follower = second.getBean(AaveFollowingService.class).follower();
                assertThat(follower.resumedFrom())
                        .as("the book stored at the clean stop: head - confirmations")
                        .hasValue(firstHead - CONFIRMATIONS);
                equalsThePoolAtTheHead(chain, history, follower);
                assertThat(follower.firstBlockRead())
                        .as("nothing read from the start block")
                        .hasValue(firstHead - CONFIRMATIONS + 1);
            } finally {
                second.close();
            }
            assertThat(Files.size(file)).isPositive();
            assertThat(history.maxDebtSeen).isPositive();
        }
    }

    private static void equalsThePoolAtTheHead(
            AaveChain chain, AaveHistory history, AaveFollower follower) throws Exception {
        long head = chain.head();
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (follower.applied().map(a -> a.block().number()).orElse(-1L) < head
                && System.nanoTime() < giveUp) {
            Thread.sleep(20); // polls the condition
        }
        AppliedAaveBook applied = follower.applied().orElseThrow();
        assertThat(applied.block().number()).isEqualTo(head);
        for (ChainWriter account : history.accounts()) {
            AccountData expected = chain.accountData(account.address(), head);
            assertThat(applied.accountData(Address.of(account.address())))
                    .as("%s at block %d", account.address(), head)
                    .isEqualTo(expected);
            history.maxDebtSeen = history.maxDebtSeen.max(expected.totalDebtBase());
        }
    }
}
