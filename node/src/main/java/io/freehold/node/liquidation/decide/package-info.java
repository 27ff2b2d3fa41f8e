/**
 * Deciding a liquidation: whether a candidate may and should be liquidated now, and for how much.
 * {@link io.freehold.node.liquidation.decide.Preflight} reads the chain at one pinned block through
 * {@link io.freehold.node.liquidation.decide.PoolReader} (the bindings' views over the node's
 * endpoint layer), sizes the repayment with {@link
 * io.freehold.node.liquidation.decide.LiquidationSizer}, simulates {@code liquidate}, and answers a
 * {@link io.freehold.node.liquidation.decide.LiquidationPlan} or a {@link
 * io.freehold.node.liquidation.decide.SkipReason}; {@link
 * io.freehold.node.liquidation.decide.RevertDecoder} turns a simulated revert into one, and {@link
 * io.freehold.node.liquidation.decide.LiquidateEvents} says who liquidated a position first.
 * Nothing here signs or sends.
 */
package io.freehold.node.liquidation.decide;
