package io.freehold.aave.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.freehold.contracts.local.Anvil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The local market deployed once and brought back on a fresh anvil with {@code anvil_dumpState}/
 * {@code anvil_loadState}: the blocks, transactions and logs come back too, so a follower reads the
 * market's history from its start block as if it had been deployed there.
 *
 * <p>The file is named by a hash of what decides the chain's contents (the artifacts, the
 * deployer's own class files, the chain id and the deployer account), so a change to any of them
 * deploys afresh instead of loading a stale market.
 */
public final class AaveMarketCache {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the file holds: where the market is, and anvil's dump. */
    record Entry(AaveMarket market, String state) {}

    private AaveMarketCache() {}

    /**
     * The market on {@code anvil}: loaded from {@code directory} if it holds this deployment, else
     * deployed and saved there.
     *
     * @throws IllegalStateException if {@code anvil} has blocks already (a dump loads onto a fresh
     *     chain only)
     */
    public static AaveMarket deployOrLoad(Anvil anvil, Path directory) throws IOException {
        long head = anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
        if (head != 0) {
            throw new IllegalStateException(
                    "the cached market loads onto a fresh anvil; this one is at block " + head);
        }
        Path file = directory.resolve("aave-local-" + key(anvil) + ".json");
        if (Files.isRegularFile(file)) {
            Entry entry = JSON.readValue(file.toFile(), Entry.class);
            call(anvil, "anvil_loadState", entry.state());
            return entry.market();
        }
        AaveMarket market = AaveLocalMarket.deploy(anvil);
        String state = (String) call(anvil, "anvil_dumpState").getResult();
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "aave-local-", ".partial");
        JSON.writeValue(partial.toFile(), new Entry(market, state));
        // Atomic, so a concurrent build never reads half a file.
        Files.move(
                partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return market;
    }

    private static String key(Anvil anvil) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String resource : AaveLocalMarket.ARTIFACTS) {
                sha.update(bytes("/aave-v3/" + resource + ".json"));
            }
            for (Class<?> deployer :
                    List.of(AaveLocalMarket.class, ChainWriter.class, AaveArtifact.class)) {
                sha.update(bytes("/" + deployer.getName().replace('.', '/') + ".class"));
            }
            sha.update(
                    (anvil.chainId() + "/" + anvil.credentials(0).getAddress())
                            .getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = AaveMarketCache.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Raw call(Anvil anvil, String method, Object... params) throws IOException {
        Raw answer =
                new Request<>(method, List.of(params), new HttpService(anvil.rpcUrl()), Raw.class)
                        .send();
        if (answer.hasError()) {
            throw new IllegalStateException(method + ": " + answer.getError().getMessage());
        }
        return answer;
    }

    /** Any JSON-RPC answer. */
    public static final class Raw extends Response<Object> {}
}
