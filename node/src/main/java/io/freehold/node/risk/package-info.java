/**
 * The node's risk engine: every position's collateral value, debt, LTV, health factor, liquidation
 * price and max borrowable, equal to the pool's views to the wei; health bands and their crossings;
 * market flags (stale or missing price, paused token) under which the node never liquidates; and
 * the age of each appraisal. Start at {@link io.freehold.node.risk.RiskEngine}; the price-driven
 * detection is {@link io.freehold.node.risk.LiquidationIndex}.
 */
package io.freehold.node.risk;
