/**
 * Transacting a liquidation: from a plan to a mined, final transaction. {@link
 * io.freehold.node.liquidation.transact.LiquidationExecutor} runs the loop (preflight, record,
 * sign, send, track); {@link io.freehold.node.liquidation.transact.LiquidatorKey} and {@link
 * io.freehold.node.liquidation.transact.TransactionSigner} sign EIP-1559 transactions with fees
 * from {@link io.freehold.node.liquidation.transact.FeeEstimator}; {@link
 * io.freehold.node.liquidation.transact.NonceManager} hands out nonces; {@link
 * io.freehold.node.liquidation.transact.InclusionTracker} follows each attempt to a final receipt,
 * bumping, re-broadcasting or re-signing after a reorg; {@link
 * io.freehold.node.liquidation.transact.LiquidatorLease} lets one replica of several send.
 */
package io.freehold.node.liquidation.transact;
