package io.freehold.node.liquidation.decide;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;

/**
 * A position someone believes can be liquidated: the executor's input. Where it comes from does not
 * matter (the risk engine, a scan of the chain's {@code isLiquidatable} view, an operator): every
 * candidate is checked again against the chain before anything is sent.
 *
 * @param unhealthySinceBlock the block whose changes made the position unhealthy (a price drop,
 *     interest); the start of the detection and inclusion latencies
 * @param detectedAtBlock the block at which the source noticed it, at or after {@code
 *     unhealthySinceBlock}
 */
public record LiquidationCandidate(
        MarketId marketId, Address borrower, long unhealthySinceBlock, long detectedAtBlock) {

    public LiquidationCandidate {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        if (unhealthySinceBlock < 0) {
            throw new IllegalArgumentException(
                    "unhealthySinceBlock must not be negative, was " + unhealthySinceBlock);
        }
        if (detectedAtBlock < unhealthySinceBlock) {
            throw new IllegalArgumentException(
                    "detectedAtBlock "
                            + detectedAtBlock
                            + " is before unhealthySinceBlock "
                            + unhealthySinceBlock);
        }
    }

    /** {@code market/borrower}, for logs. */
    public String position() {
        return marketId.hex() + "/" + borrower.hex();
    }
}
