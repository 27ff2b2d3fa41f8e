package io.freehold.examples.borrower;

import io.freehold.examples.common.Args;
import io.freehold.examples.common.CommandLine;
import io.freehold.examples.common.ExampleSettings;
import io.freehold.examples.common.Format;
import io.freehold.examples.common.UsageException;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdException;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.NotFoundException;
import io.freehold.sdk.Position;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.math.PositionMath;
import io.freehold.sdk.math.PositionPreview;
import io.freehold.sdk.onchain.ContractRevertException;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.sdk.onchain.OnchainException;
import io.freehold.sdk.onchain.PoolReceipt;
import io.freehold.sdk.onchain.PositionInputs;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * A borrower's command line: lock property tokens, borrow the stablecoin, see health and
 * liquidation price, repay, withdraw. Transactions go through the SDK's {@link FreeholdPool} (a
 * refusal is explained from the contract's decoded error); the status comes from the node ({@link
 * FreeholdClient}), or is computed offline with {@link PositionMath} when there is no node.
 *
 * <pre>
 *   run.sh status                      every property
 *   run.sh lock FH-DET-0412 100        lock 100 tokens as collateral
 *   run.sh borrow FH-DET-0412 2500     borrow $2,500
 *   run.sh repay FH-DET-0412 all       repay everything owed
 *   run.sh repay-with-rent FH-DET-0412 repay from the rent the locked tokens earned
 *   run.sh withdraw FH-DET-0412 all    unlock every token
 * </pre>
 *
 * Exit codes: 0 done, 1 the pool refused (the message says why and what to do), 2 bad usage, 3 the
 * chain or the node could not be reached.
 */
public final class BorrowerApp {

    /** The command line, declared once: the parser reads it and the usage is printed from it. */
    static final CommandLine COMMAND_LINE =
            CommandLine.builder("run.sh <command> [options]")
                    .command(
                            "status [property]",
                            "health, LTV, liquidation price, what you can borrow")
                    .command("lock <property> <tokens>", "lock property tokens as collateral")
                    .command("borrow <property> <usd>", "borrow the stablecoin")
                    .command("repay <property> <usd|all>", "repay")
                    .command(
                            "repay-with-rent <property>",
                            "repay from the rent your locked tokens earned")
                    .command("withdraw <property> <tokens|all>", "unlock collateral")
                    .options(ExampleSettings.options(true))
                    .note(
                            "key: FREEHOLD_BORROWER_KEY (default: the local chain's borrower, anvil account 2)")
                    .build();

    /**
     * anvil's dev account 2, the local system's borrower: a key published in anvil's own docs, for
     * the local chain only. Anything real comes from FREEHOLD_BORROWER_KEY.
     */
    static final String LOCAL_BORROWER_KEY =
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

    private final PrintStream out;
    private final PrintStream err;

