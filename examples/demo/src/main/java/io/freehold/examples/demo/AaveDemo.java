package io.freehold.examples.demo;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.AaveMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.local.Anvil;
import io.freehold.sdk.AaveMarket.Reserve;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.LiquidationAttempt;
import io.freehold.sdk.LiquidationQuery;
import io.freehold.sdk.Market;
import io.freehold.sdk.NodeStatus;
import io.freehold.types.Address;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.web3j.crypto.Credentials;

/**
 * {@code ./demo.sh --aave}: the node following an Aave v3 pool. A local chain; the local Aave
 * market with RMM-like parameters (a property-token stand-in as collateral, USDC to borrow);
 * borrowers at different health; the node started with {@code freehold.node.protocol=aave-v3}; an
 * appraisal lowers the property token's price; the node's opportunities stream, read through the
 * SDK, shows who crossed the line with the sized {@code liquidationCall}; the liquidations; and the
 * books reconciled: every account the node serves equals {@code getUserAccountData} to the wei.
 *
 * <p>Who liquidates is an {@link AaveLiquidator}: the node itself in {@code EXECUTE} mode (the demo
 * waits for its {@code LiquidationCall}s), or with {@code --aave-bot} the demo's bot acting on the
 * node's sized figures.
 */
final class AaveDemo {

    private static final int STEPS = 8;

    /** The property token's price at deployment, in the oracle's base currency (8 decimals). */
    static final BigInteger PROPERTY_PRICE = AaveLocalMarket.PROPERTY_PRICE;

    static final BigInteger WAD = BigInteger.TEN.pow(18);

    /** The liquidator's USDC: enough to repay every liquidatable debt of the largest run. */
    private static final BigInteger LIQUIDATOR_USDC =
            AavePool.USDC.multiply(BigInteger.valueOf(10_000_000));

    private static final int GRPC_PORT = 50051;

    private final PrintStream out;
    private final DemoOptions options;

    AaveDemo(PrintStream out, DemoOptions options) {
        this.out = out;
        this.options = options;
    }

