package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** The body of {@link StateStore#clear}, run inside one transaction. */
final class ClearTransaction {

    private ClearTransaction() {}

    static Optional<Checkpoint> run(Connection c) throws SQLException {
        // The checkpoint row first, locked: a second writer waits here as it does for a commit.
        Optional<Checkpoint> was = CheckpointRow.read(c, true);
        try (Statement s = c.createStatement()) {
            for (StateTable<?> table : StateTables.ALL) {
                s.executeUpdate("DELETE FROM " + table.name());
            }
            s.executeUpdate("DELETE FROM journal");
            s.executeUpdate("DELETE FROM block_header");
            s.executeUpdate("DELETE FROM checkpoint");
        }
        return was;
    }
}
