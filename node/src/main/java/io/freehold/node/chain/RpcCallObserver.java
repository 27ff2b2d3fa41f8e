package io.freehold.node.chain;

/**
 * Told of every JSON-RPC attempt an endpoint made and how long it took, e.g. to export per-endpoint
 * latency ({@code freehold.rpc.calls}). Called on the calling thread: must be quick and must not
 * throw.
 */
@FunctionalInterface
public interface RpcCallObserver {

    RpcCallObserver NONE = (endpoint, method, ok, nanos) -> {};

    void attempted(String endpoint, String method, boolean ok, long nanos);
}