    AaveDemoReport run() throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("freehold-demo-aave-");
        try {
            return run(work, started);
        } finally {
            DemoMain.deleteQuietly(work);
        }
    }

    private AaveDemoReport run(Path work, long started) throws Exception {
        step(1, "Starting a local chain (anvil)");
        try (Anvil anvil = DemoMain.startChain(options, out)) {

            step(
                    2,
                    "Deploying a local Aave v3 market (Aave's compiled contracts, @aave/core-v3) with"
                            + " RMM-like parameters");
            AaveMarket market = AaveLocalMarket.deploy(anvil);
            AavePool pool = new AavePool(anvil, market);
            out.printf(
                    "      pool %s (addresses provider %s)%n",
                    market.pool(), market.addressesProvider());
            out.printf(
                    "      REALT-0412 (property-token stand-in): collateral at %s LTV, %s liquidation"
                            + " threshold, %s bonus, not borrowable; price %s%n",
                    percent(AaveLocalMarket.PROPERTY_LTV),
                    percent(AaveLocalMarket.PROPERTY_LIQUIDATION_THRESHOLD),
                    percent(AaveLocalMarket.PROPERTY_LIQUIDATION_BONUS - 10_000),
                    Money.base(PROPERTY_PRICE));
            out.printf(
                    "      USDC: borrowable, and collateral at %s / %s / %s bonus%n",
                    percent(AaveLocalMarket.STABLECOIN_LTV),
                    percent(AaveLocalMarket.STABLECOIN_LIQUIDATION_THRESHOLD),
                    percent(AaveLocalMarket.STABLECOIN_LIQUIDATION_BONUS - 10_000));

            int count = options.borrowers();
            step(
                    3,
                    "Seeding "
                            + count
                            + " borrowers: REALT-0412 supplied (every fifth adds USDC collateral),"
                            + " USDC borrowed at "
                            + AaveBorrowers.LOWEST_USE_BPS / 100
                            + "% to "
                            + AaveBorrowers.HIGHEST_USE_BPS / 100
                            + "% of their borrowing power; a lender supplies "
                            + Money.dollars(AaveBorrowers.LENDER_USDC));
            List<AaveBorrowers.Borrower> borrowers =
                    AaveBorrowers.seed(
                            pool,
                            count,
                            done -> {
                                if (done % 10 == 0 || done == count) {
                                    out.printf("      %d/%d%n", done, count);
                                }
                            });
            // One account liquidates: the node's key (EXECUTE mode), or the demo's bot with
            // --aave-bot. Either way it holds USDC and approved the pool once (the node never
            // approves by itself: an operator does, docs/OPERATIONS.md).
            Credentials liquidatorKey = anvil.credentials(9);
            ChainWriter liquidatorAccount = new ChainWriter(anvil, liquidatorKey);
            pool.fund(liquidatorAccount, LIQUIDATOR_USDC, BigInteger.ZERO);
            AaveLiquidator liquidator =
                    options.aaveBot()
                            ? new AaveLiquidator.Bot(pool, liquidatorAccount)
                            : new AaveLiquidator.Node(
                                    pool, liquidatorAccount.address(), pool.head());
            out.printf(
                    "      the liquidator's account %s holds %s and approved the pool%n",
                    Address.of(liquidatorAccount.address()).toChecksumHex(),
                    Money.dollars(LIQUIDATOR_USDC));

            step(
                    4,
                    "Starting the node with freehold.node.protocol=aave-v3, following the pool"
                            + (options.aaveBot()
                                    ? " (watch mode)"
                                    : " (liquidator in EXECUTE mode)"));
            int grpcPort = options.keepRunning() && DemoMain.portIsFree(GRPC_PORT) ? GRPC_PORT : 0;
            try (DemoNode node =
                            DemoNode.startAave(
                                    anvil,
                                    market,
                                    liquidatorKey,
                                    !options.aaveBot(),
                                    work,
                                    grpcPort,
                                    -1);
                    FreeholdClient client =
                            FreeholdClient.create(
                                    FreeholdSettings.builder()
                                            .target("127.0.0.1:" + node.grpcPort())
                                            .tls(false)
                                            .build())) {
                awaitSynced(client, pool);
                NodeStatus status = client.status();
                Market served = client.markets().get(0);
                out.printf(
                        "      the SDK reads: protocol %s, phase %s, one market %s…%n",
                        status.protocol().wireName(),
                        status.phase(),
                        served.marketId().toString().substring(0, 12));
                for (Reserve r : served.aave().orElseThrow().reserves()) {
                    out.printf(
                            "      reserve %-10s  LTV %s  threshold %s  bonus %s  price %s%n",
                            pool.symbol(r.asset()),
                            percent(r.ltv().value()),
                            percent(r.liquidationThreshold().value()),
                            // the pool stores the bonus as 100 % plus it (11 000 = a 10 % bonus)
                            percent(r.liquidationBonus().value() - 10_000),
                            r.price().map(Money::base).orElse("?"));
                }

                step(5, "Accounts with debt by health band, as the node serves them");
                long[] before = bands(served);
                out.printf(
                        "      healthy %d, warning %d, liquidatable %d (health factor >= 1.1, 1.0 to 1.1, below 1.0)%n",
                        before[0], before[1], before[2]);

                step(
                        6,
                        "The appraisal falls; the node's opportunities stream shows who crossed, with"
                                + " the sized liquidationCall");
                AavePriceFall.Outcome outcome =
                        AavePriceFall.play(
                                pool,
                                client,
                                borrowers,
                                liquidator,
                                out,
                                () -> step(7, "Liquidating: " + liquidator.describe()));
                List<LiquidationAttempt> attempts = List.of();
                if (!options.aaveBot()) {
                    // The node calls a liquidation final after its confirmations: mine them.
                    AnvilControl control = new AnvilControl(anvil);
                    for (int i = 0; i < DemoNode.CONFIRMATIONS; i++) {
                        control.mine();
                    }
                    attempts = awaitFinal(client);
                    Map<LiquidationAttempt.Status, Long> byStatus =
                            attempts.stream()
                                    .collect(
                                            Collectors.groupingBy(
                                                    LiquidationAttempt::status,
                                                    TreeMap::new,
                                                    Collectors.counting()));
                    out.printf(
                            "      the node's attempts (ListAttempts, through the SDK): %d, %s; the pool emitted %d LiquidationCalls%n",
                            attempts.size(), byStatus, outcome.liquidations().size());
                }
                awaitSynced(client, pool);
                long[] after = bands(client.markets().get(0));

                step(8, "Reconciling the node's books with the pool (getUserAccountData)");
                List<String> accounts = new ArrayList<>();
                borrowers.forEach(b -> accounts.add(b.address()));
                accounts.add(anvil.credentials(1).getAddress());
                accounts.add(liquidatorAccount.address());
                AaveBooks.Reconciliation books = AaveBooks.reconcile(client, pool, accounts);
                AaveDemoReport report =
                        new AaveDemoReport(
                                count,
                                before,
                                after,
                                outcome,
                                books,
                                liquidator.describe(),
                                liquidator.address(),
                                attempts,
                                anvil.process().pid(),
                                work);
                summary(report, started);
                if (options.keepRunning()) {
                    keepRunning(anvil, node, work);
                }
                return report;
            }
        }
    }

    private void summary(AaveDemoReport r, long started) {
        out.println();
        out.println("Summary (Aave v3 pool)");
        out.printf(
                "  accounts with debt by health band (before -> after): healthy %d -> %d, warning %d -> %d,"
                        + " liquidatable %d -> %d%n",
                r.before()[0],
                r.after()[0],
                r.before()[1],
                r.after()[1],
                r.before()[2],
                r.after()[2]);
        List<AavePool.LiquidationCall> ls = r.outcome().liquidations();
        BigInteger repaid =
                ls.stream()
                        .map(AavePool.LiquidationCall::debtToCover)
                        .reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger seized =
                ls.stream()
                        .map(AavePool.LiquidationCall::liquidatedCollateral)
                        .reduce(BigInteger.ZERO, BigInteger::add);
        out.printf(
                "  REALT-0412 fell %d%%: %d accounts crossed the line, all shown by the opportunities stream;"
                        + " %d liquidationCalls (liquidator %s) repaid %s and took %s%n",
                AavePriceFall.FALL_PERCENT,
                r.outcome().crossed().size(),
                ls.size(),
                Money.shortAddress(Address.of(r.liquidatorAddress()).toChecksumHex()),
                Money.dollars(repaid),
                Money.tokens(seized));
        if (!r.attempts().isEmpty()) {
            long mined =
                    r.attempts().stream()
                            .filter(a -> a.status() == LiquidationAttempt.Status.MINED)
                            .count();
            out.printf(
                    "  the node's own attempts: %d, %d of them mined and final, for %d LiquidationCalls%n",
                    r.attempts().size(), mined, ls.size());
        }
        AaveBooks.Reconciliation b = r.books();
        if (b.reconciles()) {
            out.printf(
                    "  books reconcile: %d accounts (%d with debt), node == pool at block %d:"
                            + " getUserAccountData's six figures, aToken and debt balances (scaled and"
                            + " current), reserve prices and indexes, to the wei%n",
                    b.accounts(), b.withDebt(), b.block());
        } else {
            out.printf(
                    "  books DO NOT reconcile at block %d: %d differences, first: %s%n",
                    b.block(), b.differences().size(), b.differences().get(0));
        }
        out.printf(
                "Done in %ds.%s The node's log: %s%n",
                (System.nanoTime() - started) / 1_000_000_000,
                options.keepRunning() ? "" : " No process left running.",
                System.getProperty("freehold.demo.log", "freehold-demo-node.log"));
    }

    /**
     * The node's attempts once none is in flight or waiting for its confirmations (MINED, or
     * another final status), through the SDK's {@code ListAttempts}.
     */
    private static List<LiquidationAttempt> awaitFinal(FreeholdClient client) throws Exception {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        while (true) {
            List<LiquidationAttempt> attempts;
            try (var listed = client.liquidations().attempts(LiquidationQuery.all())) {
                attempts = listed.toList();
            }
            boolean settled =
                    attempts.stream()
                            .noneMatch(
                                    a ->
                                            a.status() == LiquidationAttempt.Status.IN_FLIGHT
                                                    || a.status()
                                                            == LiquidationAttempt.Status
                                                                    .MINED_UNCONFIRMED);
            if (settled || System.nanoTime() > giveUp) {
                return attempts;
            }
            Thread.sleep(100);
        }
    }

    /** The node's counts of accounts with debt: healthy, warning, liquidatable. */
    private static long[] bands(Market m) {
        return new long[] {m.positionsHealthy(), m.positionsWarning(), m.positionsLiquidatable()};
    }

    private void awaitSynced(FreeholdClient client, AavePool pool) throws Exception {
        long head = pool.head();
        long giveUp = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < giveUp) {
            long applied;
            try {
                applied = client.status().appliedBlock();
            } catch (io.freehold.sdk.FreeholdException e) {
                applied = -1; // starting, or not applied a block yet
            }
            if (applied >= head) {
                out.printf("      the node has applied block %d, the head%n", applied);
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "the node did not catch up with block "
                        + head
                        + " within two minutes; its log says why");
    }

    private void keepRunning(Anvil anvil, DemoNode node, Path work) throws InterruptedException {
        out.println();
        out.println("Still running (Ctrl-C stops the chain and the node).");
        out.printf("  chain      %s%n", anvil.rpcUrl());
        out.printf(
                "  node gRPC  127.0.0.1:%d   e.g. grpcurl -plaintext 127.0.0.1:%d freehold.v1.MarketService/ListMarkets%n",
                node.grpcPort(), node.grpcPort());
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    node.close();
                                    anvil.close();
                                    DemoMain.deleteQuietly(work);
                                    out.println("Stopped the node and the chain.");
                                    forever.countDown();
                                },
                                "demo-shutdown"));
        forever.await();
    }

    private static String percent(int basisPoints) {
        return new io.freehold.sdk.BasisPoints(basisPoints).toString().replace(".00", "");
    }

    private void step(int n, String what) {
        out.printf("[%d/%d] %s%n", n, STEPS, what);
    }
}
