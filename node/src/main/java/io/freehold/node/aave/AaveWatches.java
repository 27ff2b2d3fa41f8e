package io.freehold.node.aave;

import io.freehold.node.api.OpportunityEvents;
import io.freehold.node.api.StreamConfiguration;
import io.freehold.node.api.Watches;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The watches of a node following an Aave pool: the requests checked and the streams served by the
 * same {@link Watches} as on Freehold (codes, resume, heartbeats, bounded queues), positions from
 * the {@link AavePositionFeed} and opportunities from {@link AaveOpportunities}' own feed.
 */
@Factory
final class AaveWatches {

    @Singleton
    @Requires(property = "freehold.node.protocol", value = "aave-v3")
    @Requires(property = "freehold.node.follow", notEquals = "false")
    Watches watches(
            AavePositionFeed positions,
            AaveOpportunities opportunities,
            AaveFollowingService following,
            StreamConfiguration streams) {
        MarketId pool = AaveReads.marketId(following.follower().market().pool());
        return new Watches(
                new Watches.Sources(
                        positions.feed(),
                        positions::snapshot,
                        opportunities.feed(),
                        opportunities::snapshot,
                        () -> OpportunityEvents.view(opportunities::opportunity),
                        pool::equals),
                streams);
    }
}
