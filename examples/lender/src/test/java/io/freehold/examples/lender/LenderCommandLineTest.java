package io.freehold.examples.lender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lender's command line: a mistyped option is refused with the usage before anything reaches a
 * chain or a node, a bad {@code --every} is named, and {@code --help} prints the usage written from
 * the declaration.
 */
class LenderCommandLineTest {

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                new LenderApp(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(args, Map.of());
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsage() {
        Run r = run("watch", "--onse");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("unknown option --onse (did you mean --once?)")
                .contains(LenderApp.COMMAND_LINE.usage());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadRefreshIntervalIsNamed() {
        Run r = run("watch", "--every", "soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("--every: 'soon' is not a duration such as 500ms, 2s or 1m");
        assertThat(LenderApp.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LenderApp.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(LenderApp.duration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> LenderApp.duration("0s"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        Run r = run("-h");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "usage: run.sh <command> [options]",
                        "supply <property> <usd>",
                        "--once",
                        "--every DURATION",
                        "(default 2s)",
                        "--node HOST:PORT",
                        "FREEHOLD_LENDER_KEY");
    }
}
