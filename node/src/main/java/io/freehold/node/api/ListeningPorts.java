package io.freehold.node.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the ports the node listens on to {@code freehold.node.ports-file} as each server starts,
 * as {@code grpc=50051} and {@code http=8080} lines.
 *
 * <p>Why: a supervisor (a test, a benchmark, a process manager) that starts the node with {@code
 * grpc.server.port=0} and {@code micronaut.server.port=-1} lets the kernel choose free ports at
 * bind time. Choosing a "free" port first and passing it in races every other program on the
 * machine that opens a connection in between, and loses now and then. The file is replaced
 * atomically, so a reader sees either the previous content or the new one, never half a line; the
 * gRPC line appears only once the gRPC server accepts connections.
 */
@Singleton
@Requires(property = "freehold.node.ports-file")
public final class ListeningPorts {
    private static final Logger LOG = LoggerFactory.getLogger(ListeningPorts.class);

    private final Path file;
    private final Map<String, Integer> ports = new TreeMap<>();

    public ListeningPorts(@Value("${freehold.node.ports-file}") String file) {
        this.file = Path.of(file);
    }

    @EventListener
    public synchronized void onStartup(ServerStartupEvent event) {
        EmbeddedServer server = event.getSource();
        // The gRPC server is an EmbeddedServer too; it is the one whose class says so.
        String name = server.getClass().getName().contains(".grpc.") ? "grpc" : "http";
        ports.put(name, server.getPort());
        StringBuilder text = new StringBuilder();
        ports.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(temp, text);
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ports file " + file, e);
        }
        LOG.info("{} server listening on port {} (written to {})", name, server.getPort(), file);
    }

    /**
     * Reads a ports file as this class writes it.
     *
     * @return each server's port by name ({@code grpc}, {@code http}); empty while none has started
     */
    public static Map<String, Integer> read(Path file) throws IOException {
        Map<String, Integer> ports = new TreeMap<>();
        if (!Files.exists(file)) {
            return ports;
        }
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                ports.put(line.substring(0, eq), Integer.parseInt(line.substring(eq + 1).trim()));
            }
        }
        return ports;
    }
}
