package io.freehold.node.liquidation.attempts;

import io.freehold.node.ingest.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The attempt store on an embedded H2 file, opened with the settings of application.yml. */
class H2AttemptStoreTest extends AbstractAttemptStoreTest {

    @TempDir Path dir;

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.h2(dir);
    }
}
