package io.freehold.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.sdk.LiquidationAttempt;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code ./demo.sh --aave --quick} as CI runs it: 30 borrowers on the local Aave pool at 40 % to 99
 * % of their borrowing power; REALT-0412 falls 20 %, so those above about 85.7 % cross the pool's
 * line (health factor 0.75 / (0.7 × use) × 0.8 below 1); the opportunities stream shows each of
 * them sized; each is liquidated until the stream says it is gone; nothing is liquidatable at the
 * end; and every account the node serves equals the pool's getUserAccountData and token balances to
 * the wei. Nothing the demo started is left running.
 */
class AaveDemoTest {

    @Test
    void theAaveDemoLiquidatesWhoCrossedAndTheBooksEqualThePool() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AaveDemoReport report;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            report = new AaveDemo(out, DemoOptions.parse("--aave", "--quick")).run();
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        AavePriceFall.Outcome outcome = report.outcome();
        assertThat(outcome.snapshotOpportunities()).as(output).isZero();
        assertThat(report.before()[2]).as(output).isZero();
        // Uses of 40 % + 59 % × i / 29: those above 85.7 % (i ≥ 23) cross: seven, give or take the
        // interest of a few blocks and the fifth accounts' USDC collateral.
        assertThat(outcome.crossed()).as(output).hasSizeBetween(4, 8);
        assertThat(outcome.firstSeen()).as(output).hasSameSizeAs(outcome.crossed());
        assertThat(outcome.firstSeen().values())
                .allSatisfy(
                        o -> {
                            assertThat(o.liquidatable()).isTrue();
                            assertThat(o.aave()).isPresent();
                            assertThat(o.maxRepay()).isPositive();
                            assertThat(o.seizedCollateral()).isPositive();
                        });
        // Both close factors occur: 50 % above a health factor of 0.95, 100 % below.
        assertThat(
                        outcome.firstSeen().values().stream()
                                .map(o -> o.aave().orElseThrow().closeFactor().value())
                                .distinct())
                .as(output)
                .containsExactlyInAnyOrder(5_000, 10_000);
        assertThat(outcome.liquidations()).hasSizeGreaterThanOrEqualTo(outcome.crossed().size());
        // The node liquidated, with its own key: every LiquidationCall names it.
        assertThat(outcome.liquidations())
                .allSatisfy(
                        l -> {
                            assertThat(l.debtToCover()).isPositive();
                            assertThat(l.liquidator())
                                    .isEqualToIgnoringCase(report.liquidatorAddress());
                        });
        // Exactly once: each LiquidationCall is one of the node's attempts, mined, and no attempt
        // was mined without one.
        var mined =
                report.attempts().stream()
                        .filter(
                                a ->
                                        a.status() == LiquidationAttempt.Status.MINED
                                                || a.status()
                                                        == LiquidationAttempt.Status
                                                                .MINED_UNCONFIRMED)
                        .toList();
        assertThat(mined).as(output).hasSameSizeAs(outcome.liquidations());
        assertThat(mined)
                .allSatisfy(
                        a ->
                                assertThat(a.kind())
                                        .isEqualTo(LiquidationAttempt.Kind.AAVE_LIQUIDATION_CALL));
        assertThat(
                        mined.stream()
                                .flatMap(a -> a.transactionHashes().stream())
                                .map(String::toLowerCase)
                                .toList())
                .as(output)
                .containsAll(
                        outcome.liquidations().stream()
                                .map(l -> l.transactionHash().toLowerCase())
                                .toList());
        // Every crossed account was liquidated at least once.
        for (var o : outcome.firstSeen().values()) {
            String account = o.position().account().hex();
            assertThat(outcome.liquidations())
                    .as(output)
                    .anySatisfy(l -> assertThat(l.user()).isEqualToIgnoringCase(account));
        }
        assertThat(report.after()[2]).as(output).isZero();

        assertThat(report.books().differences()).as(output).isEmpty();
        assertThat(report.books().accounts()).isGreaterThanOrEqualTo(32);
        // A liquidation at a 100 % close factor may repay a debt whole: those accounts left the
        // listing, the others are still in it.
        assertThat(report.books().withDebt()).isBetween(30 - outcome.crossed().size(), 30);
        assertThat(output)
                .contains(
                        "[8/8]",
                        "protocol aave-v3",
                        "the node itself (EXECUTE mode",
                        "Summary (Aave v3 pool)",
                        "books reconcile",
                        "No process left running");
        assertThat(ProcessHandle.of(report.anvilPid()).map(ProcessHandle::isAlive))
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(java.nio.file.Files.exists(report.workDirectory())).isFalse();
    }

    /**
     * {@code --aave-bot}: the node only watches; the demo's bot sends exactly the call each
     * opportunity names (its collateral and debt assets, {@code maxRepay}) until the stream says
     * the account is gone; the node made no attempt; the books still equal the pool's.
     */
    @Test
    void withTheBotTheNodeOnlyWatchesAndTheBotsCallsAreTheSizedOnes() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AaveDemoReport report;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            report =
                    new AaveDemo(
                                    out,
                                    DemoOptions.parse("--aave", "--aave-bot", "--borrowers", "10"))
                            .run();
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        AavePriceFall.Outcome outcome = report.outcome();
        assertThat(outcome.crossed()).as(output).isNotEmpty();
        assertThat(outcome.firstSeen()).hasSameSizeAs(outcome.crossed());
        assertThat(report.attempts()).as("the node sent nothing").isEmpty();
        assertThat(outcome.liquidations())
                .allSatisfy(
                        l ->
                                assertThat(l.liquidator())
                                        .isEqualToIgnoringCase(report.liquidatorAddress()));
        // Each call repaid exactly the max_repay of the opportunity it answered: within the close
        // factor at that opportunity's block, and interest since only adds debt.
        assertThat(outcome.acted()).as(output).hasSameSizeAs(outcome.liquidations());
        assertThat(outcome.acted())
                .allSatisfy(
                        a -> {
                            assertThat(a.call().debtToCover())
                                    .isEqualTo(a.opportunity().maxRepay());
                            assertThat(a.call().user())
                                    .isEqualToIgnoringCase(
                                            a.opportunity().position().account().hex());
                        });
        assertThat(report.after()[2]).as(output).isZero();
        assertThat(report.books().differences()).as(output).isEmpty();
        assertThat(output).contains("the demo's bot", "books reconcile", "No process left running");
    }
}
