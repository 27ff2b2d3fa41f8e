package io.freehold.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bot's command line: a mistyped option, a stray word or a bad value is refused with the usage
 * before the bot connects to anything, and {@code --help} prints the usage written from the
 * declaration.
 */
class LiquidationBotCommandLineTest {

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                new LiquidationBot(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(args, Map.of());
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsage() {
        Run r = run("--min-proft", "5");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("unknown option --min-proft (did you mean --min-profit?)")
                .contains(LiquidationBot.COMMAND_LINE.usage());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aStrayWordAndABadValueAreRefused() {
        assertThat(run("compete").err()).startsWith("unexpected argument compete");
        Run r = run("--exit-when-idle", "ten");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("--exit-when-idle: 'ten' is not a whole number of seconds above zero");
        assertThat(run("--min-profit", "-5").err())
                .startsWith("--min-profit: '-5' is not an amount in dollars");
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "usage: run.sh [options]",
                        "--compete",
                        "--min-profit USD",
                        "(default 0.01)",
                        "--auction-discount PERCENT",
                        "--state FILE",
                        "--exit-when-idle SECONDS",
                        "--rpc URL",
                        "FREEHOLD_BOT_KEY");
    }
}
