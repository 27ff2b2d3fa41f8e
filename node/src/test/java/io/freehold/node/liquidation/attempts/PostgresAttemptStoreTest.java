package io.freehold.node.liquidation.attempts;

import io.freehold.node.ingest.TestDatabase;

/** The attempt store on PostgreSQL: a new database per test on the JVM's embedded server. */
class PostgresAttemptStoreTest extends AbstractAttemptStoreTest {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
