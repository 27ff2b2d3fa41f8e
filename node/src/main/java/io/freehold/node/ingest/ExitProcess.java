package io.freehold.node.ingest;

import jakarta.inject.Singleton;

/**
 * Ends the JVM with exit status {@value #STATUS} (EX_SOFTWARE): the state can no longer be trusted.
 */
@Singleton
final class ExitProcess implements FatalStop {

    static final int STATUS = 70;

    @Override
    public void stop(RuntimeException cause) {
        // A separate thread: System.exit runs shutdown hooks that join the follower thread calling
        // us.
        new Thread(() -> System.exit(STATUS), "freehold-fatal-exit").start();
    }
}
