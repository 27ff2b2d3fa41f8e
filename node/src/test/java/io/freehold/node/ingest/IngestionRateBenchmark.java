package io.freehold.node.ingest;

import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.store.StateStore;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * Historical sync into the embedded H2 store against the raw {@code eth_getLogs} rate of the same anvil
 * (fetch and parse only), in one run, printed, never asserted. Run with
 * {@code mvn -pl node test -Dfreehold.bench=true -Dtest=IngestionRateBenchmark}; {@code -Dfreehold.bench.events}
 * sets the size (default 20,000 events: identity batches of 400 logs, and pool supplies packed many to a block).
 */
@EnabledIfSystemProperty(named = "freehold.bench", matches = "true")
class IngestionRateBenchmark {

    private static final int EVENTS = Integer.getInteger("freehold.bench.events", 20_000);
    private static final StaticGasProvider BIG_GAS =
            new StaticGasProvider(BigInteger.valueOf(5_000_000_000L), BigInteger.valueOf(25_000_000));

    @TempDir
    Path dir;

    @Test
    void syncVersusRawGetLogs() throws Exception {
        try (Anvil anvil = Anvil.builder().accounts(10).start()) {
            ProtocolActivity activity = ProtocolActivity.deploy(anvil, 7);
            int made = buildHistory(anvil, activity);
            Path file = dir.resolve("deployment.json");
            activity.deployment.write(file);
            NodeConfiguration config = NodeConfiguration.of(anvil.chainId(), file.toString());
            ContractAddresses contracts = ContractAddresses.resolve(config);
            RpcConfiguration rpcConfig = RpcConfiguration.builder(List.of(anvil.rpcUrl())).requestsPerSecond(0).build();
            long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
            System.out.printf("history: %,d blocks, about %,d events; load average %.2f%n", head, made,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

            for (int round = 1; round <= 2; round++) {
                try (ChainRpc rpc = new ChainRpc(rpcConfig)) {
                    long t0 = System.nanoTime();
                    List<String> addresses = new ArrayList<>(List.of(contracts.lendingPool().hex(), contracts.oracle().hex(),
                            contracts.identityRegistry().hex()));
                    contracts.propertyTokens().forEach(t -> addresses.add(t.hex()));
                    int raw = 0;
                    for (long from = 0; from <= head; from += rpcConfig.maxLogRangeBlocks()) {
                        raw += rpc.logs(from, Math.min(head, from + rpcConfig.maxLogRangeBlocks() - 1), addresses).size();
                    }
                    double rawSeconds = (System.nanoTime() - t0) / 1e9;

                    try (TestDatabase db = TestDatabase.h2(dir.resolve("round" + round))) {
                        StateStore store = db.open();
                        jdk.jfr.Recording recording = profile();
                        long t1 = System.nanoTime();
                        Follower follower = new Follower(rpc, store, contracts, config, rpcConfig.maxLogRangeBlocks());
                        follower.syncToHead();
                        double syncSeconds = (System.nanoTime() - t1) / 1e9;
                        if (recording != null) {
                            recording.stop();
                            recording.dump(Path.of(System.getProperty("freehold.bench.jfr") + "-" + round + ".jfr"));
                        }
                        long events = follower.eventsApplied();
                        System.out.printf("round %d: raw eth_getLogs %,d logs in %.2f s = %,.0f logs/s;"
                                        + " sync into H2 %,d events in %.2f s = %,.0f events/s; sync/raw = %.2f%n",
                                round, raw, rawSeconds, raw / rawSeconds, events, syncSeconds, events / syncSeconds,
                                (events / syncSeconds) / (raw / rawSeconds));
                    }
                }
            }
        }
    }

    /** A JFR recording of the sync when {@code -Dfreehold.bench.jfr=<path prefix>} is set, to see where the time goes. */
    private static jdk.jfr.Recording profile() throws Exception {
        if (System.getProperty("freehold.bench.jfr") == null) {
            return null;
        }
        jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        recording.start();
        return recording;
    }

    /** Identity batches (400 logs per transaction) and supplies packed into blocks with automine off. */
    private static int buildHistory(Anvil anvil, ProtocolActivity activity) throws Exception {
        HttpService rpc = new HttpService(anvil.rpcUrl());
        var admin = anvil.transactionManager(anvil.credentials(0));
        IdentityRegistry registry = IdentityRegistry.load(activity.deployment.identityRegistry(), anvil.web3j(), admin,
                BIG_GAS);
        int made = 0;
        while (made < EVENTS / 2) {
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                fresh.add(Keys.toChecksumAddress(Numeric.toHexStringWithPrefixZeroPadded(
                        BigInteger.valueOf(1_000_000L + made + i), 40)));
            }
            registry.verifyBatch(fresh).send();
            made += 400;
            new Request<>("anvil_mine", List.of(Numeric.encodeQuantity(BigInteger.valueOf(50))), rpc,
                    VoidResponse.class).send();
        }
        Credentials lender = anvil.credentials(1);
        LendingPool pool = LocalSystem.pool(anvil, activity.deployment, lender);
        byte[] market = activity.markets().get(0);
        new Request<>("evm_setAutomine", List.of(false), rpc, VoidResponse.class).send();
        try {
            BigInteger nonce = anvil.web3j().ethGetTransactionCount(lender.getAddress(), DefaultBlockParameterName.PENDING)
                    .send().getTransactionCount();
            while (made < EVENTS) {
                for (int i = 0; i < 200; i++) {
                    // Signed here with explicit nonces and not awaited, so 200 supplies share a block; each
                    // emits Supply, and the first of a block also AccrueInterest.
                    String data = pool.supply(market, LocalSystem.usd(10).add(BigInteger.valueOf(i)), lender.getAddress())
                            .encodeFunctionCall();
                    RawTransaction tx = RawTransaction.createTransaction(nonce, BigInteger.valueOf(5_000_000_000L),
                            BigInteger.valueOf(300_000), activity.deployment.lendingPool(), BigInteger.ZERO, data);
                    nonce = nonce.add(BigInteger.ONE);
                    anvil.web3j().ethSendRawTransaction(Numeric.toHexString(
                            TransactionEncoder.signMessage(tx, anvil.chainId(), lender))).send();
                }
                new Request<>("evm_mine", List.of(), rpc, VoidResponse.class).send();
                made += 200;
            }
        } finally {
            new Request<>("evm_setAutomine", List.of(true), rpc, VoidResponse.class).send();
        }
        return made;
    }
}
