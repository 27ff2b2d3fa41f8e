package io.freehold.node;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Nodes started as child JVMs, for the tests that kill them ({@code SIGKILL}, {@code SIGSTOP}) as
 * an operator's host would die: each runs {@link NodeApplication} on this test JVM's classpath,
 * configured by the system properties the test gives and nothing from the environment, logging the
 * node's INFO lines (what the tests watch) to its own file.
 *
 * <p>Closing kills every child still alive; so does a shutdown hook, should the test JVM itself be
 * stopped, so that no node outlives the build.
 */
public final class ChildNodes implements AutoCloseable {

    /** Environment variables that would configure a child node behind the test's back. */
    private static final List<String> CONFIGURING_ENVIRONMENT =
            List.of("FREEHOLD_", "DATASOURCES_", "MICRONAUT_", "FLYWAY_", "JAVA_TOOL_OPTIONS");

    private final Path logback;
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final Thread reaper = new Thread(this::killAll, "kill-node-children");

    /** Writes the children's logging configuration into {@code dir}. */
    public ChildNodes(Path dir) throws IOException {
        logback = dir.resolve("logback-node.xml");
        Files.writeString(
                logback,
                """
                <configuration>
                    <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                    </appender>
                    <logger name="io.freehold" level="INFO"/>
                    <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts a node with {@code properties} as {@code -D} options (the ones every child needs are
     * added: no HTTP server, gRPC on a port of the system's choosing), its output to {@code log}.
     *
     * @param heap the {@code -Xmx} value, such as {@code 256m}
     */
    public Process start(String heap, Map<String, String> properties, Path log) throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx" + heap,
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                testClasspath(),
                                "-Dlogback.configurationFile=" + logback,
                                "-Dmicronaut.server.port=-1",
                                // A child JVM is not in the test environment: without this it
                                // would serve gRPC on the fixed default port.
                                "-Dgrpc.server.port=0"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(NodeApplication.class.getName());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment()
                .keySet()
                .removeIf(k -> CONFIGURING_ENVIRONMENT.stream().anyMatch(k::startsWith));
        Process process = builder.start();
        children.add(process);
        return process;
    }

    /** Sends {@code signal} (such as {@code STOP}, {@code CONT}) to a child. */
    public static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill =
                new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                        .inheritIO()
                        .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private void killAll() {
        for (Process p : children) {
            if (p.isAlive()) {
                try {
                    signal(p, "CONT"); // a stopped JVM dies of SIGKILL too, but be tidy
                } catch (IOException | RuntimeException e) {
                    // it is killed below anyway
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * The classpath of this test JVM. Under surefire's default manifest-only jar, {@code
     * java.class.path} is the real test classpath already; should it name only the booter jar, its
     * manifest is read.
     */
    private static String testClasspath() throws IOException {
        String classpath = System.getProperty("java.class.path");
        String[] entries = classpath.split(File.pathSeparator);
        if (entries.length == 1 && entries[0].contains("surefirebooter")) {
            try (JarFile jar = new JarFile(entries[0])) {
                Manifest manifest = jar.getManifest();
                List<String> paths = new ArrayList<>();
                for (String url : manifest.getMainAttributes().getValue("Class-Path").split(" ")) {
                    paths.add(
                            Path.of(URI.create(url.startsWith("file:") ? url : "file:" + url))
                                    .toString());
                }
                return String.join(File.pathSeparator, paths);
            }
        }
        return classpath;
    }
}
