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
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * Restart (issue 7, item 6): an H2 store holding the local chain as the follower wrote it plus
 * {@code n} more positions, committed as the state of real (empty) blocks mined on top, so the
 * store's checkpoint is the chain's head and a node has nothing to resync. The node runs as its own
 * process: started on that store, killed with SIGKILL once serving, started again: the time from
 * process start to GetPosition answering. Baselines: a raw read of the same rows from the same
 * store in a fresh JVM, and the same node started on an empty store for the same chain. Every JVM
 * here runs as {@code node.sh} runs the node, with a class-data-sharing archive its first run wrote
 * ({@link ClassArchive}); the restart and the empty start are also timed without one.
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

            // The node runs as node.sh runs it: with the class archive an earlier run wrote at its
            // clean stop. Here that earlier run is the first start on an empty store, timed too:
            // the start without an archive.
            ClassArchive classes = new ClassArchive(work.resolve("node-classes.jsa"));
            double emptyWithoutArchive =
                    emptyStart(work, "empty-first", settings, classes, market, borrower, timeout);
            boolean archived = classes.exists();
            double empty = emptyStart(work, "empty", settings, classes, market, borrower, timeout);
            settings.put("datasources.default.url", BenchDatabase.url(db));
            double first;
            boolean snapshotWritten;
            try (NodeProcess node =
                    NodeProcess.start(work.resolve("first.log"), settings, classes.jvmArgs())) {
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
            try (NodeProcess node = NodeProcess.start(log, settings, classes.jvmArgs())) {
                again = node.awaitServing(market, borrower, timeout);
                String text = Files.readString(log);
                resumed =
                        text.contains("resuming after block " + checkpoint)
                                && !text.contains("empty store");
                fromSnapshot = text.contains("loaded the state from the snapshot");
                node.kill();
            }
            // The same restart without the archive, killed the same way before it: what the
            // archive is worth at this size.
            double againWithoutArchive;
            try (NodeProcess node =
                    NodeProcess.start(work.resolve("restart-no-archive.log"), settings)) {
                againWithoutArchive = node.awaitServing(market, borrower, timeout);
            }
            // The disk's bound: the same rows read raw (plain JDBC, every column of every state
            // row, no objects made) from the same store file, in a fresh JVM as the node reads
            // them at its start; that JVM gets a class archive of its own too (its first run
            // writes it), so the two starts are compared on equal terms.
            ClassArchive rawClasses = new ClassArchive(work.resolve("raw-read-classes.jsa"));
            double[] rawFirst = rawRead(db, work.resolve("raw-read-first.log"), rawClasses, work);
            double[] raw = rawRead(db, work.resolve("raw-read.log"), rawClasses, work);
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
                    String.format("start to serving after kill -9, %,d positions", n),
                    again,
                    "s",
                    "the same without the class archive",
                    againWithoutArchive);
            r.figure(
                    "start to serving, empty store",
                    empty,
                    "s",
                    "the same without the class archive (the run that wrote it)",
                    emptyWithoutArchive);
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
                    .fact("restartWithoutArchiveSeconds", againWithoutArchive)
                    .fact("emptyWithoutArchiveSeconds", emptyWithoutArchive)
                    .fact("classArchiveWritten", archived ? 1 : 0)
                    .fact("classArchiveBytes", classes.bytes())
                    .fact("rawReadClassArchiveWritten", rawClasses.exists() ? 1 : 0)
                    .fact("rawReadWithoutArchiveSeconds", rawFirst[0])
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
                    "raw read: %,d rows in %.2f s (process start to last row, JVM start included;"
                            + " its first run, to its exit after writing its class archive: %.2f s)",
                    (long) raw[1], raw[0], rawFirst[0]);
            r.note(
                    "class archive (as node.sh makes it): %s, %,d bytes; the nodes above used it"
                            + " except where a figure says without",
                    archived ? "written by the first empty start" : "NOT written", classes.bytes());
            r.note(
                    "target: serving again in under 5 s and under 1.5x the raw read, no full resync (docs/BENCHMARKS.md)");
        }
        return r;
    }

    /** Seconds from process start to serving, for a node on a store of its own with no state. */
    private static double emptyStart(
            Path work,
            String name,
            Map<String, String> settings,
            ClassArchive classes,
            String market,
            String borrower,
            long timeout)
            throws Exception {
        Map<String, String> own = new HashMap<>(settings);
        own.put("datasources.default.url", BenchDatabase.url(work.resolve(name + "/node")));
        try (NodeProcess node =
                NodeProcess.start(work.resolve(name + ".log"), own, classes.jvmArgs())) {
            return node.awaitServing(market, borrower, timeout);
        }
    }

    /**
     * {@link RawRead} in a jar of its own plus the jars it runs with: a class archive covers only
     * classes from jars, and the JVM refuses to write one while a non-empty directory (the
     * benchmark's own {@code target/classes}) is on the classpath.
     */
    private static String rawReadClasspath(Path work) throws IOException {
        Path jar = work.resolve("raw-read.jar");
        if (!Files.exists(jar)) {
            String entry = RawRead.class.getName().replace('.', '/') + ".class";
            try (InputStream in = RawRead.class.getResourceAsStream("RawRead.class");
                    JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        StringJoiner classpath = new StringJoiner(File.pathSeparator).add(jar.toString());
        for (String part : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (part.endsWith(".jar")) {
                classpath.add(part);
            }
        }
        return classpath.toString();
    }

    /**
     * Starts {@link RawRead} as its own process on the store and returns its seconds from process
     * start to the last row, and the rows it read.
     */
    private static double[] rawRead(Path db, Path log, ClassArchive classes, Path work)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx3g"));
        command.addAll(classes.jvmArgs());
        command.addAll(
                List.of(
                        "-cp",
                        rawReadClasspath(work),
                        RawRead.class.getName(),
                        BenchDatabase.url(db)));
        long start = System.nanoTime();
        Process p =
                new ProcessBuilder(command)
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
