package io.freehold.node.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an embedded H2 file, opened with the settings of application.yml. */
class H2StateStoreTest extends AbstractStateStoreTest {

    @TempDir Path dir;

    @Override
    String newDatabaseUrl() {
        return "jdbc:h2:file:" + dir.resolve("freehold") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }
}
