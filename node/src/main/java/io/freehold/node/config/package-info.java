/**
 * Node-wide configuration: what the node follows and how closely ({@code freehold.node.*}, {@link
 * io.freehold.node.config.NodeConfiguration}), the contract addresses it resolves to at start
 * ({@link io.freehold.node.config.ContractAddresses}), and the answer to a reorg deeper than the
 * confirmations ({@link io.freehold.node.config.DeepReorg}). The settings of one part stay with
 * that part: RPC endpoints in {@code chain}, risk bands in {@code risk}, the liquidator in {@code
 * liquidation}, streams in {@code api}.
 */
package io.freehold.node.config;
