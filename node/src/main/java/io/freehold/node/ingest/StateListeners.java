package io.freehold.node.ingest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower's listeners and the fan-out to them: each is told in turn, on the follower's thread;
 * one that throws is logged and the others are still told.
 */
final class StateListeners {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener and hands it {@code state} at once, as a reset. */
    void add(StateListener listener, ChainState state) {
        listeners.add(listener);
        listener.reset(state);
    }

    void applied(AppliedRange range, ChainState state) {
        for (StateListener l : listeners) {
            try {
                l.applied(range, state);
            } catch (RuntimeException e) {
                LOG.error(
                        "state listener {} failed on blocks {}..{}",
                        l,
                        range.fromBlock(),
                        range.toBlock(),
                        e);
            }
        }
    }

    void reset(ChainState state) {
        for (StateListener l : listeners) {
            try {
                l.reset(state);
            } catch (RuntimeException e) {
                LOG.error("state listener {} failed on a reset", l, e);
            }
        }
    }
}
