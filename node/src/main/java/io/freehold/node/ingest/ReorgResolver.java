package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.store.RollbackTooDeepException;
import io.freehold.node.store.StateStore;
import io.freehold.types.BlockHeader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when the last applied block is no longer on the chain: find the common ancestor (the
 * newest stored header the chain still has) and roll the store back to it.
 *
 * <p>A reorg inside the confirmations is undone by {@link #rollBack}. One deeper than that (or one
 * the journal cannot undo) is refused with {@link ReorgTooDeepException}, the store untouched;
 * whoever runs the follower then either stops, or calls {@link #recover}, which rolls back as far
 * as it must (past blocks the node took for final) or, when no stored block survived, clears the
 * state for a resync.
 */
final class ReorgResolver {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

    private final ChainRpc rpc;
    private final StateStore store;
    private final int confirmations;

    ReorgResolver(ChainRpc rpc, StateStore store, int confirmations) {
        this.rpc = rpc;
        this.store = store;
        this.confirmations = confirmations;
    }

    /**
     * Rolls the store back to the common ancestor of the applied blocks and the chain whose head is
     * {@code best}.
     *
     * @return the ancestor rolled back to
     * @throws ReorgTooDeepException if the ancestor is deeper than the confirmations, or not
     *     stored, or the journal cannot reach it: nothing is changed
     */
    BlockHeader rollBack(Checkpoint cp, long best) {
        List<BlockHeader> stored = store.headers(0);
        long oldest =
                stored.stream()
                        .filter(h -> h.number() < cp.number())
                        .mapToLong(BlockHeader::number)
                        .min()
                        .orElse(-1);
        BlockHeader ancestor =
                newestOnChain(stored, best)
                        .orElseThrow(
                                () ->
                                        new ReorgTooDeepException(
                                                cp.number(),
                                                oldest,
                                                "none of the "
                                                        + stored.size()
                                                        + " stored headers is on the chain now (head "
                                                        + best
                                                        + ")"));
        if (cp.number() - ancestor.number() > confirmations) {
            throw new ReorgTooDeepException(
                    cp.number(),
                    oldest,
                    "the newest stored block the chain still has is "
                            + ancestor.number()
                            + ", "
                            + (cp.number() - ancestor.number())
                            + " blocks down");
        }
        try {
            store.rollbackTo(ancestor.number());
        } catch (RollbackTooDeepException e) {
            throw new ReorgTooDeepException(cp.number(), e.oldestTarget(), e.getMessage());
        }
        return ancestor;
    }

    /**
     * Recovers from a reorg deeper than the confirmations: rolls the store back to the newest
     * stored block the chain still has, however deep; if there is none, or the journal does not
     * reach it, clears the state so that the follower reads again from the start block. Either is
     * one transaction.
     */
    DeepReorgRecovery recover(Checkpoint cp, long best) {
        Optional<BlockHeader> ancestor = newestOnChain(store.headers(0), best);
        if (ancestor.isPresent()) {
            try {
                Checkpoint to = store.rollbackTo(ancestor.get().number());
                return new DeepReorgRecovery(cp, Optional.of(to));
            } catch (RollbackTooDeepException e) {
                LOG.warn(
                        "block {} is still on the chain but the journal does not reach it ({}); resyncing instead",
                        ancestor.get().number(),
                        e.getMessage());
            }
        }
        store.clear();
        return new DeepReorgRecovery(cp, Optional.empty());
    }

    /**
     * The newest of the stored headers whose hash the chain (head {@code best}) still has at its
     * height.
     */
    private Optional<BlockHeader> newestOnChain(List<BlockHeader> stored, long best) {
        SortedSet<Long> candidates = new TreeSet<>();
        for (BlockHeader h : stored) {
            if (h.number() <= best) {
                candidates.add(h.number());
            }
        }
        Map<Long, io.freehold.types.BlockHeader> onChain =
                candidates.isEmpty() ? Map.of() : rpc.headersAt(candidates);
        for (int i = stored.size() - 1; i >= 0; i--) {
            BlockHeader h = stored.get(i);
            io.freehold.types.BlockHeader chain = onChain.get(h.number());
            if (chain != null && chain.hash().equals(h.hash())) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }
}
