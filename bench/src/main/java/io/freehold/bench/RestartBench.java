package io.freehold.bench;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.ingest.Follower;
import io.freehold.node.store.BlockChanges;
import io.freehold.node.store.StateChange;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * Restart (issue 7, item 6): an H2 store holding the local chain as the follower wrote it plus
 * {@code n} more positions, committed as the state of real (empty) blocks mined on top, so the
 * store's checkpoint is the chain's head and a node has nothing to resync. The node runs as its own
 * process: started on that store, killed with SIGKILL once serving, started again: the time from
 * process start to GetPosition answering. Baseline: the same node started on an empty store for the
 * same chain.
 */
final class RestartBench implements Benchmark {

    @Override
    public String name() {
        return "restart";
    }

    @Override
    public Result run(boolean quick, Path work) throws Exception {
        int n = Integer.getInteger("freehold.bench.restart-positions", quick ? 20_000 : 1_000_000);
        int blocks = quick ? 2 : 10;
        Result r =
                new Result(
                        name(),
                        String.format("Restart after kill -9 with %,d positions in the store", n));
        try (Anvil anvil = Anvil.builder().accounts(10).start()) {
            Deployment deployment = LocalSystem.deploy(anvil);
            Path file = work.resolve("deployment.json");
            deployment.write(file);
            Chain chain = new Chain(anvil);
            Path db = work.resolve("store/node");
            long t0 = System.nanoTime();
            long checkpoint = fill(anvil, chain, deployment, file, db, n, blocks);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;

            Map<String, String> settings = new HashMap<>();
            settings.put("freehold.node.chain-id", String.valueOf(anvil.chainId()));
            settings.put("freehold.node.deployment", file.toString());
            settings.put("freehold.node.rpc.endpoints", anvil.rpcUrl());
            settings.put("freehold.node.poll-interval", "100ms");
            String market = deployment.market(LocalSystem.PROPERTIES.get(0).id()).id();
            String borrower = deployment.accounts().borrower();
            long timeout = quick ? 60_000 : 300_000;

            double empty;
            settings.put("datasources.default.url", BenchDatabase.url(work.resolve("empty/node")));
            try (NodeProcess node = NodeProcess.start(work.resolve("empty.log"), settings)) {
                empty = node.awaitServing(market, borrower, timeout);
            }
            settings.put("datasources.default.url", BenchDatabase.url(db));
            double first;
            boolean snapshotWritten;
            try (NodeProcess node = NodeProcess.start(work.resolve("first.log"), settings)) {
                first = node.awaitServing(market, borrower, timeout);
                // A node that has run for a while has written its state snapshot (at the head after
                // a start that read the whole store, then every so many blocks): the kill comes
                // after that, as it would in production, not in the second after the first answer.
                snapshotWritten = node.awaitLog("wrote the state snapshot", timeout);
                node.kill();
            }
            double again;
            boolean resumed;
            boolean fromSnapshot;
            Path log = work.resolve("restart.log");
            try (NodeProcess node = NodeProcess.start(log, settings)) {
                again = node.awaitServing(market, borrower, timeout);
                String text = Files.readString(log);
                resumed =
                        text.contains("resuming after block " + checkpoint)
                                && !text.contains("empty store");
                fromSnapshot = text.contains("loaded the state from the snapshot");
            }
            // The disk's bound: the same rows read raw (plain JDBC, every column of every state
            // row, no
            // objects made) from the same store file, in a fresh JVM as the node reads them at its
            // start.
            double[] raw = rawRead(db, work.resolve("raw-read.log"));
            r.figure(
                    String.format("start to serving after kill -9, %,d positions", n),
                    again,
                    "s",
                    "raw read of the same rows from the same store, fresh JVM",
                    raw[0]);
            r.figure(
                    String.format("start to serving after kill -9, %,d positions", n),
                    again,
                    "s",
                    "start to serving, empty store",
                    empty);
            r.figure(
                    String.format("first start on the same store (before the kill)"),
                    first,
                    "s",
                    "start to serving, empty store",
                    empty);
            r.fact("positions", n)
                    .fact("checkpoint", checkpoint)
                    .fact("resumedFromCheckpoint", resumed ? 1 : 0)
                    .fact("snapshotWritten", snapshotWritten ? 1 : 0)
                    .fact("loadedFromSnapshot", fromSnapshot ? 1 : 0)
                    .fact("restartSeconds", again)
                    .fact("emptySeconds", empty)
                    .fact("firstSeconds", first)
                    .fact("rawReadSeconds", raw[0])
                    .fact("rawReadRows", raw[1]);
            r.note(
                    "store filled in %.0f s (follower sync of the deployment, then %,d positions committed as %d real"
                            + " empty blocks); serving = GetPosition answers over gRPC; the restart %s from block %d",
                    fillSeconds, n, blocks, resumed ? "resumed" : "did NOT resume", checkpoint);
            r.note(
                    "state snapshot: %s before the kill; the restart %s",
                    snapshotWritten ? "written" : "NOT written",
                    fromSnapshot
                            ? "loaded it (plus the store's changes since)"
                            : "read the whole store");
            r.note(
                    "raw read: %,d rows in %.2f s (process start to last row, JVM start included)",
                    (long) raw[1], raw[0]);
            r.note(
                    "target: serving again in under 5 s and under 1.5x the raw read, no full resync (docs/BENCHMARKS.md)");
        }
        return r;
    }

