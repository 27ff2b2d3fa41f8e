package io.freehold.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Failover (issue 13): two node processes as replicas (each its own H2 file; the liquidator's
 * record and the lease on one embedded PostgreSQL), one liquidator key, anvil mining a block every
 * second. The same step as the inclusion benchmark, three ways, trials interleaved:
 * <em>baseline</em>, the price drop with the leader alive (block to inclusion); <em>failover</em>,
 * the leader killed with SIGKILL and the price dropped at once (wall time from the kill to the new
 * leader's liquidation mined, and blocks from the drop); <em>reorg</em>, the first liquidation
 * orphaned by {@code anvil_reorg} of its block (how many blocks the liquidation slips). The killed
 * replica is started again as the next standby.
 */
final class FailoverBench implements Benchmark {

    private static final int GIVE_UP_BLOCKS = 40;
    static final String LEASE = "3s";
    static final String POLL = "200ms";

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public Result run(boolean quick, Path work) throws Exception {
        int trials = quick ? 2 : 20;
        Result r =
                new Result(
                        name(),
                        "Failover: leader killed → first liquidation mined by the new leader");
        List<NodeProcess> replicas = new ArrayList<>();
        try (LocalNode node = LocalNode.deploy(work);
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE failover");
            }
            String pgUrl = pg.getJdbcUrl("postgres", "failover");
            Credentials admin = node.anvil.credentials(0);
            Credentials borrower = node.anvil.credentials(2);
            Credentials liquidator = node.anvil.credentials(3);
            LiquidationTrials markets = new LiquidationTrials(node, admin, borrower, liquidator);
            Path deployment = work.resolve("deployment.json");
            node.deployment.write(deployment);
            String file =
                    WalletUtils.generateWalletFile(
                            "bench password", liquidator.getEcKeyPair(), work.toFile(), false);
            Path password =
                    Files.writeString(work.resolve("keystore-password"), "bench password\n");
            Map<String, String> common = new HashMap<>();
            common.put("freehold.node.chain-id", Long.toString(node.anvil.chainId()));
            common.put("freehold.node.deployment", deployment.toString());
            common.put("freehold.node.rpc.endpoints", node.anvil.rpcUrl());
            common.put("freehold.node.poll-interval", "100ms");
            common.put("freehold.node.confirmations", "4");
            common.put("freehold.node.liquidator.mode", "execute");
            common.put("freehold.node.liquidator.poll-interval", POLL);
            common.put("freehold.node.liquidator.cooldown", "5s");
            common.put("freehold.node.liquidator.priority-fee-per-gas", "1000000000");
            common.put("freehold.node.liquidator.keystore", work.resolve(file).toString());
            common.put("freehold.node.liquidator.keystore-password-file", password.toString());
            common.put("freehold.node.liquidator.lease.enabled", "true");
            common.put("freehold.node.liquidator.lease.duration", LEASE);
            common.put("datasources.liquidator.url", pgUrl);
            common.put("datasources.liquidator.username", "postgres");
            common.put("datasources.liquidator.password", "postgres");
            common.put("datasources.liquidator.driver-class-name", "org.postgresql.Driver");
            common.put("flyway.datasources.liquidator.enabled", "true");
            String[] names = {"a", "b"};
            for (String n : names) {
                replicas.add(startReplica(work, common, n));
            }
            String probeMarket = markets.marketHex(0);
            for (NodeProcess p : replicas) {
                p.awaitServing(probeMarket, borrower.getAddress(), 180_000);
            }
            awaitHolder(pg, 60_000);
            node.chain.call("evm_setAutomine", false);
            node.chain.call("evm_setIntervalMining", 1);

            Latencies failoverMs = new Latencies();
            List<Long> baselineBlocks = new ArrayList<>();
            List<Long> failoverBlocks = new ArrayList<>();
            List<Long> slips = new ArrayList<>();
            int notWithin = 0;
            int step = 0;
            List<String> plan = new ArrayList<>();
            for (int i = 0; i < trials; i++) {
                plan.add("baseline");
                plan.add("failover");
                if (i % 4 == 1) {
                    plan.add("reorg"); // a quarter as many (at least one, in quick mode too)
                }
            }
            for (String kind : plan) {
                int m = step % markets.markets();
                // The previous step's market back to its appraisal; this market's loan back to 64 %
                // LTV.
                if (step > 0) {
                    node.chain.awaitReceipt(
                            markets.restoreAppraisal((step - 1) % markets.markets()));
                }
                boolean reopened = markets.reopenLoan(m);
                step++;
                if (!reopened) {
                    continue; // the borrow failed: no trial
                }
                long killedAt = 0;
                int killed = -1;
                if (kind.equals("failover")) {
                    String holder = awaitHolder(pg, 60_000);
                    int index = holder.startsWith("a/") ? 0 : 1;
                    replicas.get(index).kill();
                    killedAt = System.nanoTime();
                    killed = index;
                }
                String drop = markets.dropAppraisal(m);
                long b = node.chain.awaitReceipt(drop).getBlockNumber().longValueExact();
                Log first = markets.awaitLiquidation(m, b, GIVE_UP_BLOCKS).orElse(null);
                long seenAt = System.nanoTime();
                if (killed >= 0) {
                    // Measured: the killed replica comes back as the next standby.
                    replicas.set(killed, startReplica(work, common, names[killed]));
                    replicas.get(killed).awaitServing(probeMarket, borrower.getAddress(), 180_000);
                }
                if (first == null) {
                    notWithin++;
                    r.note(
                            "a %s trial's liquidation was not mined within %d blocks",
                            kind, GIVE_UP_BLOCKS);
                    continue;
                }
                long k = first.getBlockNumber().longValueExact() - b;
                switch (kind) {
                    case "baseline" -> baselineBlocks.add(k);
                    case "failover" -> {
                        failoverMs.add(seenAt - killedAt);
                        failoverBlocks.add(k);
                    }
                    default -> {
                        // Orphan the block holding the liquidation (a new empty one in its place)
                        // and see where
                        // the liquidation lands on the new chain.
                        long mined = first.getBlockNumber().longValueExact();
                        long depth = node.chain.head() - mined + 1;
                        node.chain.call("anvil_reorg", depth, List.of());
                        Log again = markets.awaitLiquidation(m, mined, GIVE_UP_BLOCKS).orElse(null);
                        if (again == null) {
                            notWithin++;
                            r.note(
                                    "a reorg trial's liquidation was not mined again within %d blocks",
                                    GIVE_UP_BLOCKS);
                        } else {
                            slips.add(again.getBlockNumber().longValueExact() - mined);
                        }
                    }
                }
            }
            for (NodeProcess p : replicas) {
                p.awaitServing(
                        probeMarket, borrower.getAddress(), 180_000); // the last restarted one too
            }
            r.figure(
                    "failover: kill → new leader's liquidation mined, p50", failoverMs.p50(), "ms");
            r.figure(
                    "failover: kill → new leader's liquidation mined, max", failoverMs.max(), "ms");
            r.figure(
                    "failover: blocks from the drop to the liquidation, p50",
                    median(failoverBlocks),
                    "blocks",
                    "single node (leader alive), p50",
                    median(baselineBlocks));
            r.figure(
                    "failover: blocks from the drop to the liquidation, max",
                    max(failoverBlocks),
                    "blocks",
                    "single node (leader alive), max",
                    max(baselineBlocks));
            r.figure("reorg orphaning the first liquidation: slip, p50", median(slips), "blocks");
            r.figure("reorg orphaning the first liquidation: slip, max", max(slips), "blocks");
            r.fact("failoverTrials", failoverBlocks.size())
                    .fact("failoverSamples", failoverMs.size())
                    .fact("baselineTrials", baselineBlocks.size())
                    .fact("reorgTrials", slips.size())
                    .fact("notWithin", notWithin)
                    .fact("epoch", epoch(pg));
            r.note(
                    "two replica processes, lease %s, liquidator poll %s, anvil mining a block every 1 s; each failover"
                            + " trial kills the lease holder with SIGKILL and drops the price at once, then starts the killed"
                            + " replica again as the next standby",
                    LEASE, POLL);
        } finally {
            for (NodeProcess p : replicas) {
                p.close();
            }
        }
        return r;
    }

    private static NodeProcess startReplica(Path work, Map<String, String> common, String name)
            throws Exception {
        Map<String, String> settings = new HashMap<>(common);
        settings.put("freehold.node.liquidator.lease.replica-id", name);
        settings.put("datasources.default.url", BenchDatabase.url(work.resolve("replica-" + name)));
        return NodeProcess.start(work.resolve("replica-" + name + ".log"), settings);
    }

    /** The lease's holder once there is a live one. */
    private static String awaitHolder(EmbeddedPostgres pg, long timeoutMillis) throws Exception {
        long giveUp = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < giveUp) {
            try (Connection c = pg.getDatabase("postgres", "failover").getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT holder, expires_at_ms FROM liquidator_lease")) {
                if (rs.next() && rs.getLong(2) > System.currentTimeMillis()) {
                    return rs.getString(1);
                }
            } catch (java.sql.SQLException e) {
                // the table is not there yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(
                "no replica took the liquidator lease in " + timeoutMillis + " ms");
    }

    private static long epoch(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.getDatabase("postgres", "failover").getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT epoch FROM liquidator_lease")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static double median(List<Long> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = xs.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static double max(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).max().orElse(-1);
    }
}
