package io.freehold.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The README's main command in its short mode (30 borrowers), as CI runs it: liquidations happen,
 * every position that crossed the line is dealt with, the node's books equal the chain's, the
 * summary says so, and nothing the demo started is left running or on disk.
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
                        "[8/8]",
                        "Summary",
                        "repaid " + Money.dollars(rent.repaid()) + " from its share",
                        "books reconcile",
                        "No process left running");
        assertThat(ProcessHandle.of(report.anvilPid()).map(ProcessHandle::isAlive))
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(Files.exists(report.workDirectory())).isFalse();
    }
}
