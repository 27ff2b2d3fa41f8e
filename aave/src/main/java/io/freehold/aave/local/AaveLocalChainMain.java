package io.freehold.aave.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.freehold.contracts.local.Anvil;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A local chain with the local Aave market on it, for exploring (cast, curl, a follower): starts
 * anvil, deploys the market (or loads it from {@code --cache DIR}), prints where everything is and
 * how long it took, writes it as JSON to {@code --out FILE} if asked, and stops the chain, or with
 * {@code --keep-running} leaves it up until Ctrl-C.
 *
 * <pre>
 * java -cp "aave/target/classes:$(cat aave/target/runtime-classpath.txt)" \
 *     io.freehold.aave.local.AaveLocalChainMain --port 8546 --keep-running --out aave-local.json
 * </pre>
 */
public final class AaveLocalChainMain {

    private AaveLocalChainMain() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        boolean keepRunning = false;
        Path cache = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keep-running" -> keepRunning = true;
                case "--port" -> port = Integer.parseInt(value(args, ++i));
                case "--cache" -> cache = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                default -> usage("unknown option " + args[i]);
            }
        }
        run(System.out, port, keepRunning, cache, out);
    }

    private static void run(PrintStream print, int port, boolean keepRunning, Path cache, Path out)
            throws Exception {
        try (Anvil anvil = Anvil.builder().port(port).start()) {
            print.printf(
                    "anvil %s, chain id %d, pid %d%n",
                    anvil.rpcUrl(), anvil.chainId(), anvil.process().pid());
            long started = System.nanoTime();
            AaveMarket market =
                    cache == null
                            ? AaveLocalMarket.deploy(anvil)
                            : AaveMarketCache.deployOrLoad(anvil, cache);
            long millis = (System.nanoTime() - started) / 1_000_000;
            print.printf(
                    "Aave v3 market (@aave/core-v3 1.19.3) %s in %d ms, from block %d%n",
                    cache == null ? "deployed" : "ready", millis, market.startBlock());
            print.printf(
                    "  addresses provider %s%n  pool               %s%n  configurator       %s%n"
                            + "  oracle             %s%n  data provider      %s%n",
                    market.addressesProvider(),
                    market.pool(),
                    market.poolConfigurator(),
                    market.oracle(),
                    market.dataProvider());
            for (AaveMarket.Reserve r :
                    new AaveMarket.Reserve[] {market.stablecoin(), market.propertyToken()}) {
                print.printf(
                        "  %-10s %s  aToken %s  variable debt %s%n",
                        r.symbol(), r.asset(), r.aToken(), r.variableDebtToken());
            }
            if (out != null) {
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValue(out.toFile(), market);
                print.printf("  written to %s%n", out.toAbsolutePath());
            }
            if (keepRunning) {
                print.printf("Chain left running at %s; Ctrl-C stops it%n", anvil.rpcUrl());
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(stopped::countDown, "aave-local-stop"));
                stopped.await();
            }
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(
                problem
                        + "; usage: AaveLocalChainMain [--port N] [--cache DIR] [--out FILE] [--keep-running]");
        System.exit(2);
    }
}
