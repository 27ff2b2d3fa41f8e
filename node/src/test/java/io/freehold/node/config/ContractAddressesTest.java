package io.freehold.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.types.Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the DutchAuction's address comes from: the setting wins over the deployment file's. */
class ContractAddressesTest {

    private static final String POOL = "0x" + "11".repeat(20);
    private static final String ORACLE = "0x" + "22".repeat(20);
    private static final String REGISTRY = "0x" + "33".repeat(20);
    private static final String IN_FILE = "0x" + "44".repeat(20);
    private static final String SET = "0x" + "55".repeat(20);

    @TempDir Path dir;

    @Test
    void theDeploymentsAuctionUnlessTheSettingNamesAnother() {
        String withAuction = file("with.json", IN_FILE);
        assertThat(ContractAddresses.resolve(config(withAuction, null)).dutchAuction())
                .contains(Address.of(IN_FILE));
        assertThat(ContractAddresses.resolve(config(withAuction, SET)).dutchAuction())
                .contains(Address.of(SET));
        String without = file("without.json", null);
        assertThat(ContractAddresses.resolve(config(without, null)).dutchAuction()).isEmpty();
        assertThat(ContractAddresses.resolve(config(without, SET)).dutchAuction())
                .contains(Address.of(SET));
        assertThatThrownBy(() -> ContractAddresses.resolve(config(without, "0x12")))
                .hasMessageContaining("dutch-auction");
    }

    private String file(String name, String auction) {
        Path file = dir.resolve(name);
        new Deployment(
                        31337,
                        0,
                        REGISTRY,
                        "0x" + "66".repeat(20),
                        ORACLE,
                        POOL,
                        new Deployment.Accounts(POOL, POOL, POOL, POOL),
                        new TreeMap<>(
                                java.util.Map.of(
                                        "FH-TEST-1",
                                        new Deployment.MarketEntry(
                                                "0x" + "77".repeat(32),
                                                "a property",
                                                "0x" + "88".repeat(20),
                                                "US-PA"))),
                        auction)
                .write(file);
        return file.toString();
    }

    private static NodeConfiguration config(String deployment, String dutchAuction) {
        return new NodeConfiguration(
                31337,
                deployment,
                null,
                null,
                null,
                dutchAuction,
                List.of(),
                null,
                64,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                DeepReorg.RECOVER,
                null,
                true);
    }
}
