package io.freehold.node.chain;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Closes what a test opened (proxies, clients), last first; a test calls it from @AfterEach. */
final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T closeable) {
        open.push(closeable);
        return closeable;
    }

    /** A proxy to {@code targetUrl}, closed with this. */
    FaultInjectingProxy proxy(String targetUrl) {
        return add(FaultInjectingProxy.start(targetUrl));
    }

    /** A client for {@code config}, closed with this. */
    ChainRpc rpc(RpcConfiguration config) {
        return add(new ChainRpc(config));
    }

    /** Test settings: the defaults, with timeouts short enough for a loopback anvil. */
    static RpcConfiguration.Builder config(String... urls) {
        return RpcConfiguration.builder(List.of(urls))
                .requestTimeout(java.time.Duration.ofSeconds(1))
                .requestsPerSecond(0);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing test resources", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
