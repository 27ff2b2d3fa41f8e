package io.freehold.examples.demo;

import io.freehold.examples.common.Args;
import io.freehold.examples.common.CommandLine;
import io.freehold.examples.common.Option;
import java.util.Map;

/**
 * How the demo runs: how many borrowers, and whether to leave the chain and the node up at the end.
 *
 * @param borrowers borrowers seeded across the three properties (at least 3)
 * @param keepRunning leave anvil (port 8545 if free) and the node (gRPC 50051 if free) running
 *     until Ctrl-C
 * @param aave run the Aave scenario instead of Freehold's: the node following a local Aave v3 pool
 *     (docs/AAVE.md)
 * @param aaveBot in the Aave scenario, the demo's bot liquidates with the node's sized figures and
 *     the node only watches (by default the node liquidates, in EXECUTE mode)
 */
record DemoOptions(int borrowers, boolean keepRunning, boolean aave, boolean aaveBot) {

    static final int DEFAULT_BORROWERS = 120;
    static final int QUICK_BORROWERS = 30;
    private static final int MIN_BORROWERS = 3;
    private static final int MAX_BORROWERS = 1000;

    /** The command line, declared once: the parser reads it and the usage is printed from it. */
    static final CommandLine COMMAND_LINE =
            CommandLine.builder("./demo.sh [options]")
                    .option(
                            Option.flag(
                                    "quick",
                                    QUICK_BORROWERS
                                            + " borrowers instead of "
                                            + DEFAULT_BORROWERS
                                            + " (what CI runs)"))
                    .option(
                            Option.value(
                                    "borrowers",
                                    "N",
                                    String.valueOf(DEFAULT_BORROWERS),
                                    "seed N borrowers, "
                                            + MIN_BORROWERS
                                            + " to "
                                            + MAX_BORROWERS
                                            + "; wins over --quick"))
                    .option(
                            Option.flag(
                                    "aave",
                                    "the Aave v3 scenario: the node follows a local Aave pool with"
                                            + " RMM-like parameters; an appraisal falls; the accounts"
                                            + " that cross are liquidated; node == getUserAccountData"))
                    .option(
                            Option.flag(
                                    "aave-bot",
                                    "with --aave: a bot of the demo's liquidates with the node's sized"
                                            + " figures, the node only watches"))
                    .option(
                            Option.flag(
                                    "keep-running",
                                    "leave the chain and the node up for exploring; Ctrl-C stops both"))
                    .build();

    DemoOptions {
        if (borrowers < MIN_BORROWERS || borrowers > MAX_BORROWERS) {
            throw new IllegalArgumentException(
                    "--borrowers must be "
                            + MIN_BORROWERS
                            + " to "
                            + MAX_BORROWERS
                            + ", was "
                            + borrowers);
        }
    }

    /**
     * Parses the command line.
     *
     * @throws io.freehold.examples.common.UsageException if it is not one the demo takes (the
     *     message says why)
     */
    static DemoOptions parse(String... args) {
        return from(COMMAND_LINE.parse(args, Map.of()));
    }

    /** The options of a parsed command line. */
    static DemoOptions from(Args args) {
        int borrowers =
                args.given("borrowers")
                        ? args.get("borrowers", DemoOptions::borrowers)
                        : args.has("quick") ? QUICK_BORROWERS : DEFAULT_BORROWERS;
        if (args.has("aave-bot") && !args.has("aave")) {
            throw new IllegalArgumentException("--aave-bot goes with --aave");
        }
        return new DemoOptions(
                borrowers, args.has("keep-running"), args.has("aave"), args.has("aave-bot"));
    }

    private static int borrowers(String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        if (n < MIN_BORROWERS || n > MAX_BORROWERS) {
            throw new IllegalArgumentException(
                    "must be " + MIN_BORROWERS + " to " + MAX_BORROWERS + ", was " + n);
        }
        return n;
    }
}
