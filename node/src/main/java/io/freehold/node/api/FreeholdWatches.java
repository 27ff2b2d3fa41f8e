package io.freehold.node.api;

import io.freehold.node.ingest.IngestionService;
import io.freehold.node.liquidation.LiquidationService;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.risk.RiskService;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The watches of a node following Freehold: positions from the {@link PositionFeed}, and
 * opportunities as a view of the same journal ({@link OpportunityView}), so a cursor of either
 * stream names the same place.
 */
@Factory
final class FreeholdWatches {

    @Singleton
    @Requires(property = "freehold.node.follow", notEquals = "false")
    @Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
    Watches watches(
            RiskService risk,
            PositionFeed feed,
            StreamConfiguration streams,
            IngestionService ingestion,
            LiquidationService liquidator) {
        return new Watches(
                new Watches.Sources(
                        feed.feed(),
                        feed::snapshot,
                        feed.feed(),
                        feed::snapshot,
                        () ->
                                new OpportunityView(
                                        risk.engine(),
                                        () -> ingestion.follower().state(),
                                        liquidator.mode() == LiquidatorConfiguration.Mode.EXECUTE),
                        market -> risk.engine().market(market).isPresent()),
                streams);
    }
}
