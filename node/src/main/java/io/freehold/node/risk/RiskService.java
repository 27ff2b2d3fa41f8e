package io.freehold.node.risk;

import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.ingest.IngestionService;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's risk engine, fed by the follower from start-up: created with the node (so the engine
 * is current before anything asks), after the ingestion service it depends on, which depends on
 * nothing here (no cycle). Registering hands the engine the state loaded from the store at once.
 */
@Context
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class RiskService {

    private static final Logger LOG = LoggerFactory.getLogger(RiskService.class);

    private final RiskEngine engine;

    public RiskService(
            RiskConfiguration config, NodeConfiguration node, IngestionService ingestion) {
        // Resolved as the ingestion service resolved it (which already checked the configuration).
        this.engine = new RiskEngine(config, ContractAddresses.resolve(node).oracle());
        long start = System.nanoTime();
        ingestion.follower().addListener(engine); // builds the books from the loaded state
        LOG.info(
                "risk engine following {} market(s), {} positions (books built in {} ms); warning below"
                        + " health factor {}, appraisals discounted {} bps a year of age",
                engine.markets().size(),
                ingestion.follower().state().positionCount(),
                (System.nanoTime() - start) / 1_000_000,
                config.warningHealthFactor().toPlainString(),
                config.ageHaircutBpsPerYear());
    }

    public RiskEngine engine() {
        return engine;
    }
}