    BorrowerApp(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new BorrowerApp(System.out, System.err).run(args, System.getenv()));
    }

    /** Runs one command; returns the exit code. */
    int run(String[] args, Map<String, String> env) {
        Args parsed;
        try {
            parsed = COMMAND_LINE.parse(args, env);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(COMMAND_LINE.usage());
            return 2;
        }
        if (parsed.help()) {
            out.println(COMMAND_LINE.usage());
            return 0;
        }
        List<String> words = parsed.words();
        if (words.isEmpty()) {
            err.println(COMMAND_LINE.usage());
            return 2;
        }
        ExampleSettings settings;
        try {
            settings =
                    ExampleSettings.from(parsed, env, "FREEHOLD_BORROWER_KEY", LOCAL_BORROWER_KEY);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        String command = words.get(0);
        String property = words.size() > 1 ? words.get(1) : null;
        try {
            if (command.equals("status")) {
                return status(settings, property);
            }
            if (command.equals("repay-with-rent")) {
                if (words.size() != 2) {
                    err.println(COMMAND_LINE.usage());
                    return 2;
                }
                repayWithRent(settings, settings.market(property), property);
                return status(settings, property);
            }
            if (words.size() != 3) {
                err.println(COMMAND_LINE.usage());
                return 2;
            }
            MarketId market = settings.market(property);
            String amount = words.get(2);
            try (FreeholdPool pool =
                    FreeholdPool.connect(
                            settings.rpcUrl(),
                            settings.key(),
                            settings.pool(),
                            settings.deployment().chainId())) {
                PoolReceipt receipt =
                        switch (command) {
                            case "lock" -> pool.lockCollateral(market, Format.parseTokens(amount));
                            case "borrow" -> pool.borrow(market, Format.parseDollars(amount));
                            case "repay" ->
                                    amount.equals("all")
                                            ? pool.repayAll(market)
                                            : pool.repay(market, Format.parseDollars(amount));
                            case "withdraw" ->
                                    amount.equals("all")
                                            ? withdrawAllCollateral(pool, settings, market)
                                            : pool.withdrawCollateral(
                                                    market, Format.parseTokens(amount));
                            default ->
                                    throw new IllegalArgumentException(
                                            "unknown command " + command);
                        };
                out.printf(
                        "%s %s in %s: done in block %d (tx %s)%n",
                        command,
                        receipt.assets().toDecimalString(),
                        property,
                        receipt.blockNumber(),
                        receipt.transactionHash());
            }
            return status(settings, property);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(COMMAND_LINE.usage());
            return 2;
        } catch (ContractRevertException e) {
            err.println(Explain.revert(e.revert(), property));
            return 1;
        } catch (OnchainException e) {
            err.println(
                    "Could not reach the chain at "
                            + settings.rpcUrl()
                            + ": "
                            + e.getMessage()
                            + ". Is it running? (./demo.sh --keep-running starts one.)");
            return 3;
        }
    }

    private int status(ExampleSettings settings, String onlyProperty) {
        List<String> properties =
                onlyProperty == null
                        ? List.copyOf(settings.deployment().markets().keySet())
                        : List.of(onlyProperty);
        out.println("borrower " + settings.key().getAddress());
        Address me = Address.fromHex(settings.key().getAddress());
        if (!settings.offline()) {
            try (FreeholdClient node =
                    FreeholdClient.create(
                            FreeholdSettings.builder()
                                    .target(settings.node())
                                    .tls(false)
                                    .retryAttempts(1)
                                    .build())) {
                for (String property : properties) {
                    try {
                        Position p = node.position(settings.market(property), me);
                        out.println(
                                line(
                                        property,
                                        p.collateral(),
                                        p.debt(),
                                        p.ltv().raw(),
                                        p.healthFactor().toWad().raw(),
                                        p.healthFactor().hasDebt(),
                                        p.liquidationPrice(),
                                        p.maxBorrowable(),
                                        "node, block " + p.asOf().blockNumber()));
                        printRent(property, p.claimableRent());
                    } catch (NotFoundException e) {
                        out.printf("  %-12s nothing locked or borrowed%n", property);
                    }
                }
                return 0;
            } catch (FreeholdException e) {
                err.println(
                        "The node at "
                                + settings.node()
                                + " did not answer ("
                                + e.getMessage()
                                + "); valuing offline instead.");
            }
        }
        try (FreeholdPool pool =
                FreeholdPool.connect(
                        settings.rpcUrl(),
                        settings.key(),
                        settings.pool(),
                        settings.deployment().chainId())) {
            for (String property : properties) {
                PositionInputs in = pool.positionInputs(settings.market(property), me);
                PositionMath m = PositionMath.of(in);
                out.println(
                        line(
                                property,
                                m.collateral().baseUnits(),
                                m.debt().baseUnits(),
                                m.ltv().raw(),
                                m.healthFactor().toWad().raw(),
                                m.healthFactor().hasDebt(),
                                m.liquidationPrice(),
                                m.maxBorrowable().baseUnits(),
                                "offline" + (m.priceStale() ? ", PRICE STALE" : "")));
                printRent(
                        property,
                        m.claimableRent(
                                pool.poolRent(settings.market(property), in.blockNumber())));
            }
            return 0;
        } catch (OnchainException e) {
            err.println(
                    "Could not reach the chain at " + settings.rpcUrl() + ": " + e.getMessage());
            return 3;
        }
    }

    private static String line(
            String property,
            java.math.BigInteger collateral,
            java.math.BigInteger debt,
            java.math.BigInteger ltv,
            java.math.BigInteger health,
            boolean hasDebt,
            java.math.BigInteger liquidationPrice,
            java.math.BigInteger maxBorrowable,
            String source) {
        return String.format(
                "  %-12s collateral %s, debt %s, LTV %s, health %s, liquidation below %s,"
                        + " can borrow %s more (%s)",
                property,
                Format.tokens(collateral),
                Format.dollars(debt),
                Format.percent(ltv),
                Format.health(health, hasDebt),
                hasDebt ? Format.perToken(liquidationPrice) : "-",
                Format.dollars(maxBorrowable),
                source);
    }

    /**
     * Repays from rent: previews the pool's {@code repayWithRent} at the latest block (what it
     * repays and the health factor after, exact for a transaction mined at that time), then sends
     * it.
     */
    private void repayWithRent(ExampleSettings settings, MarketId market, String property) {
        try (FreeholdPool pool =
                FreeholdPool.connect(
                        settings.rpcUrl(),
                        settings.key(),
                        settings.pool(),
                        settings.deployment().chainId())) {
            PositionInputs in = pool.positionInputs(market, pool.account());
            PositionMath now = PositionMath.of(in);
            PositionPreview preview =
                    now.previewRepayWithRent(pool.poolRent(market, in.blockNumber()));
            if (!preview.reverts()) {
                out.printf(
                        "repay-with-rent in %s: previewed %s of rent repaying debt, health %s -> %s%n",
                        property,
                        Format.dollars(preview.assets().baseUnits()),
                        Format.health(
                                now.healthFactor().toWad().raw(), now.healthFactor().hasDebt()),
                        Format.health(
                                preview.after().healthFactor().toWad().raw(),
                                preview.after().healthFactor().hasDebt()));
            }
            // Sent even when the preview refuses: the pool's own refusal, decoded, is the
            // explanation.
            PoolReceipt receipt = pool.repayWithRent(market);
            out.printf(
                    "repay-with-rent %s in %s: done in block %d (tx %s)%n",
                    receipt.assets().toDecimalString(),
                    property,
                    receipt.blockNumber(),
                    receipt.transactionHash());
        }
    }

    private void printRent(String property, java.math.BigInteger claimableRent) {
        if (claimableRent.signum() > 0) {
            out.printf(
                    "  %-12s rent to claim %s (run.sh repay-with-rent %s applies it to the debt)%n",
                    property, Format.dollars(claimableRent), property);
        }
    }

    /**
     * Withdrawing every token: what is locked, read from the chain (the SDK's withdrawAll is for
     * supply).
     */
    private static PoolReceipt withdrawAllCollateral(
            FreeholdPool pool, ExampleSettings settings, MarketId market) {
        TokenAmount locked =
                PositionMath.of(pool.positionInputs(market, pool.account())).collateral();
        return pool.withdrawCollateral(market, locked);
    }
}
