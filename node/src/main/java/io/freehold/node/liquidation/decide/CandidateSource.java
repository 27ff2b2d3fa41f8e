package io.freehold.node.liquidation.decide;

import io.freehold.node.liquidation.LiquidationService;
import java.util.List;

/**
 * Something that knows which positions are liquidatable: the risk engine, once it is wired in. The
 * {@link LiquidationService} asks every such bean once per tick; a source may equally push its
 * findings with {@link LiquidationService#offer(List)}.
 *
 * <p>Returning the same position tick after tick is expected and cheap: a position with a
 * liquidation in flight, or in its cooldown after a skip, is not checked again.
 */
@FunctionalInterface
public interface CandidateSource {

    /**
     * The positions believed liquidatable now. Called on the liquidator's thread; must not block
     * for long.
     */
    List<LiquidationCandidate> candidates();
}
