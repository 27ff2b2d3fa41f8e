package io.freehold.node;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;
import java.util.HashMap;
import java.util.Map;

/**
 * A node context that must refuse its settings at start, for the start-up tests of each protocol.
 */
public final class StartupFailure {

    private StartupFailure() {}

    /**
     * Starts a context with {@code props} changed by {@code change} and returns why it did not
     * start; fails the test if it did.
     */
    public static Throwable of(Map<String, Object> props, Map<String, Object> change) {
        Map<String, Object> all = new HashMap<>(props);
        all.putAll(change);
        ApplicationContext context = ApplicationContext.builder().properties(all).build();
        try {
            context.start();
        } catch (RuntimeException e) {
            // A context that failed to start is not running, so close() destroys nothing: destroy
            // what it created (the connection pool, the RPC client) one by one.
            for (BeanRegistration<Object> bean : context.getActiveBeanRegistrations(Object.class)) {
                try {
                    context.destroyBean(bean);
                } catch (RuntimeException ignored) {
                    // half-built; nothing else to release
                }
            }
            return e;
        } finally {
            context.close();
        }
        throw new AssertionError("the node started with " + change);
    }
}
