package io.freehold.examples.bot;

import io.freehold.examples.common.Args;
import io.freehold.examples.common.CommandLine;
import io.freehold.examples.common.ExampleSettings;
import io.freehold.examples.common.Format;
import io.freehold.examples.common.Option;
import io.freehold.sdk.AuctionEvent;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.Market;
import io.freehold.sdk.Opportunity;
import io.freehold.sdk.OpportunityEvent;
import io.freehold.sdk.OpportunityQuery;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.Watch;
import io.freehold.sdk.onchain.ContractRevertException;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.sdk.onchain.LiquidationReceipt;
import io.freehold.sdk.onchain.OnchainException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A liquidation bot: it lives on the node's opportunities stream (through the SDK, which resumes by
 * itself), decides ({@link Decision}), liquidates with its own key through {@link FreeholdPool}
 * (simulated first, so a position someone else got to is a refusal, not a lost fee), and reports
 * what it repaid, seized and earned. Its state file ({@link BotState}) makes it resume after a
 * restart where it stopped, without acting twice on the same opportunity.
 *
 * <p>On auction markets (a Dutch auction instead of {@code liquidate}) it takes lots instead: each
 * auction whose price on chain is at or below the appraisal less {@code --auction-discount} is
 * taken with that limit as {@code maxPrice}, as much as the loan tokens it holds pay for ({@link
 * AuctionTaker}). It neither flags positions nor starts auctions: keepers (or the node) do.
 *
 * <pre>
 *   FREEHOLD_BOT_KEY=0x... run.sh                 watch and liquidate until Ctrl-C
 *   run.sh --compete --min-profit 5               also race the node; skip anything under $5
 *   run.sh --auction-discount 15                  take auctioned lots at 85% of the appraisal or less
 *   run.sh --exit-when-idle 10                    stop after 10 quiet seconds (scripts, tests)
 * </pre>
 *
 * The key's address must be verified by the identity registry (it receives property tokens) and
 * hold the stablecoin to repay with. Exit codes: 0 done, 2 bad usage, 3 the chain or the node could
 * not be reached.
 */
public final class LiquidationBot {

    /** The command line, declared once: the parser reads it and the usage is printed from it. */
    static final CommandLine COMMAND_LINE =
            CommandLine.builder("run.sh [options]")
                    .option(
                            Option.flag(
                                    "compete",
                                    "also liquidate what the node says it will (race it)"))
                    .option(
                            Option.value(
                                    "min-profit",
                                    "USD",
                                    "0.01",
                                    "skip opportunities whose expected incentive is below this"))
                    .option(
                            Option.value(
                                    "auction-discount",
                                    "PERCENT",
                                    "10",
                                    "on auction markets, take lots priced at or below the"
                                            + " appraisal less this (the take's maxPrice)"))
                    .option(
                            Option.value(
                                    "state",
                                    "FILE",
                                    "liquidation-bot.state",
                                    "where the bot remembers its cursor and what it did"))
                    .option(
                            Option.value(
                                    "exit-when-idle",
                                    "SECONDS",
                                    null,
                                    "stop after this many seconds without opportunities (default: run until stopped)"))
                    .options(ExampleSettings.options(false))
                    .note(
                            "key: FREEHOLD_BOT_KEY (default: anvil account 4, for the local chain only)")
                    .build();

    /** anvil's published dev account 4: for the local chain only (verify and fund it first). */
    static final String LOCAL_BOT_KEY =
            "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

