package io.freehold.examples.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples' one command-line parser: what an app declares is exactly what it accepts and what
 * its usage says; anything else is refused with a message naming the argument, never ignored.
 */
class CommandLineTest {

    private static final CommandLine APP =
            CommandLine.builder("run.sh <command> [options]")
                    .command("status [property]", "how things stand")
                    .command("borrow <property> <usd>", "borrow")
                    .options(ExampleSettings.options(true))
                    .option(Option.flag("once", "one table, then exit"))
                    .option(Option.value("min-profit", "USD", "0.01", "skip anything below this"))
                    .note("key: FREEHOLD_TEST_KEY")
                    .build();

    private static Args parse(String... args) {
        return APP.parse(args, Map.of());
    }

    @Test
    void anUnknownOptionIsRefusedAndATypoGetsASuggestion() {
        assertThatThrownBy(() -> parse("status", "--rcp", "http://rpc.example"))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option --rcp (did you mean --rpc?)");
        assertThatThrownBy(() -> parse("--verbose")).hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> parse("--nod=x"))
                .hasMessage("unknown option --nod (did you mean --node?)");
        assertThatThrownBy(() -> parse("-rpc", "x"))
                .hasMessage("unknown option -rpc (did you mean --rpc?)");
    }

    @Test
    void aValueOptionWithoutItsValueIsRefused() {
        assertThatThrownBy(() -> parse("status", "--rpc"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--rpc needs a value (URL)");
        // The next argument is an option: the value was forgotten, not "--node".
        assertThatThrownBy(() -> parse("status", "--rpc", "--node", "none"))
                .hasMessage("--rpc needs a value (URL)");
    }

    @Test
    void aBadValueIsRefusedNamingTheOptionOrTheVariableItCameFrom() {
        Args args = parse("status", "--min-profit", "lots");
        assertThatThrownBy(() -> args.get("min-profit", Format::parseDollars))
                .isInstanceOf(UsageException.class)
                .hasMessage("--min-profit: 'lots' is not an amount in dollars");
        Args numbers = parse("--min-profit", "x1");
        assertThatThrownBy(() -> numbers.get("min-profit", Integer::parseInt))
                .hasMessage("--min-profit: 'x1' is not a valid USD");

        Args fromEnv = APP.parse(new String[] {"status"}, Map.of("FREEHOLD_DEPLOYMENT", "\0"));
        assertThatThrownBy(() -> fromEnv.get("deployment", Path::of))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("FREEHOLD_DEPLOYMENT: ");
    }

    @Test
    void aFlagTakesNoValueAndNothingIsGivenTwice() {
        assertThatThrownBy(() -> parse("--once=yes"))
                .hasMessage("--once is a flag: it takes no value");
        assertThatThrownBy(() -> parse("--rpc", "a", "--rpc=b")).hasMessage("--rpc is given twice");
    }

    @Test
    void helpIsAskedForWithEitherSpelling() {
        assertThat(parse("--help").help()).isTrue();
        assertThat(parse("status", "-h").help()).isTrue();
        assertThat(parse("status").help()).isFalse();
    }

    @Test
    void theUsageListsEveryDeclaredOptionWithItsVariableAndDefault() {
        String usage = APP.usage();
        String rpcDefault = ExampleSettings.options(true).get(0).defaultValue(); // the shared --rpc
        assertThat(usage)
                .startsWith("usage: run.sh <command> [options]\n")
                .contains("  status [property]", "  borrow <property> <usd>", "options:\n")
                .contains("--rpc URL", "(or FREEHOLD_RPC_URL; default " + rpcDefault + ")")
                .contains(
                        "--node HOST:PORT|none",
                        "--deployment FILE",
                        "--once ",
                        "one table, then exit")
                .contains("--min-profit USD", "(default 0.01)", "-h, --help", "this text")
                .endsWith("key: FREEHOLD_TEST_KEY");
        for (Option o : APP.options()) {
            assertThat(usage).as("every declared option is in the usage").contains("--" + o.name());
        }
    }

    @Test
    void valuesComeFromTheCommandLineThenTheEnvironmentThenTheDefault() {
        Map<String, String> env =
                Map.of("FREEHOLD_RPC_URL", "http://env.example", "FREEHOLD_NODE", "env.example:1");
        Args args =
                APP.parse(
                        new String[] {"status", "--node", "flag:1", "FH-DET-0412", "--once"}, env);
        assertThat(args.words()).containsExactly("status", "FH-DET-0412");
        assertThat(args.get("node")).isEqualTo("flag:1");
        assertThat(args.get("rpc")).isEqualTo("http://env.example");
        assertThat(args.get("deployment")).isEqualTo("contracts/deployments/local.json");
        assertThat(args.given("node")).isTrue();
        assertThat(args.given("rpc")).isFalse();
        assertThat(args.has("once")).isTrue();
        assertThat(parse("status").has("once")).isFalse();
        assertThat(parse("status", "--rpc=http://eq:1").get("rpc")).isEqualTo("http://eq:1");
    }

    @Test
    void wordsAreWordsIncludingNegativeNumbersAndWhateverFollowsADoubleDash() {
        assertThat(parse("borrow", "FH-DET-0412", "-5").words())
                .containsExactly("borrow", "FH-DET-0412", "-5");
        assertThat(parse("borrow", "--", "--x").words()).containsExactly("borrow", "--x");
        assertThat(parse("--min-profit", "-1").get("min-profit")).isEqualTo("-1");
    }

    @Test
    void anAppWithoutCommandsRefusesWords() {
        CommandLine bot =
                CommandLine.builder("run.sh [options]")
                        .option(Option.flag("compete", "race"))
                        .build();
        assertThatThrownBy(() -> bot.parse(new String[] {"compete"}, Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("unexpected argument compete: this app takes options only");
        assertThat(bot.parse(new String[] {"--compete"}, Map.of()).has("compete")).isTrue();
    }

    @Test
    void aDeclarationCannotContradictItself() {
        assertThatThrownBy(
                        () ->
                                CommandLine.builder("x")
                                        .option(Option.flag("once", "a"))
                                        .option(Option.value("once", "N", null, "b")))
                .hasMessage("--once is declared twice");
        assertThatThrownBy(() -> CommandLine.builder("x").option(Option.flag("help", "mine")))
                .hasMessage("--help is declared twice");
        assertThatThrownBy(() -> Option.flag("--x", "dashes"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("status").get("once"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> parse("status").has("undeclared"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(List.copyOf(APP.options()))
                .extracting(Option::name)
                .containsExactly("rpc", "node", "deployment", "once", "min-profit");
    }
}
