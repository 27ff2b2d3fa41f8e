package io.freehold.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.LocalSystem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's main command in its short mode (30 borrowers, and 4 on the auction market), as CI
 * runs it: liquidations happen on the fixed-incentive markets, every position that crossed the line
 * there is dealt with; on the auction market the node's keeper flags what crossed, one borrower
 * cures, the keeper starts each other position's auction once, a bidder takes the lots; the node's
 * books, cure flags and auctions equal the chain's, the summary says so, and nothing the demo
 * started is left running or on disk.
 */
class DemoTest {

    @Test
    void theShortDemoEndsInLiquidationsWithTheBooksReconciledAndNothingLeftBehind()
            throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoReport report;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            report = new DemoMain(out, DemoOptions.parse("--quick")).run();
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        // 30 borrowers, LTVs 25%..63.7% in ten steps per property: DET falls 25% (line at 56.25%
        // LTV: the
        // two highest steps), CLE 20% (line at 60%: the highest) -> three seeded positions cross,
        // and the
        // local system's own borrower (57% in DET) makes four.
        assertThat(report.outcome().crossed()).as(output).isEqualTo(4);
        assertThat(report.outcome().liquidations()).as(output).hasSizeGreaterThanOrEqualTo(4);
        assertThat(report.outcome().stillLiquidatable()).as(output).isZero();
        assertThat(report.outcome().liquidations())
                .allSatisfy(
                        l -> {
                            assertThat(report.outcome().blocksAfterFall(report.deployment(), l))
                                    .isPositive();
                            assertThat(l.repaidAssets()).isPositive();
                            assertThat(l.seizedCollateral()).isPositive();
                        });
        // The auction market: LTVs 45%, 60.5%, 62%, 63.5% and a 20% fall -> LTV / 0.8 is 56%,
        // 75.6%,
        // 77.5%, 79.4%: three cross the 75% line, at health 0.99, 0.97, 0.94, above the 0.9 hard
        // floor, so each is flagged (a window) rather than auctioned at once.
        CureAndAuction.Outcome auctions = report.auctions();
        assertThat(auctions.crossed()).as(output).isEqualTo(3);
        assertThat(auctions.flagged()).as(output).hasSize(3);
        // Each window, as the node reports it, is the market's: a day from the flag.
        assertThat(auctions.flagged().values())
                .allSatisfy(
                        w ->
                                assertThat(Duration.between(w.flaggedAt(), w.endsAt()))
                                        .isEqualTo(
                                                Duration.ofSeconds(
                                                        LocalSystem.AUCTION_CURE_WINDOW_SECONDS)));
        // One cured by repaying: its flag cleared, healthy again, and it was never auctioned.
        assertThat(auctions.curedFlagCleared()).as(output).isTrue();
        assertThat(auctions.cureRepaid()).isPositive();
        assertThat(auctions.advancedSeconds())
                .isGreaterThan(LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
        // The other two: one auction each, started by the node's keeper exactly once, no restart.
        assertThat(auctions.starts()).as(output).hasSize(2);
        assertThat(auctions.restarts()).as(output).isEmpty();
        assertThat(auctions.startsByTheKeeper())
                .as(output)
                .hasSize(2)
                .doesNotContainKey(auctions.cured())
                .allSatisfy((borrower, n) -> assertThat(n).isEqualTo(1L));
        // Taken at the bidder's limit (90% of the appraisal): the lot is worth more than the tab
        // (about 0.79 × 1.05 of the appraisal's value, with the penalty), so each take clears the
        // debt, the rest of the lot goes back to the borrower, and nothing is written off.
        assertThat(auctions.sales()).as(output).hasSize(2);
        assertThat(auctions.sales())
                .allSatisfy(
                        sale -> {
                            assertThat(sale.started()).isNotNull();
                            assertThat(sale.started().keeperReward()).isPositive();
                            assertThat(sale.take().bought().baseUnits()).isPositive();
                            assertThat(sale.take().paid().baseUnits()).isPositive();
                            assertThat(sale.take().ended()).isTrue();
                            assertThat(sale.take().debtLeft().baseUnits()).isZero();
                            assertThat(sale.take().lotLeft().baseUnits()).isPositive();
                            assertThat(sale.take().badDebt().baseUnits()).isZero();
                            assertThat(sale.take().price())
                                    .isLessThanOrEqualTo(sale.atStart().startPrice());
                        });
        // The node's cure flags and auctions equal the contracts' while the auctions ran, and
        // after.
        assertThat(auctions.inAuction().differences()).as(output).isEmpty();
        assertThat(auctions.inAuction().auctions()).isEqualTo(2);
        assertThat(report.books().cureAndAuctions().differences()).as(output).isEmpty();
        assertThat(report.books().cureAndAuctions().positions()).isGreaterThanOrEqualTo(4);

        assertThat(report.before().total(2)).isZero();
        assertThat(report.after().total(2)).isZero();
        // Rent reached a loan: the borrower's whole share repaid debt (it is far below the debt),
        // and the debt fell by at least that much less the interest of a few blocks.
        Rent.Outcome rent = report.rent();
        assertThat(rent.toPool()).isPositive().isLessThanOrEqualTo(rent.deposited());
        assertThat(rent.claimableBefore()).isPositive().isLessThan(rent.debtBefore());
        assertThat(rent.repaid()).isEqualTo(rent.claimableBefore());
        assertThat(rent.debtAfter()).isLessThan(rent.debtBefore());
        assertThat(report.books().differences()).as(output).isEmpty();
        assertThat(report.books().positions()).isGreaterThanOrEqualTo(30);

        assertThat(output)
                .contains(
                        "[9/9]",
                        "cure window ends",
                        "evm_increaseTime",
                        "the bidder took",
                        "auction market FH-PIT-0318",
                        "Summary",
                        "repaid " + Money.dollars(rent.repaid()) + " from its share",
                        "books reconcile",
                        "No process left running");
        assertThat(ProcessHandle.of(report.anvilPid()).map(ProcessHandle::isAlive))
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(Files.exists(report.workDirectory())).isFalse();
    }
}
