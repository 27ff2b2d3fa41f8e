package io.freehold.contracts.bindings;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a Freehold system lives on one chain: the shape of {@code
 * contracts/deployments/local.json}, written by {@code script/DeployLocal.s.sol} and by {@link
 * LocalSystem}.
 *
 * <p>Addresses are 0x-hex strings exactly as web3j's wrappers take them; this is the binding layer,
 * below the SDK's value types.
 *
 * <pre>{@code
 * Deployment d = Deployment.read(Path.of("contracts/deployments/local.json"));
 * LendingPool pool = LendingPool.load(d.lendingPool(), web3j, credentials, gasProvider);
 * }</pre>
 *
 * @param chainId the chain the contracts are on
 * @param startBlock the head before the first contract was deployed: where a follower starts
 * @param markets one entry per property, keyed by the property id
 * @param dutchAuction the DutchAuction beside the pool (auction markets sell collateral through
 *     it); null in deployment files written before it existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Deployment(
        long chainId,
        long startBlock,
        String identityRegistry,
        String stablecoin,
        String oracle,
        String lendingPool,
        Accounts accounts,
        SortedMap<String, MarketEntry> markets,
        String dutchAuction) {

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    @JsonCreator
    public Deployment {
        markets = markets == null ? new TreeMap<>() : new TreeMap<>(markets);
    }

    /** A deployment without a DutchAuction (as before auctions existed). */
    public Deployment(
            long chainId,
            long startBlock,
            String identityRegistry,
            String stablecoin,
            String oracle,
            String lendingPool,
            Accounts accounts,
            SortedMap<String, MarketEntry> markets) {
        this(
                chainId,
                startBlock,
                identityRegistry,
                stablecoin,
                oracle,
                lendingPool,
                accounts,
                markets,
                null);
    }

    /** The well-known roles of the local system (anvil's dev accounts 0 to 3). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Accounts(String admin, String lender, String borrower, String liquidator) {}

    /**
     * One property and its market.
     *
     * @param id the market id, 0x-hex of 32 bytes
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MarketEntry(String id, String name, String propertyToken, String regionCode) {}

    /**
     * Reads a deployment file; fails with the path and the reason if it is missing or malformed.
     */
    public static Deployment read(Path file) {
        try {
            Deployment deployment = JSON.readValue(Files.readAllBytes(file), Deployment.class);
            deployment.requireComplete(file);
            return deployment;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read deployment " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes this deployment as JSON, creating parent directories. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write deployment " + file + ": " + e.getMessage(), e);
        }
    }

    /** The market of {@code propertyId}, or an error naming the ones that exist. */
    public MarketEntry market(String propertyId) {
        MarketEntry entry = markets.get(propertyId);
        if (entry == null) {
            throw new IllegalArgumentException(
                    "no market for property " + propertyId + "; known: " + markets.keySet());
        }
        return entry;
    }

    private void requireComplete(Path file) {
        Map<String, Object> required = new TreeMap<>();
        required.put("identityRegistry", identityRegistry);
        required.put("stablecoin", stablecoin);
        required.put("oracle", oracle);
        required.put("lendingPool", lendingPool);
        required.put("accounts", accounts);
        required.put("markets", markets.isEmpty() ? null : markets);
        required.forEach(
                (field, value) -> {
                    if (value == null) {
                        throw new IllegalArgumentException(
                                "deployment "
                                        + file
                                        + " has no "
                                        + field
                                        + "; redeploy with script/DeployLocal.s.sol");
                    }
                });
    }
}
