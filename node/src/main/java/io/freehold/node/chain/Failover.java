package io.freehold.node.chain;

import io.freehold.node.chain.RpcEndpoint.ChainCheck;
import io.freehold.node.chain.RpcException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one call to the endpoints in their configured order until one answers. Skipped without a
 * request: an endpoint serving another chain, one whose breaker is open (it fails fast), and one
 * that has not seen the block the call is about. The last rule is what keeps a lagging endpoint
 * from silently answering "no logs" or "no such block" for blocks it simply has not reached.
 */
final class Failover {

    /** One attempt of a call on one endpoint. */
    @FunctionalInterface
    interface EndpointCall<T> {
        T apply(RpcEndpoint endpoint);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);
    private static final long ANY_BLOCK = -1;

    private final List<RpcEndpoint> endpoints;
    private final AtomicLong expectedChainId = new AtomicLong(-1);

    Failover(List<RpcEndpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    List<RpcEndpoint> endpoints() {
        return endpoints;
    }

    /** From now on, an endpoint is checked to serve {@code chainId} before it is first used. */
    void expectChainId(long chainId) {
        expectedChainId.set(chainId);
    }

    /**
     * {@code call} on the first endpoint that can take it; {@code what} names the data for
     * messages.
     */
    <T> T call(String method, String what, EndpointCall<T> call) {
        return call(method, what, ANY_BLOCK, call);
    }

    /**
     * {@code call} on the first endpoint that can take it and has seen block {@code atBlock}.
     *
     * @throws RpcException of a kind that does not fail over, as soon as it happens; otherwise
     *     {@link Kind#UNAVAILABLE} (or {@link Kind#BLOCK_NOT_AVAILABLE} if no endpoint has the
     *     block) carrying every endpoint's failure
     */
    <T> T call(String method, String what, long atBlock, EndpointCall<T> call) {
        List<RpcException> failures = new ArrayList<>();
        for (RpcEndpoint endpoint : endpoints) {
            try {
                if (!usable(endpoint, method, atBlock, failures)) {
                    continue;
                }
                T result = call.apply(endpoint);
                if (!failures.isEmpty() && LOG.isDebugEnabled()) {
                    LOG.debug(
                            "{} served by {} after {} failure(s): {}",
                            what,
                            endpoint,
                            failures.size(),
                            failures.get(failures.size() - 1).getMessage());
                }
                return result;
            } catch (RpcException e) {
                if (!e.kind().failsOver()) {
                    throw e;
                }
                failures.add(e);
            }
        }
        throw RpcException.unavailable(method, what, failures);
    }

    /**
     * Once a chain id is expected, checks an endpoint not checked yet (it was unreachable when the
     * node started) before anything it says is used.
     *
     * @throws RpcException {@link Kind#WRONG_CHAIN} if it serves another chain, now or before
     */
    void requireRightChain(RpcEndpoint endpoint, String method) {
        if (endpoint.chainCheck() == ChainCheck.UNCHECKED && expectedChainId.get() >= 0) {
            long expected = expectedChainId.get();
            long actual = endpoint.chainId();
            if (actual != expected) {
                endpoint.chainCheck(ChainCheck.WRONG_CHAIN);
                LOG.error("{}", ChainIdMismatchException.describe(endpoint, expected, actual));
            } else {
                endpoint.chainCheck(ChainCheck.OK);
            }
        }
        if (endpoint.chainCheck() == ChainCheck.WRONG_CHAIN) {
            throw new RpcException(
                    Kind.WRONG_CHAIN,
                    endpoint.name(),
                    method,
                    "serves another chain than " + "chain id " + expectedChainId.get(),
                    null);
        }
    }

    private boolean usable(
            RpcEndpoint endpoint, String method, long atBlock, List<RpcException> failures) {
        requireRightChain(endpoint, method);
        // A head learnt earlier is good enough when it covers the block; ask again only if not.
        if (atBlock >= 0 && endpoint.lastSeenHead() < atBlock && endpoint.blockNumber() < atBlock) {
            failures.add(
                    new RpcException(
                            Kind.BLOCK_NOT_AVAILABLE,
                            endpoint.name(),
                            method,
                            "has not seen block "
                                    + atBlock
                                    + " (its head is "
                                    + endpoint.lastSeenHead()
                                    + ")",
                            null));
            return false;
        }
        return true;
    }
}
