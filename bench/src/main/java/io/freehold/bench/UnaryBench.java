package io.freehold.bench;

import io.freehold.node.risk.RiskEngine;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unary reads (issue 7, item 5): GetPosition (a random position) and ListPositions (the first page
 * of 100 of a market) from {@code threads} client threads over loopback gRPC against the real node
 * holding {@code perMarket} positions in each of three markets: calls per second and latency
 * percentiles. Baselines in the same run: the standard gRPC health check on the same server (the
 * cost of a call that does no work) and the same read from the risk engine in this JVM (the cost of
 * the work without gRPC).
 */
final class UnaryBench implements Benchmark {

    /** A read, as each client thread calls it. */
    private interface Call {
        void run(int n) throws Exception;
    }

    @Override
    public String name() {
        return "unary";
    }

    @Override
    public Result run(boolean quick, Path work) throws Exception {
        int perMarket = quick ? 200 : 3_000;
        int threads = 8;
        int seconds = quick ? 1 : 5;
        Result r =
                new Result(name(), "Unary reads: GetPosition and ListPositions over loopback gRPC");
        try (LocalNode node = LocalNode.deploy(work)) {
            ChainPositions.create(node, perMarket);
            node.start(Map.of());
            node.awaitCaughtUp(120_000);
            List<MarketId> markets = node.markets();
            RiskEngine engine = node.engine();
            for (MarketId m : markets) {
                if (engine.positions(m).size() < perMarket) {
                    throw new IllegalStateException(
                            "market " + m + " has " + engine.positions(m).size() + " positions");
                }
            }
            List<ManagedChannel> channels =
                    List.of(
                            ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                                    .usePlaintext()
                                    .build(),
                            ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                                    .usePlaintext()
                                    .build());
            try {
                Call inMemory =
                        n -> {
                            int m = ThreadLocalRandom.current().nextInt(3);
                            Address a =
                                    ChainPositions.account(
                                            m, ThreadLocalRandom.current().nextInt(perMarket));
                            if (engine.risk(markets.get(m), a).isEmpty()) {
                                throw new IllegalStateException("no position " + a);
                            }
                        };
                Call health =
                        n ->
                                HealthGrpc.newBlockingStub(channels.get(n % 2))
                                        .check(HealthCheckRequest.getDefaultInstance());
                Call get =
                        n -> {
                            int m = ThreadLocalRandom.current().nextInt(3);
                            PositionServiceGrpc.newBlockingStub(channels.get(n % 2))
                                    .getPosition(
                                            GetPositionRequest.newBuilder()
                                                    .setMarketId(markets.get(m).hex())
                                                    .setAccount(
                                                            ChainPositions.account(
                                                                            m,
                                                                            ThreadLocalRandom
                                                                                    .current()
                                                                                    .nextInt(
                                                                                            perMarket))
                                                                    .hex())
                                                    .build());
                        };
                Call list =
                        n -> {
                            int m = ThreadLocalRandom.current().nextInt(3);
                            int size =
                                    PositionServiceGrpc.newBlockingStub(channels.get(n % 2))
                                            .listPositions(
                                                    ListPositionsRequest.newBuilder()
                                                            .setPageSize(100)
                                                            .setFilter(
                                                                    PositionFilter.newBuilder()
                                                                            .setMarketId(
                                                                                    markets.get(m)
                                                                                            .hex()))
                                                            .build())
                                            .getPositionsCount();
                            if (size != 100) {
                                throw new IllegalStateException("a page of " + size);
                            }
                        };
                // Each measured after a warm-up of the same length, so the JIT has compiled both
                // sides.
                Rate memory = measure(inMemory, threads, seconds);
                Rate healthRate = measure(health, threads, seconds);
                Rate getRate = measure(get, threads, seconds);
                Rate listRate = measure(list, threads, seconds);
                r.figure(
                        "GetPosition",
                        getRate.perSecond,
                        "calls/s",
                        "gRPC health check, same server",
                        healthRate.perSecond);
                r.figure(
                        "GetPosition p99",
                        getRate.latency.p99(),
                        "ms",
                        "health check p99",
                        healthRate.latency.p99());
                r.figure(
                        "ListPositions (page of 100, one market)",
                        listRate.perSecond,
                        "calls/s",
                        "gRPC health check",
                        healthRate.perSecond);
                r.figure(
                        "ListPositions p99",
                        listRate.latency.p99(),
                        "ms",
                        "health check p99",
                        healthRate.latency.p99());
                r.figure(
                        "GetPosition",
                        getRate.perSecond,
                        "calls/s",
                        "the same read in process (RiskEngine.risk)",
                        memory.perSecond);
                r.figure(
                        "GetPosition p50",
                        getRate.latency.p50(),
                        "ms",
                        "health check p50",
                        healthRate.latency.p50());
                r.fact("get.calls", getRate.calls)
                        .fact("list.calls", listRate.calls)
                        .fact("health.calls", healthRate.calls)
                        .fact("memory.calls", memory.calls)
                        .fact("get.errors", getRate.errors)
                        .fact("list.errors", listRate.errors)
                        .fact("health.errors", healthRate.errors)
                        .fact("memory.errors", memory.errors);
                r.note(
                        "%,d positions per market × 3 markets; %d client threads (blocking stubs) over 2 channels; %d s"
                                + " measured after %d s of warm-up per call; errors: get %d, list %d, health %d",
                        perMarket,
                        threads,
                        seconds,
                        seconds,
                        getRate.errors,
                        listRate.errors,
                        healthRate.errors);
                r.fact("get.ratio", getRate.perSecond / healthRate.perSecond)
                        .fact("list.ratio", listRate.perSecond / healthRate.perSecond);
                r.note(
                        "GetPosition at %.2f x the health check (target at least 0.9), ListPositions of 100 at %.2f x"
                                + " (target at least 0.5)",
                        r.fact("get.ratio"), r.fact("list.ratio"));
                r.note(
                        "targets: ratios to the standard health check on the same server (docs/BENCHMARKS.md); clients"
                                + " share the 2 cores with the node");
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
        return r;
    }

    private record Rate(double perSecond, long calls, long errors, Latencies latency) {}

    /**
     * {@code threads} threads calling for {@code seconds} (after as long a warm-up): rate and
     * latencies.
     */
    private static Rate measure(Call call, int threads, int seconds) throws InterruptedException {
        run(call, threads, seconds, null);
        Latencies latency = new Latencies();
        long[] totals = run(call, threads, seconds, latency);
        return new Rate(totals[0] / (double) seconds, totals[0], totals[1], latency);
    }

    private static long[] run(Call call, int threads, int seconds, Latencies into)
            throws InterruptedException {
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            Thread w =
                    new Thread(
                            () -> {
                                Latencies mine = new Latencies();
                                while (System.nanoTime() < end) {
                                    long t0 = System.nanoTime();
                                    try {
                                        call.run(n);
                                        mine.add(System.nanoTime() - t0);
                                        calls.incrementAndGet();
                                    } catch (Exception | Error e) {
                                        errors.incrementAndGet();
                                    }
                                }
                                if (into != null) {
                                    into.addAll(mine);
                                }
                            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        return new long[] {calls.get(), errors.get()};
    }
}
