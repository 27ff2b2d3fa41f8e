package io.freehold.bench;

import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.types.MarketId;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Streams (issue 7, item 4): the real node on anvil with {@code perMarket} supply positions in each of its
 * three markets; appraisals move (±1 %) at a fixed rate, each publishing an update of every position of
 * its market, so the feed publishes about {@code rate} updates per second. Subscribers watch over loopback
 * gRPC. Delivery latency runs from the moment the follower's step reached the node's listeners
 * ({@link StepClock}: before valuing, journaling and sending) to the client's {@code onNext}.
 *
 * <p>Baseline: one unfiltered subscriber at the same rate. Then {@code subscribers} subscribers, each
 * watching one market (a bot watches its markets), plus one that never reads: what happens to it.
 */
final class StreamBench implements Benchmark {

    private static final int SAMPLES_PER_SUBSCRIBER = 20_000;

    @Override
    public String name() {
        return "streams";
    }

    @Override
    public Result run(boolean quick, Path work) throws Exception {
        int perMarket = quick ? 100 : 1_000;
        int subscribers = quick ? 30 : 1_000;
        int rate = quick ? 1_000 : 5_000;
        int seconds = quick ? 3 : 10;
        // quick: smaller than the default, so the reader that stops is cut within the short run, yet larger than an
        // unfiltered snapshot (a subscriber is first sent every position)
        int buffer = quick ? 1_000 : 10_000;
        Result r = new Result(name(), String.format("Streams: WatchPositions over loopback at %,d updates/s", rate));
        try (LocalNode node = LocalNode.deploy(work)) {
            ChainPositions.create(node, perMarket);
            node.start(Map.of("freehold.node.api.streams.buffer", buffer));
            node.awaitCaughtUp(120_000);
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < (quick ? 2 : 10); i++) {
                channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext().build());
            }
            try {
                Phase single = phase(node, channels, 1, false, false, perMarket, rate, quick ? 2 : 5);
                Phase fan = phase(node, channels, subscribers, true, true, perMarket, rate, seconds);
                r.figure(String.format("p50 delivery, %,d subscribers (one market each)", subscribers), fan.latency.p50(),
                        "ms", "p50, one unfiltered subscriber", single.latency.p50());
                r.figure(String.format("p99 delivery, %,d subscribers", subscribers), fan.latency.p99(), "ms",
                        "p99, one subscriber", single.latency.p99());
                r.figure(String.format("max delivery, %,d subscribers", subscribers), fan.latency.max(), "ms",
                        "max, one subscriber", single.latency.max());
                r.figure("updates published per second (fan-out run)", fan.published / fan.seconds, "updates/s",
                        "published per second, one subscriber", single.published / single.seconds);
                // Delivered over the time until the last subscriber had everything: the server's real fan-out rate.
                r.figure("messages delivered per second, all subscribers", fan.delivered / (fan.seconds + fan.drainSeconds),
                        "msg/s", "delivered per second, one subscriber", single.delivered / (single.seconds
                        + single.drainSeconds));
                r.figure("time after the last appraisal until every subscriber had every update", fan.drainSeconds, "s",
                        "the same, one subscriber", single.drainSeconds);
                r.figure("subscribers cut as slow (of those reading)", fan.cut, "");
                r.fact("subscribers", subscribers).fact("perMarket", perMarket).fact("single.published", single.published)
                        .fact("single.delivered", single.delivered).fact("fan.published", fan.published)
                        .fact("fan.delivered", fan.delivered).fact("fan.cut", fan.cut)
                        .fact("fan.consistentMarkets", fan.consistentMarkets).fact("fan.samples", fan.latency.size())
                        .fact("single.samples", single.latency.size()).fact("slow.received", fan.slowReceived)
                        .fact("slow.endedSlowConsumer", fan.slowStatus.startsWith("RESOURCE_EXHAUSTED") ? 1 : 0)
                        .fact("single.cut", single.cut);
                r.note("%,d supply positions per market × 3 markets on chain; one appraisal every %d ms; %d s per run;"
                        + " server buffer %,d events per subscriber (freehold.node.api.streams.buffer)", perMarket,
                        1_000 * perMarket / rate, seconds, buffer);
                r.note("the reader that never reads: got %,d events, then the node ended its stream with %s; of the"
                        + " others, in %d of %d markets every subscriber got the same number of updates",
                        fan.slowReceived, fan.slowStatus, fan.consistentMarkets, 3);
                r.note("clients run in the benchmark's JVM, next to the node and anvil, on the same 2 cores");
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
        return r;
    }

