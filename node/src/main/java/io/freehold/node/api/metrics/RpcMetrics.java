package io.freehold.node.api.metrics;

import io.freehold.node.chain.ChainRpc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * {@code freehold.rpc.calls} (timer, a Prometheus histogram): every JSON-RPC attempt the node made,
 * by endpoint name ({@code rpc1/host:port}, never the URL: it may hold an API key), method and
 * outcome ({@code ok}, {@code error}); retries count as attempts of their own.
 */
@Singleton
public final class RpcMetrics implements MeterBinder {

    private final ChainRpc rpc;

    public RpcMetrics(ChainRpc rpc) {
        this.rpc = rpc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        rpc.observeCalls(
                (endpoint, method, ok, nanos) ->
                        Timer.builder("freehold.rpc.calls")
                                .description("JSON-RPC attempts by endpoint, method and outcome")
                                .tag("endpoint", endpoint)
                                .tag("method", method)
                                .tag("outcome", ok ? "ok" : "error")
                                .register(registry)
                                .record(Duration.ofNanos(nanos)));
    }
}
