package io.freehold.contracts.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoundryProjectTest {

    @TempDir Path repo;

    @Test
    void findsTheContractsDirectoryFromASiblingModule() throws IOException {
        Path contracts = foundryProjectIn(repo.resolve("contracts"));
        Path nodeSources = Files.createDirectories(repo.resolve("node/src/main/java"));

        assertThat(FoundryProject.locateFrom(nodeSources).directory()).isEqualTo(contracts);
    }

    @Test
    void findsTheContractsDirectoryFromInsideIt() throws IOException {
        Path contracts = foundryProjectIn(repo.resolve("contracts"));
        Path javaSources = Files.createDirectories(contracts.resolve("src/main/java"));

        assertThat(FoundryProject.locateFrom(javaSources).directory()).isEqualTo(contracts);
        assertThat(FoundryProject.locateFrom(contracts).directory()).isEqualTo(contracts);
    }

    @Test
    void saysHowToFixItWhenThereIsNoFoundryProject() {
        assertThatThrownBy(() -> FoundryProject.locateFrom(repo))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-D" + FoundryProject.DIRECTORY_PROPERTY);
        assertThatThrownBy(() -> FoundryProject.at(repo))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no foundry.toml");
    }

    @Test
    void theSystemPropertyWins() throws IOException {
        Path elsewhere = foundryProjectIn(repo.resolve("elsewhere"));
        String previous = System.getProperty(FoundryProject.DIRECTORY_PROPERTY);
        System.setProperty(FoundryProject.DIRECTORY_PROPERTY, elsewhere.toString());
        try {
            assertThat(FoundryProject.locate().directory()).isEqualTo(elsewhere);
        } finally {
            if (previous == null) {
                System.clearProperty(FoundryProject.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(FoundryProject.DIRECTORY_PROPERTY, previous);
            }
        }
    }

    @Test
    void pointsAtTheNativeBinariesNotTheNodeWrappers() {
        FoundryProject project = FoundryProject.locate();

        assertThat(project.directory().resolve("foundry.toml")).isRegularFile();
        assertThat(project.binary("anvil")).isExecutable();
        assertThat(project.binary("anvil").toString())
                .contains("@foundry-rs/anvil-")
                .doesNotContain(".bin");
        assertThatThrownBy(() -> project.binary("no-such-tool"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("npm ci");
    }

    private static Path foundryProjectIn(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("foundry.toml"), "[profile.default]\n");
        return dir;
    }
}