    /** What one run measured. */
    private static final class Phase {
        final Latencies latency = new Latencies();
        double seconds;
        double drainSeconds;
        long published;
        long delivered;
        int cut;
        int consistentMarkets;
        long slowReceived;
        String slowStatus = "";
    }

    /** One subscriber: counts and samples (block, receive time) of updates at or after {@code fromBlock}. */
    private static final class Subscriber implements ClientResponseObserver<WatchPositionsRequest, PositionEvent> {
        final int market;
        final boolean reads;
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        final long[] blocks = new long[SAMPLES_PER_SUBSCRIBER];
        final long[] times = new long[SAMPLES_PER_SUBSCRIBER];
        volatile long fromBlock = Long.MAX_VALUE;
        final AtomicLong received = new AtomicLong();
        final AtomicLong updates = new AtomicLong();
        volatile Status status;
        int samples;
        ClientCallStreamObserver<WatchPositionsRequest> call;

        Subscriber(int market, boolean reads) {
            this.market = market;
            this.reads = reads;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchPositionsRequest> requestStream) {
            call = requestStream;
            if (!reads) {
                requestStream.disableAutoRequestWithInitial(1); // takes one message, then stops reading
            }
        }

        @Override
        public void onNext(PositionEvent e) {
            long now = System.nanoTime();
            received.incrementAndGet();
            first.countDown();
            long block = e.getCursor().getBlockNumber();
            if (e.hasUpdated() && block >= fromBlock) {
                updates.incrementAndGet();
                if (samples < SAMPLES_PER_SUBSCRIBER) {
                    blocks[samples] = block;
                    times[samples++] = now;
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            status = Status.fromThrowable(t);
            first.countDown();
            ended.countDown();
        }

        @Override
        public void onCompleted() {
            status = Status.OK;
            ended.countDown();
        }
    }

    private static Phase phase(LocalNode node, List<ManagedChannel> channels, int count, boolean filtered, boolean slow,
            int perMarket, int rate, int seconds) throws Exception {
        List<MarketId> markets = node.markets();
        List<Subscriber> subs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Subscriber s = new Subscriber(i % markets.size(), true);
            WatchPositionsRequest.Builder req = WatchPositionsRequest.newBuilder();
            if (filtered) {
                req.setFilter(PositionFilter.newBuilder().setMarketId(markets.get(s.market).hex()));
            }
            PositionServiceGrpc.newStub(channels.get(i % channels.size())).watchPositions(req.build(), s);
            subs.add(s);
        }
        Subscriber slowOne = null;
        ManagedChannel slowChannel = null;
        if (slow) {
            slowOne = new Subscriber(-1, false);
            // Its own connection with a 64 KiB HTTP/2 window (grpc-java's default is 1 MiB, some thousands of
            // these events): a client that stops reading fills any window; a small one just fills sooner.
            slowChannel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext()
                    .flowControlWindow(64 * 1024).build();
            PositionServiceGrpc.newStub(slowChannel).watchPositions(WatchPositionsRequest.getDefaultInstance(), slowOne);
        }
        for (Subscriber s : subs) {
            if (!s.first.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a subscriber got no snapshot in 120 s");
            }
        }
        long from = node.chain.head() + 1;
        subs.forEach(s -> s.fromBlock = from);
        if (slowOne != null) {
            slowOne.fromBlock = from;
        }

        // The appraiser: one ±1 % appraisal every interval, markets in turn, signed here and not awaited.
        Credentials admin = node.anvil.credentials(0);
        AppraisalOracle oracle = AppraisalOracle.load(node.deployment.oracle(), node.anvil.web3j(),
                node.anvil.transactionManager(admin), LocalSystem.GAS);
        List<String> tokens = new ArrayList<>();
        Map<String, BigInteger> prices = new HashMap<>();
        for (var m : node.deployment.markets().values()) {
            tokens.add(m.propertyToken());
            prices.put(m.propertyToken(), oracle.latestPrice(m.propertyToken()).send().component1());
        }
        AtomicLong nonce = new AtomicLong(node.chain.pendingNonce(admin));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long intervalMicros = 1_000_000L * perMarket / rate;
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        long t0 = System.nanoTime();
        driver.scheduleAtFixedRate(() -> {
            try {
                int n = sent.getAndIncrement();
                String token = tokens.get(n % tokens.size());
                BigInteger p = prices.get(token);
                // up on even turns of this market, down on odd: the price stays within 1 % of where it started
                BigInteger next = (n / tokens.size()) % 2 == 0 ? p.multiply(BigInteger.valueOf(101)).divide(BigInteger.valueOf(100))
                        : p.multiply(BigInteger.valueOf(100)).divide(BigInteger.valueOf(101));
                prices.put(token, next);
                nonce.set(node.chain.sendAll(admin, nonce.get(), node.deployment.oracle(),
                        List.of(oracle.submitAppraisal(token, next).encodeFunctionCall()), 200_000));
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }, 0, intervalMicros, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1_000L);
        driver.shutdown();
        driver.awaitTermination(10, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        node.awaitCaughtUp(120_000);
        // Subscribers behind by seconds are still reading: wait until nothing more arrives (at most a minute),
        // so every subscriber has what was published and the counts can be compared.
        long drainUntil = System.nanoTime() + 60_000_000_000L;
        long lastChange = System.nanoTime();
        long seen = subs.stream().mapToLong(s -> s.updates.get()).sum();
        while (System.nanoTime() - lastChange < 1_000_000_000L && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
            long now = subs.stream().mapToLong(s -> s.updates.get()).sum();
            if (now != seen) {
                seen = now;
                lastChange = System.nanoTime();
            }
        }
        double drained = Math.max(elapsed, (lastChange - t0) / 1e9);

        Phase phase = new Phase();
        phase.seconds = elapsed;
        phase.drainSeconds = drained - elapsed;
        long[] perMarketMax = new long[markets.size()];
        long[] perMarketMin = new long[markets.size()];
        java.util.Arrays.fill(perMarketMin, Long.MAX_VALUE);
        for (Subscriber s : subs) {
            phase.delivered += s.updates.get();
            if (s.status != null && s.status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                phase.cut++;
            } else {
                perMarketMax[s.market] = Math.max(perMarketMax[s.market], s.updates.get());
                perMarketMin[s.market] = Math.min(perMarketMin[s.market], s.updates.get());
            }
            for (int i = 0; i < s.samples; i++) {
                Long started = StepClock.STEP_STARTED.get(s.blocks[i]);
                if (started != null) {
                    phase.latency.add(s.times[i] - started);
                }
            }
            if (s.call != null) {
                s.call.cancel("benchmark over", null);
            }
        }
        if (filtered) {
            for (int m = 0; m < markets.size(); m++) {
                phase.published += perMarketMax[m];
                phase.consistentMarkets += perMarketMax[m] == perMarketMin[m] || perMarketMin[m] == Long.MAX_VALUE ? 1 : 0;
            }
        } else {
            phase.published = subs.get(0).updates.get();
            phase.consistentMarkets = markets.size();
        }
        if (slowOne != null) {
            slowOne.call.request(Integer.MAX_VALUE); // read what is left, to see how the stream ended
            slowOne.ended.await(10, TimeUnit.SECONDS);
            phase.slowReceived = slowOne.received.get();
            phase.slowStatus = slowOne.status == null ? "nothing yet (still open)"
                    : slowOne.status.getCode() + (slowOne.status.getDescription() == null ? ""
                    : " (" + slowOne.status.getDescription() + ")");
            if (slowOne.status == null) {
                slowOne.call.cancel("benchmark over", null);
            }
            slowChannel.shutdownNow();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " appraisals could not be sent");
        }
        return phase;
    }
}
