package io.freehold.examples.borrower;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The borrower's command line: a mistyped option is refused with the usage before anything reaches
 * a chain (it used to be ignored, and the app talked to the default RPC), and {@code --help} prints
 * the usage written from the declared options.
 */
class BorrowerCommandLineTest {

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                new BorrowerApp(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(args, Map.of());
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsage() {
        Run r = run("borrow", "FH-DET-0412", "100", "--rcp", "http://rpc.example");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("unknown option --rcp (did you mean --rpc?)")
                .contains(BorrowerApp.COMMAND_LINE.usage());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "usage: run.sh <command> [options]",
                        "withdraw <property> <tokens|all>",
                        "repay-with-rent <property>",
                        "--rpc URL",
                        "--node HOST:PORT|none",
                        "--deployment FILE",
                        "FREEHOLD_BORROWER_KEY");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void anOptionWithoutItsValueIsRefusedWithTheUsage() {
        Run r = run("status", "--deployment");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("--deployment needs a value (FILE)").contains("usage:");
    }
}
