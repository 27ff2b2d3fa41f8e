package io.freehold.examples.lender;

import io.freehold.examples.common.Args;
import io.freehold.examples.common.CommandLine;
import io.freehold.examples.common.ExampleSettings;
import io.freehold.examples.common.Format;
import io.freehold.examples.common.Option;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionEvent;
import io.freehold.sdk.PositionQuery;
import io.freehold.sdk.Subscription;
import io.freehold.sdk.Wad;
import io.freehold.sdk.WatchObserver;
import io.freehold.sdk.onchain.ContractRevertException;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.sdk.onchain.OnchainException;
import io.freehold.sdk.onchain.PoolReceipt;
import io.freehold.types.MarketId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A lender's command line: supply the stablecoin to a market, withdraw it, and watch the exposure
 * in a table that refreshes, kept current by the SDK's position watch (positions below health 1.1,
 * which resumes by itself if the node restarts) and the node's market figures.
 *
 * <pre>
 *   run.sh supply FH-DET-0412 10000    supply $10,000
 *   run.sh withdraw FH-DET-0412 all    withdraw everything, interest included
 *   run.sh watch                       the table, refreshed every 2 s (Ctrl-C stops)
 *   run.sh watch --once                one table, then exit
 * </pre>
 *
 * Exit codes: 0 done, 1 the pool refused, 2 bad usage, 3 the chain or the node could not be
 * reached.
 */
public final class LenderApp {

    /** The command line, declared once: the parser reads it and the usage is printed from it. */
    static final CommandLine COMMAND_LINE =
            CommandLine.builder("run.sh <command> [options]")
                    .command("supply <property> <usd>", "supply the stablecoin to a market")
                    .command("withdraw <property> <usd|all>", "withdraw it")
                    .command("watch", "markets, your supply, the positions nearest liquidation")
                    .options(ExampleSettings.options(false))
                    .option(Option.flag("once", "watch: print one table, then exit"))
                    .option(
                            Option.value(
                                    "every",
                                    "DURATION",
                                    "2s",
                                    "watch: how often the table is redrawn, e.g. 500ms or 1m"))
                    .note(
                            "key: FREEHOLD_LENDER_KEY (default: the local chain's lender, anvil account 1)")
                    .build();

    /** anvil's published dev account 1, the local system's lender: for the local chain only. */
    static final String LOCAL_LENDER_KEY =
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private static final Wad WATCH_BELOW = Wad.parse("1.1");

    private final PrintStream out;
    private final PrintStream err;

    LenderApp(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new LenderApp(System.out, System.err).run(args, System.getenv()));
    }

    int run(String[] args, Map<String, String> env) {
        try {
            Args parsed = COMMAND_LINE.parse(args, env);
            if (parsed.help()) {
                out.println(COMMAND_LINE.usage());
                return 0;
            }
            List<String> words = parsed.words();
            if (words.isEmpty()) {
                err.println(COMMAND_LINE.usage());
                return 2;
            }
            Duration every = parsed.get("every", LenderApp::duration);
            ExampleSettings settings =
                    ExampleSettings.from(parsed, env, "FREEHOLD_LENDER_KEY", LOCAL_LENDER_KEY);
            switch (words.get(0)) {
                case "watch":
                    return watch(settings, parsed.has("once"), every);
                case "supply":
                case "withdraw":
                    if (words.size() != 3) {
                        throw new IllegalArgumentException(
                                "expected: " + words.get(0) + " <property> <usd>");
                    }
                    return transact(settings, words.get(0), words.get(1), words.get(2));
                default:
                    throw new IllegalArgumentException("unknown command " + words.get(0));
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(COMMAND_LINE.usage());
            return 2;
        }
    }

    /** "500ms", "2s", "1m": a whole number and a unit, above zero. */
    static Duration duration(String text) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m)").matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration such as 500ms, 2s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private int transact(ExampleSettings settings, String command, String property, String amount) {
        MarketId market = settings.market(property);
        try (FreeholdPool pool =
                FreeholdPool.connect(
                        settings.rpcUrl(),
                        settings.key(),
                        settings.pool(),
                        settings.deployment().chainId())) {
            PoolReceipt r =
                    command.equals("supply")
                            ? pool.supply(market, Format.parseDollars(amount))
                            : amount.equals("all")
                                    ? pool.withdrawAll(market)
                                    : pool.withdraw(market, Format.parseDollars(amount));
            out.printf(
                    "%s %s in %s: block %d, %s shares (tx %s)%n",
                    command,
                    Format.dollars(r.assets().baseUnits()),
                    property,
                    r.blockNumber(),
                    r.shares(),
                    r.transactionHash());
            return 0;
        } catch (ContractRevertException e) {
            err.println(
                    "The pool refused: "
                            + e.revert()
                            + switch (e.revert().name()) {
                                case "InsufficientLiquidity" ->
                                        ". Borrowers hold the rest; withdraw less, or later.";
                                case "SupplyCapExceeded" -> ". The market is full.";
                                case "ERC20InsufficientBalance" ->
                                        ". Your wallet holds too little of the stablecoin.";
                                default -> ".";
                            });
            return 1;
        } catch (OnchainException e) {
            err.println(
                    "Could not reach the chain at " + settings.rpcUrl() + ": " + e.getMessage());
            return 3;
        }
    }

    /** The table, from a watch of the positions below 1.1 (kept by an observer) and the markets. */
    private int watch(ExampleSettings settings, boolean once, Duration every) {
        Map<String, Position> atRisk = new ConcurrentHashMap<>();
        CountDownLatch inSync = new CountDownLatch(1);
        try (FreeholdClient node =
                        FreeholdClient.create(
                                FreeholdSettings.builder()
                                        .target(settings.node())
                                        .tls(false)
                                        .build());
                Subscription watch =
                        node.watchPositions(
                                PositionQuery.builder().healthFactorBelow(WATCH_BELOW).build(),
                                null,
                                new WatchObserver<>() {
                                    @Override
                                    public void onEvent(PositionEvent e) {
                                        if (e instanceof PositionEvent.Snapshot s) {
                                            atRisk.put(key(s.position()), s.position());
                                        } else if (e instanceof PositionEvent.Updated u) {
                                            atRisk.put(key(u.position()), u.position());
                                        } else if (e instanceof PositionEvent.Removed r) {
                                            atRisk.remove(r.marketId() + "/" + r.account());
                                        } else if (e instanceof PositionEvent.InSync) {
                                            inSync.countDown();
                                        }
                                    }

                                    @Override
                                    public void onError(FreeholdException error) {
                                        err.println(
                                                "The node refused the watch: "
                                                        + error.getMessage());
                                        inSync.countDown();
                                    }
                                })) {
            if (!inSync.await(30, TimeUnit.SECONDS)) {
                err.println(
                        "The node at "
                                + settings.node()
                                + " sent no snapshot within 30 s; is it running?"
                                + " (./demo.sh --keep-running starts one.)");
                return 3;
            }
            do {
                if (!once && System.console() != null) {
                    out.print("\033[H\033[2J"); // a terminal: redraw in place
                }
                out.print(Exposure.table(node, settings, atRisk.values()));
                out.flush();
                if (!once) {
                    Thread.sleep(every.toMillis());
                }
            } while (!once);
            return 0;
        } catch (FreeholdException e) {
            err.println("The node at " + settings.node() + " did not answer: " + e.getMessage());
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String key(Position p) {
        return p.marketId() + "/" + p.account();
    }
}
