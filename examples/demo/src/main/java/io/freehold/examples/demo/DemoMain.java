package io.freehold.examples.demo;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.Directories;
import io.freehold.contracts.local.FoundryProject;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.examples.common.Args;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.Liquidation;
import io.freehold.sdk.Position;
import io.freehold.types.Uint256;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.web3j.crypto.Credentials;

/**
 * Freehold's main job, the README's first command: a local chain, the contracts deployed, a hundred
 * and twenty borrowers with loans against three properties, and a few more on a fourth whose market
 * sells by auction after a cure window; the node following them; appraisals that fall; the
 * positions that cross the line liquidated by the node on the fixed-incentive markets, and flagged,
 * cured or auctioned on the auction market; and the books reconciled, node against chain, to the
 * wei. Everything it starts stops with it; {@code --keep-running} leaves the chain and the node up
 * for exploring until Ctrl-C.
 */
public final class DemoMain {

    private static final int STEPS = 9;
    private static final int ANVIL_PORT = 8545;
    private static final int GRPC_PORT = 50051;
    private static final int HTTP_PORT = 8080;

    private final PrintStream out;
    private final DemoOptions options;

    DemoMain(PrintStream out, DemoOptions options) {
        this.out = out;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        System.exit(start(args, System.out, System.err));
    }

    /**
     * Reads the command line and runs the demo; returns the exit code: 0 the books reconcile (or
     * the usage was asked for), 1 they do not, 2 the command line is wrong (the usage says what it
     * takes).
     */
    static int start(String[] args, PrintStream out, PrintStream err) throws Exception {
        DemoOptions options;
        try {
            Args parsed = DemoOptions.COMMAND_LINE.parse(args, Map.of());
            if (parsed.help()) {
                out.println(DemoOptions.COMMAND_LINE.usage());
                return 0;
            }
            options = DemoOptions.from(parsed);
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            err.println(DemoOptions.COMMAND_LINE.usage());
            return 2;
        }
        if (options.aave()) {
            return new AaveDemo(out, options).run().reconciles() ? 0 : 1;
        }
        DemoReport report = new DemoMain(out, options).run();
        return report.reconciles() ? 0 : 1;
    }

