package io.freehold.contracts.local;

import io.freehold.contracts.bindings.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code script/DeployLocal.s.sol} with forge against a chain and reads the deployment file it
 * writes: the path operators use, here callable from Java.
 *
 * <pre>{@code
 * Deployment d = ForgeDeploy.run(FoundryProject.locate(), anvil.rpcUrl(), Path.of("local.json"));
 * }</pre>
 */
public final class ForgeDeploy {

    private static final long TIMEOUT_SECONDS = 300;

    private ForgeDeploy() {}

    /**
     * Deploys the local system to {@code rpcUrl} and returns it, as written to {@code output}.
     *
     * @throws IllegalStateException with forge's output when the script fails
     */
    public static Deployment run(FoundryProject project, String rpcUrl, Path output) {
        return run(project, rpcUrl, output, LocalSystem.Options.defaults());
    }

    /**
     * Deploys the local system with {@code options} ({@link
     * LocalSystem.Options#withAuctionMarket()} runs the script with {@code AUCTION_MARKET=1}).
     */
    public static Deployment run(
            FoundryProject project, String rpcUrl, Path output, LocalSystem.Options options) {
        Path file = output.toAbsolutePath();
        Path log = null;
        try {
            log = Files.createTempFile("freehold-forge-deploy", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(
                                    List.of(
                                            project.binary("forge").toString(),
                                            "script",
                                            "script/DeployLocal.s.sol",
                                            "--rpc-url",
                                            rpcUrl,
                                            "--broadcast",
                                            "--slow"))
                            .directory(project.directory().toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            builder.environment().put("AUCTION_MARKET", options.auctionMarket() ? "1" : "0");
            Process forge = builder.start();
            boolean finished = forge.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                forge.destroyForcibly();
                throw new IllegalStateException(
                        "forge script did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (forge.exitValue() != 0) {
                throw new IllegalStateException(
                        "forge script failed (exit "
                                + forge.exitValue()
                                + "):\n"
                                + Files.readString(log, StandardCharsets.UTF_8));
            }
            Path written = project.directory().resolve("deployments/local.json");
            if (!written.equals(file)) {
                Files.createDirectories(file.getParent());
                Files.copy(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return Deployment.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run forge script: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deploying", e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
