package io.freehold.node.ingest;

/**
 * Told by the {@link Follower} what each step changed, so that derived views (the risk engine)
 * update only what moved. Called on the follower's thread after the store committed, in order; a
 * listener that throws is logged and does not stop following.
 */
public interface StateListener {

    /**
     * Blocks {@code range.fromBlock()..range.toBlock()} were applied. A reversible range is
     * committed by then; a final range of a catch-up may still be committing on the follower's
     * commit thread, and if that commit fails the follower reloads from the store and calls {@link
     * #reset}.
     */
    void applied(AppliedRange range, ChainState state);

    /**
     * The state was replaced (loaded at start, or reloaded after a reorg rollback): anything may
     * have changed, rebuild from {@code state}.
     */
    void reset(ChainState state);
}
