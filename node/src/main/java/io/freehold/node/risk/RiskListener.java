package io.freehold.node.risk;

import java.util.List;

/**
 * Told of band crossings, for the API's streams. Called on the follower's thread after the engine
 * has published the step (so reads of the engine from the listener see the new numbers), once per
 * step that moved at least one position; must return quickly (hand {@link BandCrossing#position()},
 * which values the position, to another thread). A listener that throws is logged and skipped.
 */
public interface RiskListener {

    /** The positions that changed band in one step, all valued as of the same block. */
    void crossed(List<BandCrossing> crossings);
}
