package io.freehold.contracts.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {

    @TempDir Path dir;

    private final Deployment sample =
            new Deployment(
                    31_337,
                    7,
                    "0x01",
                    "0x02",
                    "0x03",
                    "0x04",
                    new Deployment.Accounts("0xa", "0xb", "0xc", "0xd"),
                    new TreeMap<>(
                            java.util.Map.of(
                                    "FH-1",
                                    new Deployment.MarketEntry("0xid", "One", "0xt", "US-MI"))));

    @Test
    void writesAndReadsTheSameDeployment() {
        Path file = dir.resolve("nested/local.json");
        sample.write(file);
        assertThat(Deployment.read(file)).isEqualTo(sample);
    }

    @Test
    void readsTheShapeTheForgeScriptWrites() throws Exception {
        Path file = dir.resolve("local.json");
        Files.writeString(
                file,
                """
                {"accounts":{"admin":"0xa","borrower":"0xc","lender":"0xb","liquidator":"0xd"},
                 "chainId":31337,"identityRegistry":"0x01","lendingPool":"0x04",
                 "markets":{"FH-1":{"id":"0xid","name":"One","propertyToken":"0xt","regionCode":"US-MI"}},
                 "oracle":"0x03","stablecoin":"0x02","startBlock":7}
                """);
        assertThat(Deployment.read(file)).isEqualTo(sample);
    }

    @Test
    void namesTheMissingFieldAndHowToFixIt() throws Exception {
        Path file = dir.resolve("local.json");
        Files.writeString(
                file,
                """
                {"accounts":{"admin":"0xa","borrower":"0xc","lender":"0xb","liquidator":"0xd"},
                 "chainId":31337,"identityRegistry":"0x01","stablecoin":"0x02","oracle":"0x03",
                 "startBlock":7,"markets":{"FH-1":{"id":"0xid"}}}
                """);
        assertThatThrownBy(() -> Deployment.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no lendingPool")
                .hasMessageContaining("DeployLocal.s.sol");
    }

    @Test
    void aMissingFileSaysWhichFile() {
        Path file = dir.resolve("absent.json");
        assertThatThrownBy(() -> Deployment.read(file)).hasMessageContaining(file.toString());
    }

    @Test
    void anUnknownPropertyListsTheKnownOnes() {
        assertThatThrownBy(() -> sample.market("FH-9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FH-9")
                .hasMessageContaining("[FH-1]");
    }
}
