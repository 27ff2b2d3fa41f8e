/**
 * Chain access for the node: everything it reads from JSON-RPC endpoints goes through {@link
 * io.freehold.node.chain.ChainRpc}.
 *
 * <p>Layers, outermost first:
 *
 * <ol>
 *   <li>{@link io.freehold.node.chain.ChainRpc}: the head (best among endpoints, laggards marked),
 *       headers (batched, parent links checked), logs (adaptive {@code eth_getLogs} ranges,
 *       optional block-hash verification), the chain-id check.
 *   <li>{@code Failover}: one call, the endpoints in configured order; skips endpoints with an open
 *       breaker, on another chain, or that have not seen the block in question.
 *   <li>{@link io.freehold.node.chain.RpcEndpoint}: one URL with timeouts, retry with jittered
 *       backoff, circuit breaker and rate limiter (Resilience4j), and its own log-range sizer.
 * </ol>
 *
 * What a failure leads to (retry, failover, breaker count, give up) is decided by its {@link
 * io.freehold.node.chain.RpcException.Kind} alone. Configuration: {@link
 * io.freehold.node.chain.RpcConfiguration} ({@code freehold.node.rpc.*}).
 */
package io.freehold.node.chain;
