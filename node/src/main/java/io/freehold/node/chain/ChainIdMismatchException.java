package io.freehold.node.chain;

/**
 * An endpoint serves another chain than the one the node is configured for: a configuration error,
 * found at start by {@link ChainRpc#requireChainId(long)}, that must stop the node before it reads
 * a single log from the wrong chain.
 */
public final class ChainIdMismatchException extends IllegalStateException {

    private final String endpoint;
    private final long expectedChainId;
    private final long actualChainId;

    ChainIdMismatchException(RpcEndpoint endpoint, long expectedChainId, long actualChainId) {
        super(describe(endpoint, expectedChainId, actualChainId));
        this.endpoint = endpoint.name();
        this.expectedChainId = expectedChainId;
        this.actualChainId = actualChainId;
    }

    static String describe(RpcEndpoint endpoint, long expected, long actual) {
        return "RPC endpoint "
                + endpoint.name()
                + " ("
                + endpoint.url()
                + ") serves chain id "
                + actual
                + ", but the node expects chain id "
                + expected
                + " (expected "
                + expected
                + ", actual "
                + actual
                + "): point freehold.node.rpc.endpoints at the right chain or correct freehold.node.chain-id";
    }

    /** The endpoint's name, {@code rpc<n>/host:port}. */
    public String endpoint() {
        return endpoint;
    }

    public long expectedChainId() {
        return expectedChainId;
    }

    public long actualChainId() {
        return actualChainId;
    }
}
