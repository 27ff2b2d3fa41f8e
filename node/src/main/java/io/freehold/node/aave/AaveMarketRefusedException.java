package io.freehold.node.aave;

/**
 * The configured addresses do not answer as an Aave v3 market the node can follow, or the market
 * uses a feature the book refuses: the start stops with this message, which names the setting
 * ({@code freehold.node.aave.*}) or the feature.
 */
public final class AaveMarketRefusedException extends IllegalStateException {

    public AaveMarketRefusedException(String message) {
        super(message);
    }
}