    private static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);

    /**
     * The local stablecoin's; FreeholdPool refuses an amount in other decimals rather than misread
     * it.
     */
    private static final int LOAN_DECIMALS = 6;

    private final PrintStream out;
    private final PrintStream err;
    private int liquidations;
    private BigInteger repaid = BigInteger.ZERO;
    private BigInteger earned = BigInteger.ZERO;

    LiquidationBot(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new LiquidationBot(System.out, System.err).run(args, System.getenv()));
    }

    int run(String[] args, Map<String, String> env) {
        Args parsed;
        ExampleSettings settings;
        BigInteger minProfit;
        BigInteger auctionDiscount;
        Optional<Duration> idle;
        Path statePath;
        try {
            parsed = COMMAND_LINE.parse(args, env);
            if (parsed.help()) {
                out.println(COMMAND_LINE.usage());
                return 0;
            }
            minProfit = parsed.get("min-profit", Format::parseDollars).baseUnits();
            auctionDiscount = parsed.get("auction-discount", LiquidationBot::percent);
            idle = Optional.ofNullable(parsed.get("exit-when-idle", LiquidationBot::seconds));
            statePath = parsed.get("state", Path::of);
            settings = ExampleSettings.from(parsed, env, "FREEHOLD_BOT_KEY", LOCAL_BOT_KEY);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + COMMAND_LINE.usage());
            return 2;
        }
        BotState state = BotState.load(statePath);
        boolean compete = parsed.has("compete");
        AuctionTaker taker = null;
        out.printf(
                "bot %s on %s; %s%n",
                settings.key().getAddress(),
                settings.node(),
                state.cursor()
                        .map(c -> "resuming after block " + c.blockNumber())
                        .orElse("starting from a snapshot"));
        try (FreeholdClient node =
                        FreeholdClient.create(
                                FreeholdSettings.builder()
                                        .target(settings.node())
                                        .tls(false)
                                        .build());
                FreeholdPool pool =
                        FreeholdPool.connect(
                                settings.rpcUrl(),
                                settings.key(),
                                settings.pool(),
                                settings.deployment().chainId());
                Watch<OpportunityEvent> watch =
                        node.liquidations()
                                .watchOpportunities(
                                        OpportunityQuery.liquidatable(),
                                        state.cursor().orElse(null));
                // Auctions are watched from a snapshot every start: the bot needs the running ones.
                Watch<AuctionEvent> auctionWatch = node.watchAuctions()) {
            taker = new AuctionTaker(node, pool, settings, auctionDiscount, out, err);
            long quietSince = System.nanoTime();
            while (true) {
                boolean active = false;
                Optional<OpportunityEvent> next = watch.poll(Duration.ofMillis(250));
                if (next.isPresent()) {
                    active = true;
                    Opportunity o = opportunity(next.get());
                    if (o != null) {
                        consider(o, node, pool, state, settings, compete, minProfit);
                    }
                    state.cursor(next.get().cursor());
                    state.save();
                }
                for (Optional<AuctionEvent> a = auctionWatch.poll(Duration.ofMillis(250));
                        a.isPresent();
                        a = auctionWatch.poll(Duration.ZERO)) {
                    active = true;
                    taker.onEvent(a.get());
                }
                active |= taker.tick();
                if (active) {
                    quietSince = System.nanoTime();
                } else if (idle.isPresent()
                        && System.nanoTime() - quietSince > idle.get().toNanos()) {
                    break;
                }
            }
        } catch (FreeholdException e) {
            err.println(
                    "The node at "
                            + settings.node()
                            + " refused or is unreachable: "
                            + e.getMessage());
            return 3;
        }
        out.printf(
                "done: %d liquidation(s), repaid %s, earned %s before gas; %d auction take(s),"
                        + " paid %s%n",
                liquidations,
                Format.dollars(repaid),
                Format.dollars(earned),
                taker == null ? 0 : taker.takes(),
                Format.dollars(taker == null ? BigInteger.ZERO : taker.paid()));
        return 0;
    }

    /** A percentage in [0, 100), e.g. {@code 7.5}, as a WAD fraction (0.075e18). */
    static BigInteger percent(String text) {
        java.math.BigDecimal p;
        try {
            p = new java.math.BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a percentage");
        }
        if (p.signum() < 0 || p.compareTo(java.math.BigDecimal.valueOf(100)) >= 0) {
            throw new IllegalArgumentException(
                    "the auction discount must be at least 0 and below 100: " + text);
        }
        return p.movePointRight(16).setScale(0, java.math.RoundingMode.DOWN).toBigIntegerExact();
    }

    /** A whole number of seconds above zero. */
    private static Duration seconds(String text) {
        if (!text.matches("[0-9]{1,9}") || Long.parseLong(text) == 0) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a whole number of seconds above zero");
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }

    private static Opportunity opportunity(OpportunityEvent e) {
        if (e instanceof OpportunityEvent.Snapshot s) {
            return s.opportunity();
        }
        if (e instanceof OpportunityEvent.Changed c) {
            return c.opportunity();
        }
        return null; // gone, in sync, retracted: nothing to do (a retracted one comes back as
        // Changed if real)
    }

    private void consider(
            Opportunity o,
            FreeholdClient node,
            FreeholdPool pool,
            BotState state,
            ExampleSettings settings,
            boolean compete,
            BigInteger minProfit) {
        String who = o.position().account() + " in " + settings.property(o.position().marketId());
        if (pool.liquidationTerms(o.position().marketId()).isAuction()) {
            out.println(
                    "skip "
                            + who
                            + ": an auction market (liquidate is closed; the bot takes its lots"
                            + " once auctioned)");
            return;
        }
        Decision d = Decision.decide(o, state, compete, minProfit);
        if (!d.act()) {
            out.println("skip " + who + ": " + d.reason());
            return;
        }
        String key = Decision.key(o);
        state.acting(key); // before sending: a crash from here on is visible at the next start
        try {
            // A little above the node's figure: interest accrues until the block it is mined in;
            // the
            // contract repays no more than its close factor allows anyway.
            BigInteger maxRepay = o.maxRepay().add(o.maxRepay().divide(BigInteger.valueOf(100)));
            LiquidationReceipt r =
                    pool.liquidate(
                            o.position().marketId(),
                            o.position().account(),
                            TokenAmount.of(maxRepay, LOAN_DECIMALS));
            state.acted(key, r.transactionHash());
            Market m = node.market(o.position().marketId());
            BigInteger seizedValue =
                    r.seizedCollateral()
                            .baseUnits()
                            .multiply(m.appraisal().price())
                            .divide(PRICE_SCALE);
            BigInteger gain = seizedValue.subtract(r.repaidAssets().baseUnits());
            liquidations++;
            repaid = repaid.add(r.repaidAssets().baseUnits());
            earned = earned.add(gain);
            out.printf(
                    "liquidated %s: repaid %s, seized %s worth %s, earned %s (block %d, tx %s)%n",
                    who,
                    Format.dollars(r.repaidAssets().baseUnits()),
                    Format.tokens(r.seizedCollateral().baseUnits()),
                    Format.dollars(seizedValue),
                    Format.dollars(gain),
                    r.blockNumber(),
                    r.transactionHash());
        } catch (ContractRevertException e) {
            out.println(
                    "not liquidated "
                            + who
                            + ": the pool refused: "
                            + e.revert()
                            + (e.revert().name().equals("PositionHealthy")
                                    ? " (someone got there first)"
                                    : ""));
        } catch (OnchainException e) {
            err.println("could not send the liquidation of " + who + ": " + e.getMessage());
        }
    }
}
