package io.freehold.contracts.local;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * The main job until the node exists: start a local chain, deploy Freehold with the forge script,
 * read every market and the open position back through the Java bindings, print them, and stop the
 * chain. {@code --keep-running} leaves the chain up (until Ctrl-C) for exploring with cast.
 */
public final class LocalChainMain {

    private static final int STEPS = 4;
    private static final BigInteger WAD = LocalSystem.WAD;
    private static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);
    private static final BigInteger SECONDS_PER_YEAR = BigInteger.valueOf(365L * 24 * 3600);

    private final PrintStream out;

    private LocalChainMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean keepRunning = false;
        for (String arg : args) {
            if (arg.equals("--keep-running")) {
                keepRunning = true;
            } else {
                System.err.println("unknown option " + arg + "; usage: demo.sh [--keep-running]");
                System.exit(2);
            }
        }
        new LocalChainMain(System.out).run(keepRunning);
    }

    /** Where the node looks for a local chain unless told otherwise (application.yml). */
    private static final int DEFAULT_PORT = 8545;

    private void run(boolean keepRunning) throws Exception {
        FoundryProject project = FoundryProject.locate();
        long started = System.nanoTime();
        step(1, "Starting a local chain (anvil)");
        // Kept running, the chain listens where the node looks by default (anvil's usual 8545) if
        // it can.
        Anvil.Builder builder = Anvil.builder().project(project);
        if (keepRunning && portIsFree(DEFAULT_PORT)) {
            builder.port(DEFAULT_PORT);
        }
        try (Anvil anvil = builder.start()) {
            out.printf(
                    "      %s, chain id %d, pid %d%n",
                    anvil.rpcUrl(), anvil.chainId(), anvil.process().pid());

            step(2, "Deploying the contracts with script/DeployLocal.s.sol");
            Path file = project.directory().resolve("deployments/local.json");
            Deployment deployment = ForgeDeploy.run(project, anvil.rpcUrl(), file);
            out.printf(
                    "      registry %s%n      stablecoin %s%n      oracle %s%n      pool %s%n",
                    deployment.identityRegistry(),
                    deployment.stablecoin(),
                    deployment.oracle(),
                    deployment.lendingPool());
            out.printf("      addresses written to %s%n", file);

            step(3, "Reading the markets back through the Java bindings");
            printMarkets(anvil, deployment);

            if (keepRunning) {
                step(4, "Chain left running at " + anvil.rpcUrl() + " — press Ctrl-C to stop it");
                out.printf(
                        "      follow it with the node, in another terminal: ./node.sh%s%n",
                        anvil.rpcUrl().endsWith(":" + DEFAULT_PORT)
                                ? ""
                                : " --freehold.node.rpc.endpoints=" + anvil.rpcUrl());
                CountDownLatch forever = new CountDownLatch(1);
                forever.await();
            }
            step(4, "Stopping the chain");
        }
        out.printf(
                "Done in %s. No process left running.%n",
                Duration.ofNanos(System.nanoTime() - started)
                        .withNanos(0)
                        .toString()
                        .substring(2)
                        .toLowerCase());
    }

    private static boolean portIsFree(int port) {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void printMarkets(Anvil anvil, Deployment deployment) throws Exception {
        var readOnly = new ReadonlyTransactionManager(anvil.web3j(), deployment.accounts().admin());
        LendingPool pool =
                LendingPool.load(
                        deployment.lendingPool(), anvil.web3j(), readOnly, LocalSystem.GAS);
        AppraisalOracle oracle =
                AppraisalOracle.load(deployment.oracle(), anvil.web3j(), readOnly, LocalSystem.GAS);

        out.printf(
                "      %-12s %-6s %10s %6s %14s %14s %7s %9s%n",
                "property",
                "region",
                "appraisal",
                "LLTV",
                "supplied",
                "borrowed",
                "util.",
                "borrow APR");
        for (var entry : deployment.markets().entrySet()) {
            byte[] id = Numeric.hexStringToByteArray(entry.getValue().id());
            LendingPool.MarketParams params = pool.marketParams(id).send();
            LendingPool.Market market = pool.market(id).send();
            BigInteger price =
                    oracle.latestPrice(entry.getValue().propertyToken()).send().component1();
            BigInteger ratePerYear = pool.borrowRate(id).send().multiply(SECONDS_PER_YEAR);
            out.printf(
                    "      %-12s %-6s %10s %6s %14s %14s %7s %9s%n",
                    entry.getKey(),
                    entry.getValue().regionCode(),
                    "$" + usdPerToken(price),
                    percent(params.lltv),
                    "$" + usd(market.totalSupplyAssets),
                    "$" + usd(market.totalBorrowAssets),
                    percent(
                            market.totalSupplyAssets.signum() == 0
                                    ? BigInteger.ZERO
                                    : market.totalBorrowAssets
                                            .multiply(WAD)
                                            .divide(market.totalSupplyAssets)),
                    percent(ratePerYear));
        }

        var first = deployment.markets().get(LocalSystem.PROPERTIES.get(0).id());
        var position =
                pool.position(
                                Numeric.hexStringToByteArray(first.id()),
                                deployment.accounts().borrower())
                        .send();
        out.printf(
                "%n      borrower %s in %s:%n",
                deployment.accounts().borrower(), LocalSystem.PROPERTIES.get(0).id());
        out.printf(
                "        collateral %s tokens worth $%s, debt $%s%n",
                new BigDecimal(position.collateral, 18).stripTrailingZeros().toPlainString(),
                usd(position.collateralValue),
                usd(position.debt));
        out.printf(
                "        LTV %s, health factor %s, liquidation price $%s per token, can borrow $%s more%n",
                percent(position.ltv),
                new BigDecimal(position.healthFactor, 18).setScale(4, RoundingMode.DOWN),
                usdPerToken(position.liquidationPrice),
                usd(position.maxBorrowable));
    }

    private void step(int n, String what) {
        out.printf("[%d/%d] %s%n", n, STEPS, what);
    }

    /** 6-decimal base units as dollars and cents (truncated: display only). */
    private static String usd(BigInteger baseUnits) {
        return String.format("%,.2f", new BigDecimal(baseUnits, 6).setScale(2, RoundingMode.DOWN));
    }

    /** An oracle price (base units per base unit × 1e36) as dollars per whole token. */
    private static String usdPerToken(BigInteger price) {
        // × 1e18 token base units per token / 1e36 scale = base units per token; then / 1e6 for
        // dollars.
        return new BigDecimal(price.multiply(WAD).divide(PRICE_SCALE), 6)
                .setScale(2, RoundingMode.DOWN)
                .toPlainString();
    }

    private static String percent(BigInteger wad) {
        return new BigDecimal(wad, 16).setScale(2, RoundingMode.DOWN) + "%";
    }
}