    /** Runs the whole demo; returns what happened (the demo's test asserts it). */
    DemoReport run() throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("freehold-demo-");
        step(1, "Starting a local chain (anvil)");
        try (Anvil anvil = startChain(options, out)) {

            step(
                    2,
                    "Deploying the contracts: registry, stablecoin, oracle, pool, Dutch auction; three properties"
                            + " with fixed-incentive markets, and "
                            + LocalSystem.AUCTION_PROPERTY.id()
                            + " with an auction market (a 1-day cure window)");
            Deployment deployment =
                    LocalSystem.deploy(anvil, LocalSystem.Options.withAuctionMarket());
            Path deploymentFile = work.resolve("deployment.json");
            deployment.write(deploymentFile);
            if (options.keepRunning()) {
                deployment.write(
                        FoundryProject.locate()
                                .directory()
                                .resolve("deployments")
                                .resolve("local.json"));
            }
            out.printf(
                    "      pool %s; a lender supplied %s to each market%n",
                    deployment.lendingPool(), Money.dollars(LocalSystem.usd(500_000)));

            int seeded = options.borrowers() + Borrowers.AUCTION_LTVS.length;
            step(
                    3,
                    "Seeding "
                            + options.borrowers()
                            + " borrowers on the fixed-incentive markets and "
                            + Borrowers.AUCTION_LTVS.length
                            + " on the auction market: verified, given property tokens, collateral"
                            + " locked, loans at 25% to 64% loan-to-value");
            List<Borrowers.Borrower> borrowers =
                    Borrowers.seed(
                            anvil,
                            deployment,
                            options.borrowers(),
                            done -> {
                                if (done % 10 == 0 || done == seeded) {
                                    out.printf("      %d/%d%n", done, seeded);
                                }
                            });

            step(4, "Starting the node (liquidator in execute mode) and following the chain");
            Credentials liquidator = anvil.credentials(3);
            MockStablecoin.load(
                            deployment.stablecoin(),
                            anvil.web3j(),
                            anvil.transactionManager(liquidator),
                            LocalSystem.GAS)
                    .approve(deployment.lendingPool(), Uint256.MAX)
                    .send();
            int grpcPort = options.keepRunning() && portIsFree(GRPC_PORT) ? GRPC_PORT : 0;
            int httpPort = options.keepRunning() && portIsFree(HTTP_PORT) ? HTTP_PORT : -1;
            try (DemoNode node =
                            DemoNode.start(
                                    anvil, deploymentFile, liquidator, work, grpcPort, httpPort);
                    FreeholdClient client =
                            FreeholdClient.create(
                                    FreeholdSettings.builder()
                                            .target("127.0.0.1:" + node.grpcPort())
                                            .tls(false)
                                            .build())) {
                awaitSynced(client, anvil);
                java.util.function.Function<Position, String> property =
                        p -> propertyOf(deployment, p);
                Bands before = Bands.of(client, property);

                step(5, "Positions by health band, as the node serves them");
                out.printf(
                        "      healthy %d, warning %d, liquidatable %d (health factor >= 1.1, 1.0 to 1.1, below 1.0)%n",
                        before.total(0), before.total(1), before.total(2));

                step(6, "Rent reaches a loan");
                Rent.Outcome rent = Rent.play(anvil, deployment, borrowers, out);

                step(7, "Appraisals fall");
                PriceFall.Outcome outcome = PriceFall.play(anvil, deployment, client, out);

                step(
                        8,
                        "The auction market, "
                                + LocalSystem.AUCTION_PROPERTY.id()
                                + ": cure windows, a cure, auctions");
                CureAndAuction.Outcome auctions =
                        CureAndAuction.play(
                                anvil,
                                deployment,
                                client,
                                borrowers,
                                outcome.fallBlocks().get(LocalSystem.AUCTION_PROPERTY.id()),
                                out);
                AnvilControl control = new AnvilControl(anvil);
                control.intervalMining(0); // a still chain to compare against
                control.automine(true);
                awaitSynced(client, anvil);
                Bands after = Bands.of(client, property);

                step(9, "Reconciling the node's books with the chain");
                List<String> accounts =
                        new ArrayList<>(
                                borrowers.stream().map(Borrowers.Borrower::address).toList());
                accounts.add(deployment.accounts().lender());
                accounts.add(deployment.accounts().borrower());
                Books.Reconciliation books = Books.reconcile(client, anvil, deployment, accounts);

                DemoReport report =
                        new DemoReport(
                                options.borrowers(),
                                before,
                                after,
                                outcome,
                                auctions,
                                rent,
                                books,
                                anvil.process().pid(),
                                work,
                                deployment);
                summary(report, deployment, started);
                if (options.keepRunning()) {
                    readyTheBotsAccount(anvil, deployment);
                    keepRunning(anvil, node, work);
                }
                return report;
            }
        } finally {
            deleteQuietly(work);
        }
    }

    private void summary(DemoReport r, Deployment deployment, long started) {
        out.println();
        out.println("Summary");
        out.println("  positions by health band (before -> after):");
        out.print(Bands.table(r.before(), r.after()));
        List<Liquidation> ls = r.outcome().liquidations();
        BigInteger repaid =
                ls.stream().map(Liquidation::repaidAssets).reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger seized =
                ls.stream()
                        .map(Liquidation::seizedCollateral)
                        .reduce(BigInteger.ZERO, BigInteger::add);
        out.printf(
                "  liquidations on the fixed-incentive markets: %d (of %d positions the opportunities"
                        + " stream showed crossing the line), repaid %s, seized %s, bad debt %s%n",
                ls.size(),
                r.outcome().crossed(),
                Money.dollars(repaid),
                Money.tokens(seized),
                Money.dollars(PriceFall.badDebt(ls)));
        Map<Long, Integer> delays = new TreeMap<>();
        ls.forEach(l -> delays.merge(r.outcome().blocksAfterFall(deployment, l), 1, Integer::sum));
        StringBuilder d = new StringBuilder();
        delays.forEach(
                (blocks, n) ->
                        d.append(d.length() == 0 ? "" : ", ")
                                .append(n)
                                .append(" in block fall + ")
                                .append(blocks));
        if (!ls.isEmpty()) {
            out.println("  block to inclusion (1-second blocks): " + d);
            ls.stream()
                    .sorted(Comparator.comparing(Liquidation::blockNumber))
                    .limit(5)
                    .forEach(
                            l ->
                                    out.printf(
                                            "    %s  %-12s repaid %12s  seized %16s  block %d%n",
                                            Money.shortAddress(l.borrower().toChecksumHex()),
                                            PriceFall.property(deployment, l),
                                            Money.dollars(l.repaidAssets()),
                                            Money.tokens(l.seizedCollateral()),
                                            l.blockNumber()));
            if (ls.size() > 5) {
                out.printf("    ... and %d more%n", ls.size() - 5);
            }
        }
        if (r.outcome().stillLiquidatable() > 0) {
            out.printf(
                    "  still liquidatable: %d (see the node's log)%n",
                    r.outcome().stillLiquidatable());
        }
        auctionsSummary(r.auctions());
        Rent.Outcome rent = r.rent();
        out.printf(
                "  rent: %s paid into %s, %s of it owed to the tokens locked in the pool; borrower %s"
                        + " repaid %s from its share (debt %s -> %s)%n",
                Money.dollars(rent.deposited()),
                Rent.PROPERTY,
                Money.dollars(rent.toPool()),
                Money.shortAddress(rent.borrower().toChecksumHex()),
                Money.dollars(rent.repaid()),
                Money.dollars(rent.debtBefore()),
                Money.dollars(rent.debtAfter()));
        Books.Reconciliation b = r.books();
        AuctionBooks.Reconciliation running = r.auctions().inAuction();
        if (r.reconciles()) {
            out.printf(
                    "  books reconcile: %d positions and %d markets, node == chain at block %d (shares, collateral,"
                            + " debt, LTV, health factor, claimable rent, totals) to the wei; cure flags and"
                            + " auctions too (%d positions, and %d running auctions at block %d: flag time, lock,"
                            + " id, start, restarts, prices, lot, tab)%n",
                    b.positions(),
                    b.markets(),
                    b.block(),
                    b.cureAndAuctions().positions(),
                    running.auctions(),
                    running.block());
        } else {
            List<String> all = new ArrayList<>(running.differences());
            all.addAll(b.differences());
            all.addAll(b.cureAndAuctions().differences());
            out.printf(
                    "  books DO NOT reconcile at block %d: %d differences, first: %s%n",
                    b.block(), all.size(), all.get(0));
        }
        out.printf(
                "Done in %ds.%s The node's log: %s%n",
                (System.nanoTime() - started) / 1_000_000_000,
                options.keepRunning() ? "" : " No process left running.",
                System.getProperty("freehold.demo.log", "freehold-demo-node.log"));
    }

    private void auctionsSummary(CureAndAuction.Outcome a) {
        out.printf(
                "  auction market %s: %d crossed the line, %d flagged by the node's keeper; %s cured (repaid"
                        + " %s); the clock moved %d hours; %d auctions, started by the node's keeper:%n",
                LocalSystem.AUCTION_PROPERTY.id(),
                a.crossed(),
                a.flagged().size(),
                Money.shortAddress(a.cured().toChecksumHex()),
                Money.dollars(a.cureRepaid()),
                a.advancedSeconds() / 3_600,
                a.sales().size());
        for (CureAndAuction.Sale s : a.sales()) {
            out.printf(
                    "    auction %d  %s  sold %s, paid %s, keeper reward %s, back to the borrower %s, bad"
                            + " debt %s%n",
                    s.take().auctionId(),
                    Money.shortAddress(s.take().borrower().toChecksumHex()),
                    Money.tokens(s.take().bought().baseUnits()),
                    Money.dollars(s.take().paid().baseUnits()),
                    s.started() == null ? "?" : Money.dollars(s.started().keeperReward()),
                    Money.tokens(
                            s.take().ended() ? s.take().lotLeft().baseUnits() : BigInteger.ZERO),
                    Money.dollars(s.take().badDebt().baseUnits()));
        }
    }

    private void keepRunning(Anvil anvil, DemoNode node, Path work) throws InterruptedException {
        out.println();
        out.println(
                "Still running (Ctrl-C stops the chain and the node). Try the examples: examples/borrower/run.sh"
                        + " status, examples/lender/run.sh watch, examples/liquidation-bot/run.sh --compete");
        out.printf("  chain      %s (contracts/deployments/local.json)%n", anvil.rpcUrl());
        out.printf(
                "  node gRPC  127.0.0.1:%d   e.g. grpcurl -plaintext 127.0.0.1:%d list%n",
                node.grpcPort(), node.grpcPort());
        out.printf(
                "  node HTTP  http://127.0.0.1:%d/health/readiness  /prometheus  /v1/openapi.yaml%n",
                node.httpPort());
        out.printf("  dashboard  http://127.0.0.1:%d/dashboard%n", node.httpPort());
        out.printf(
                "  REST       curl -s 'http://127.0.0.1:%d/v1/positions?health_factor_below=1100000000000000000'%n",
                node.httpPort());
        out.printf(
                "  live       curl -N 'http://127.0.0.1:%d/v1/watch/opportunities'%n",
                node.httpPort());
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    node.close();
                                    anvil.close();
                                    deleteQuietly(work);
                                    out.println("Stopped the node and the chain.");
                                    forever.countDown();
                                },
                                "demo-shutdown"));
        forever.await();
    }

    /**
     * The liquidation-bot example's local account (anvil's dev account 4): verified, so it may
     * receive seized property tokens, and holding stablecoin to repay with. Local chain only, with
     * the local admin.
     */
    private void readyTheBotsAccount(Anvil anvil, Deployment deployment) throws Exception {
        Credentials bot = anvil.credentials(4);
        var admin = anvil.transactionManager(anvil.credentials(0));
        io.freehold.contracts.generated.IdentityRegistry.load(
                        deployment.identityRegistry(), anvil.web3j(), admin, LocalSystem.GAS)
                .verify(bot.getAddress())
                .send();
        MockStablecoin.load(deployment.stablecoin(), anvil.web3j(), admin, LocalSystem.GAS)
                .mint(bot.getAddress(), LocalSystem.usd(100_000))
                .send();
        out.printf(
                "  the liquidation-bot example's account %s is verified and holds %s%n",
                bot.getAddress(), Money.dollars(LocalSystem.usd(100_000)));
    }

    private void awaitSynced(FreeholdClient client, Anvil anvil) throws Exception {
        long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        long giveUp = System.nanoTime() + 120_000_000_000L;
        long lastShown = -1;
        while (System.nanoTime() < giveUp) {
            long applied;
            try {
                applied = client.status().appliedBlock();
            } catch (io.freehold.sdk.FreeholdException e) {
                applied = -1; // starting
            }
            if (applied >= head) {
                out.printf("      the node has applied block %d, the head%n", applied);
                return;
            }
            if (applied >= 0 && applied / 100 != lastShown / 100) {
                out.printf("      applied block %d of %d%n", applied, head);
                lastShown = applied;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "the node did not catch up with block "
                        + head
                        + " within two minutes; its log says why");
    }

    private static String propertyOf(Deployment deployment, Position p) {
        return deployment.markets().entrySet().stream()
                .filter(e -> e.getValue().id().equalsIgnoreCase(p.marketId().toString()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("?");
    }

    private void step(int n, String what) {
        out.printf("[%d/%d] %s%n", n, STEPS, what);
    }

    /**
     * Anvil with ten funded accounts, on 8545 when the demo keeps running and the port is free (so
     * {@code cast} and {@code node.sh} find it where they look by default), else on a free port;
     * prints where it runs.
     */
    static Anvil startChain(DemoOptions options, PrintStream out) {
        Anvil.Builder chain = Anvil.builder().accounts(10);
        if (options.keepRunning() && portIsFree(ANVIL_PORT)) {
            chain.port(ANVIL_PORT);
        }
        Anvil anvil = chain.start();
        out.printf(
                "      %s, chain id %d, pid %d%n",
                anvil.rpcUrl(), anvil.chainId(), anvil.process().pid());
        return anvil;
    }

    static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteQuietly(Path dir) {
        try {
            Directories.deleteTree(dir);
        } catch (UncheckedIOException e) {
            // a temp directory: the OS cleans it eventually
        }
    }
}
