package io.freehold.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.examples.common.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The demo's command line: a mistyped option is refused with the usage before anything starts, and
 * the declared options mean what the usage says.
 */
class DemoCommandLineTest {

    record Run(int exit, String out, String err) {}

    private static Run start(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                DemoMain.start(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsageAndNothingStarts() throws Exception {
        Run r = start("--keep-runing");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("demo: unknown option --keep-runing (did you mean --keep-running?)")
                .contains(DemoOptions.COMMAND_LINE.usage());
        assertThat(r.out()).isEmpty(); // not even step 1
    }

    @Test
    void helpPrintsTheUsageAndStartsNothing() throws Exception {
        Run r = start("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "usage: ./demo.sh [options]",
                        "--quick",
                        "--borrowers N",
                        "(default 120)",
                        "--keep-running",
                        "--aave")
                .doesNotContain("[1/");
    }

    @Test
    void theOptionsMeanWhatTheUsageSays() {
        assertThat(DemoOptions.parse()).isEqualTo(new DemoOptions(120, false, false, false));
        assertThat(DemoOptions.parse("--quick"))
                .isEqualTo(new DemoOptions(30, false, false, false));
        assertThat(DemoOptions.parse("--borrowers", "50", "--quick", "--keep-running"))
                .isEqualTo(new DemoOptions(50, true, false, false));
        assertThat(DemoOptions.parse("--aave", "--quick"))
                .isEqualTo(new DemoOptions(30, false, true, false));
        assertThat(DemoOptions.parse("--aave", "--aave-bot"))
                .isEqualTo(new DemoOptions(120, false, true, true));
        assertThatThrownBy(() -> DemoOptions.parse("--aave-bot"))
                .hasMessage("--aave-bot goes with --aave");
        assertThatThrownBy(() -> DemoOptions.parse("--borrowers"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--borrowers needs a value (N)");
        assertThatThrownBy(() -> DemoOptions.parse("--borrowers", "many"))
                .hasMessage("--borrowers: 'many' is not a number");
        assertThatThrownBy(() -> DemoOptions.parse("--borrowers", "2"))
                .hasMessage("--borrowers: must be 3 to 1000, was 2");
        assertThatThrownBy(() -> DemoOptions.parse("quick"))
                .hasMessageStartingWith("unexpected argument quick");
    }
}
