package io.freehold.bench;

import io.freehold.node.api.ListeningPorts;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node as its own OS process ({@code java -cp … NodeApplication}, as {@code ./node.sh} starts
 * it), so that it can be killed with SIGKILL and started again. Output goes to a log file. Closing
 * stops it.
 */
final class NodeProcess implements AutoCloseable {

    final Process process;
    final long startedNanos;

    /** Where the node writes the ports it bound (it binds port 0: no port is chosen here). */
    final Path ports;

    final Path log;

    private NodeProcess(Process process, long startedNanos, Path ports, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.ports = ports;
        this.log = log;
    }

    /**
     * Starts the node with these settings (as -D system properties, which override
     * application.yml).
     */
    static NodeProcess start(Path log, Map<String, String> settings) throws IOException {
        return start(log, settings, List.of());
    }

    /** {@link #start(Path, Map)} with these JVM options too (a class archive's, for one). */
    static NodeProcess start(Path log, Map<String, String> settings, List<String> jvmArgs)
            throws IOException {
        Path ports = log.resolveSibling(log.getFileName() + ".ports");
        Files.deleteIfExists(ports);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx3g");
        command.addAll(jvmArgs);
        // e.g. -XX:StartFlightRecording=... to profile the node's start
        String extra = System.getProperty("freehold.bench.node-jvm-args", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-cp");
        command.add(classpath());
        command.add("-Dmicronaut.server.port=-1");
        command.add("-Dgrpc.server.port=0");
        command.add("-Dfreehold.node.ports-file=" + ports);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("io.freehold.node.NodeApplication");
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t0 = System.nanoTime();
        return new NodeProcess(pb.start(), t0, ports, log);
    }

    /**
     * bench's runtime classpath (it holds the node and everything the node needs), written by the
     * build.
     */
    static String classpath() throws IOException {
        Path file =
                Path.of(
                        System.getProperty(
                                "freehold.bench.classpath", "bench/target/runtime-classpath.txt"));
        if (!Files.exists(file)) {
            throw new IllegalStateException(
                    file + " is missing: build the bench module first (./bench.sh does)");
        }
        return Files.readString(file).trim();
    }

    /**
     * Seconds from process start until GetPosition answers for this position (the state is loaded,
     * the risk engine has it, the gRPC server serves it).
     */
    double awaitServing(String marketId, String account, long timeoutMillis) throws Exception {
        long giveUp = System.currentTimeMillis() + timeoutMillis;
        // The port first, from the file the node writes once its gRPC server listens: a gRPC
        // channel that fails to connect backs off for seconds.
        Integer grpcPort;
        while ((grpcPort = ListeningPorts.read(ports).get("grpc")) == null) {
            check(giveUp);
            Thread.sleep(10);
        }
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            GetPositionRequest request =
                    GetPositionRequest.newBuilder()
                            .setMarketId(marketId)
                            .setAccount(account)
                            .build();
            while (true) {
                check(giveUp);
                try {
                    PositionServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .getPosition(request);
                    return (System.nanoTime() - startedNanos) / 1e9;
                } catch (StatusRuntimeException e) {
                    Thread.sleep(10);
                }
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** Waits until the node's log has a line containing {@code text}; false if it never came. */
    boolean awaitLog(String text, long timeoutMillis) throws Exception {
        long giveUp = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < giveUp && process.isAlive()) {
            if (Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private void check(long giveUp) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "the node exited with "
                            + process.exitValue()
                            + "; log "
                            + log
                            + ":\n"
                            + tail());
        }
        if (System.currentTimeMillis() > giveUp) {
            throw new IllegalStateException(
                    "the node was not serving in time; log " + log + ":\n" + tail());
        }
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** SIGKILL: no shutdown hook, no clean close of the store. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            // A JVM that writes its class archive at exit takes some seconds more to end.
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