    /**
     * Starts {@link RawRead} as its own process on the store and returns its seconds from process
     * start to the last row, and the rows it read.
     */
    private static double[] rawRead(Path db, Path log) throws Exception {
        String classpath = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long start = System.nanoTime();
        Process p =
                new ProcessBuilder(
                                java,
                                "-Xmx3g",
                                "-cp",
                                classpath,
                                RawRead.class.getName(),
                                BenchDatabase.url(db))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the raw read failed: " + Files.readString(log));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String[] lines = Files.readString(log).strip().split("\n");
        return new double[] {seconds, Double.parseDouble(lines[lines.length - 1].strip())};
    }

    /**
     * The follower's store of the chain, then {@code n} positions over {@code blocks} new blocks:
     * the checkpoint.
     */
    private static long fill(
            Anvil anvil,
            Chain chain,
            Deployment deployment,
            Path deploymentFile,
            Path db,
            int n,
            int blocks)
            throws Exception {
        try (BenchDatabase database = new BenchDatabase(db)) {
            NodeConfiguration config =
                    NodeConfiguration.of(anvil.chainId(), deploymentFile.toString());
            RpcConfiguration rpcConfig =
                    RpcConfiguration.builder(List.of(anvil.rpcUrl())).requestsPerSecond(0).build();
            try (ChainRpc rpc = new ChainRpc(rpcConfig)) {
                new Follower(
                                rpc,
                                database.store,
                                ContractAddresses.resolve(config),
                                config,
                                rpcConfig.maxLogRangeBlocks())
                        .syncToHead();
            }
            List<MarketId> markets = new ArrayList<>();
            deployment.markets().values().forEach(m -> markets.add(MarketId.of(m.id())));
            int perBlock = (n + blocks - 1) / blocks;
            int made = 0;
            long last = -1;
            while (made < n) {
                chain.mine();
                EthBlock.Block b =
                        anvil.web3j()
                                .ethGetBlockByNumber(DefaultBlockParameter.valueOf("latest"), false)
                                .send()
                                .getBlock();
                BlockHeader header =
                        new BlockHeader(
                                b.getNumber().longValueExact(),
                                BlockHash.of(b.getHash()),
                                BlockHash.of(b.getParentHash()),
                                b.getTimestamp().longValueExact());
                List<StateChange> changes = new ArrayList<>(perBlock);
                int count = Math.min(perBlock, n - made);
                int m = (int) (header.number() % markets.size());
                MarketId market = markets.get(m);
                int first = made;
                SyntheticBook.borrowers(
                        m,
                        count,
                        header.number(),
                        x ->
                                changes.add(
                                        StateChange.put(
                                                SyntheticBook.record(
                                                        market,
                                                        new SyntheticBook.Borrower(
                                                                SyntheticBook.account(
                                                                        7, first + changes.size()),
                                                                x.borrowShares(),
                                                                x.collateral())))));
                database.store.commit(List.of(new BlockChanges(header, false, changes)));
                made += count;
                last = header.number();
            }
            return last;
        }
    }
}
