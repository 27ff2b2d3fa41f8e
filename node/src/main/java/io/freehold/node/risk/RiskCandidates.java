package io.freehold.node.risk;

import io.freehold.node.liquidation.decide.CandidateSource;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The risk engine as the liquidator's source of candidates: every position with health below 1 in a
 * market without flags, with the block at which it crossed into the liquidatable band (the start of
 * the detection and inclusion latencies). Created with the node so that no crossing is missed. That
 * is more than {@code liquidate} accepts ({@link PositionRisk#actionable()}): the keeper also flags
 * positions on cure-window markets, starts, restarts and takes auctions on auction markets, and the
 * executor's preflight decides which of these (if any) the chain accepts now.
 *
 * <p>The executor checks each candidate against the chain again ({@code eth_call} at the latest
 * block) before it sends anything, so a candidate resting on a block that a reorg later removes
 * costs a call, never a wrong liquidation.
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class RiskCandidates implements CandidateSource, RiskListener {

    private final RiskEngine engine;
    private final Map<String, Long> unhealthySince = new ConcurrentHashMap<>();

    public RiskCandidates(RiskService risk) {
        this.engine = risk.engine();
        engine.addListener(this);
    }

    @Override
    public void crossed(List<BandCrossing> crossings) {
        for (BandCrossing c : crossings) {
            String key = c.marketId().hex() + "/" + c.account().hex();
            if (c.to() == HealthBand.LIQUIDATABLE) {
                unhealthySince.put(key, c.asOf().number());
            } else if (c.from() == HealthBand.LIQUIDATABLE) {
                unhealthySince.remove(key);
            }
        }
    }

    @Override
    public List<LiquidationCandidate> candidates() {
        // Every unhealthy position: on a fixed market without a window `liquidate` takes it; on the
        // others the keeper flags, starts, restarts or takes, as preflight finds on chain. An
        // auction whose position rose above health 1 is left to takers (it is not here).
        return engine.liquidatable().stream()
                .filter(
                        p ->
                                p.actionable()
                                        || p.inAuction()
                                        || p.liquidationTerms().hasCureWindow()
                                        || p.liquidationTerms().isAuction())
                .map(
                        p -> {
                            long at = p.asOf().number();
                            long since =
                                    unhealthySince.getOrDefault(
                                            p.marketId().hex() + "/" + p.account().hex(), at);
                            return new LiquidationCandidate(
                                    p.marketId(), p.account(), Math.min(since, at), at);
                        })
                .toList();
    }
}
