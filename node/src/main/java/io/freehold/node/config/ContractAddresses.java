package io.freehold.node.config;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.types.Address;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The contracts the node reads logs from and the block it starts at, resolved from {@link
 * NodeConfiguration}: explicit addresses win over the deployment file's.
 *
 * @param propertyTokens the tokens known before the first log; tokens of markets created later are
 *     added as the node meets them
 * @param dutchAuction the DutchAuction beside the pool ({@code freehold.node.dutch-auction}, else
 *     the deployment file's {@code dutchAuction}); empty without either: auction events are then
 *     not read
 */
public record ContractAddresses(
        Address lendingPool,
        Address oracle,
        Address identityRegistry,
        SortedSet<Address> propertyTokens,
        long startBlock,
        Optional<Address> dutchAuction) {

    public ContractAddresses {
        Objects.requireNonNull(lendingPool, "lendingPool");
        Objects.requireNonNull(oracle, "oracle");
        Objects.requireNonNull(identityRegistry, "identityRegistry");
        propertyTokens = Collections.unmodifiableSortedSet(new TreeSet<>(propertyTokens));
        Objects.requireNonNull(dutchAuction, "dutchAuction");
    }

    /**
     * Reads the deployment file if one is named and fills in what the configuration leaves out.
     *
     * @throws IllegalArgumentException naming the setting to fix: the file is missing or
     *     unreadable, it is for another chain, an address is malformed, or an address is given
     *     nowhere
     */
    public static ContractAddresses resolve(NodeConfiguration config) {
        Deployment deployment = null;
        if (config.deployment() != null && !config.deployment().isBlank()) {
            Path file = Path.of(config.deployment());
            if (!Files.isRegularFile(file)) {
                throw NodeConfiguration.invalid(
                        "deployment",
                        "names "
                                + file.toAbsolutePath()
                                + ", which does not exist; run ./demo.sh (or forge script script/DeployLocal.s.sol)"
                                + " to deploy locally, or set the contract addresses instead");
            }
            try {
                deployment = Deployment.read(file);
            } catch (UncheckedIOException | IllegalArgumentException e) {
                throw NodeConfiguration.invalid("deployment", "cannot be used: " + e.getMessage());
            }
            if (deployment.chainId() != config.chainId()) {
                throw NodeConfiguration.invalid(
                        "deployment",
                        "is for chain "
                                + deployment.chainId()
                                + " but freehold.node.chain-id is "
                                + config.chainId()
                                + "; point one of them at the other");
            }
        }
        Address pool =
                pick(
                        "lending-pool",
                        config.lendingPool(),
                        deployment == null ? null : deployment.lendingPool());
        Address oracle =
                pick("oracle", config.oracle(), deployment == null ? null : deployment.oracle());
        Address registry =
                pick(
                        "identity-registry",
                        config.identityRegistry(),
                        deployment == null ? null : deployment.identityRegistry());
        SortedSet<Address> tokens = new TreeSet<>();
        for (String token : config.propertyTokens()) {
            tokens.add(parse("property-tokens", token));
        }
        if (deployment != null) {
            deployment
                    .markets()
                    .values()
                    .forEach(m -> tokens.add(parse("deployment", m.propertyToken())));
        }
        long start =
                config.startBlock() != null
                        ? config.startBlock()
                        : deployment != null ? deployment.startBlock() : 0;
        Optional<Address> auction =
                config.dutchAuction() != null && !config.dutchAuction().isBlank()
                        ? Optional.of(parse("dutch-auction", config.dutchAuction().strip()))
                        : deployment == null || deployment.dutchAuction() == null
                                ? Optional.empty()
                                : Optional.of(parse("deployment", deployment.dutchAuction()));
        return new ContractAddresses(pool, oracle, registry, tokens, start, auction);
    }

    private static Address pick(String setting, String configured, String fromDeployment) {
        if (configured != null && !configured.isBlank()) {
            return parse(setting, configured.strip());
        }
        if (fromDeployment != null) {
            return parse("deployment", fromDeployment);
        }
        throw NodeConfiguration.invalid(
                setting,
                "is not set and no freehold.node.deployment names it;"
                        + " set one of them (FREEHOLD_NODE_"
                        + setting.toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                        + " or FREEHOLD_NODE_DEPLOYMENT)");
    }

    private static Address parse(String setting, String hex) {
        try {
            return Address.of(hex);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw NodeConfiguration.invalid(setting, "has a malformed address: " + e.getMessage());
        }
    }
}
