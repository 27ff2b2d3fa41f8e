package io.freehold.node.api;

import io.freehold.node.ingest.AppliedRange;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.ingest.StateListener;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskEngine;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.MarketRecord;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Freehold's {@code WatchPositions} (and {@code WatchOpportunities}, a view of it) publish
 * into their {@link StreamFeed}: after each step of the follower (and so after the risk engine,
 * registered before it), an UPDATED event for every position whose shares or collateral changed and
 * for every position of a market whose price or flags changed; after a rollback, a RETRACTED event
 * naming the common ancestor, then the current values of every position the orphaned events had
 * touched. Interest alone does not produce events (it moves every debt every block); heartbeats
 * carry the cursor. The journal, cursors, resume, heartbeats and subscribers are the {@link
 * StreamFeed}'s.
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class PositionFeed implements StateListener {

    private final RiskEngine engine;
    private final StreamFeed feed;
    private boolean started;

    public PositionFeed(RiskService risk, IngestionService ingestion, StreamConfiguration config) {
        this.engine = risk.engine();
        this.feed = new StreamFeed(config, "positions");
        ingestion.follower().addListener(this);
    }

    /** The journal and subscribers behind both watches. */
    StreamFeed feed() {
        return feed;
    }

    @Override
    public void applied(AppliedRange range, ChainState state) {
        Checkpoint cp = state.checkpoint().orElseThrow();
        Set<StreamFeed.Key> keys = new LinkedHashSet<>();
        range.positions().forEach(p -> keys.add(new StreamFeed.Key(p.marketId(), p.account())));
        for (MarketRecord m : state.markets()) {
            if (range.tokens().contains(m.params().collateralToken())) {
                state.positions(m.id())
                        .forEach(p -> keys.add(new StreamFeed.Key(p.marketId(), p.account())));
            }
        }
        feed.publish(ApiProtos.cursor(cp), step -> publishUpdates(keys, step));
    }

    @Override
    public void reset(ChainState state) {
        Optional<Checkpoint> cp = state.checkpoint();
        if (!started) {
            started = true; // the state loaded at start: nothing to retract
            feed.started(cp.map(ApiProtos::cursor).orElse(null));
            return;
        }
        if (cp.isEmpty()) {
            return;
        }
        // Everything published above the ancestor is void; the positions it touched get their
        // values again.
        var last = feed.lastBlock();
        long orphaned = last == null ? 0 : Math.max(0, last.getBlockNumber() - cp.get().number());
        feed.retract(
                ApiProtos.cursor(cp.get()),
                orphaned,
                (step, touched) -> publishUpdates(touched, step));
    }

    /** Every position the risk engine holds, as a new subscriber's snapshot. */
    StreamFeed.Snapshot snapshot() {
        List<StreamPosition> current = new ArrayList<>();
        engine.markets()
                .forEach(
                        m -> engine.positions(m.marketId()).forEach(p -> current.add(position(p))));
        return new StreamFeed.Snapshot(engine.asOf().map(ApiProtos::cursor).orElse(null), current);
    }

    static StreamPosition position(PositionRisk p) {
        boolean holdsAnything =
                p.valuation().supplyShares().signum() > 0
                        || p.valuation().borrowShares().signum() > 0
                        || p.collateral().signum() > 0;
        return new StreamPosition(
                p.marketId(),
                p.account(),
                p.debt(),
                p.healthFactor(),
                holdsAnything,
                () -> ApiProtos.position(p));
    }

    private void publishUpdates(Set<StreamFeed.Key> keys, StreamFeed.Step step) {
        for (StreamFeed.Key k : keys) {
            engine.risk(k.market(), k.account())
                    .ifPresent(
                            risk ->
                                    step.update(
                                            ApiProtos.position(risk),
                                            k,
                                            risk.debt(),
                                            risk.healthFactor()));
        }
    }

    /**
     * The servers are stopping: end every stream now (clients resume from their cursor elsewhere or
     * after the restart) rather than hold the gRPC server's shutdown until its grace period runs
     * out.
     */
    @EventListener
    void onServerShutdown(ServerShutdownEvent event) {
        feed.closeStreams();
    }

    @PreDestroy
    void stop() {
        feed.stop();
    }
}
