package io.freehold.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.PositionServiceGrpc;
import io.freehold.proto.v1.WatchPositionsRequest;
import io.freehold.types.MarketId;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;

/**
 * Streams (issue 14): the real node on anvil with {@code perMarket} supply positions in each of its
 * three markets; appraisals move (±1 %) at a fixed rate, each publishing an update of every
 * position of its market, so the feed publishes about {@code rate} updates per second. Subscribers
 * watch over loopback gRPC in the batched form (one message per follower step), as the Java SDK
 * does; their client reads each message as bytes and decodes only the outer cursor and the count of
 * events (a client that parses every position measures the client). Delivery latency runs from the
 * moment the follower's step reached the node's listeners ({@link StepClock}: before valuing,
 * journaling and sending) to the client's receipt.
 *
 * <p>Runs: one unfiltered subscriber, batched and (for comparison) one message per event; then
 * {@code subscribers} subscribers, each watching one market, plus one that never reads; then the
 * node restarts and all of them resume at once. <b>The limit baseline</b>: a bare grpc-java server
 * in the same JVM pushing pre-serialized messages of the same size and event count to the same
 * number of subscribers over loopback, on the same schedule (latency) and flat out (throughput).
 */
final class StreamBench implements Benchmark {

    private static final int SAMPLES_PER_SUBSCRIBER = 20_000;

    /** Responses as they come off the wire: the client decodes only what it needs. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES =
            new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    try {
                        return stream.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };

    /**
     * Responses decoded as they come off the wire, from the transport's stream: only the top level
     * (see {@link Decoded}), without first copying the message into an array. The clients share the
     * node's JVM, so what they allocate is collected in the node's pauses: a client that copied
     * each 0.5–1 MB batch twice (as {@code readAllBytes} does) made about two fifths of the garbage
     * of a one-subscriber run.
     */
    static final MethodDescriptor.Marshaller<Decoded> DECODED =
            new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(Decoded value) {
                    throw new UnsupportedOperationException("the clients only read");
                }

                @Override
                public Decoded parse(InputStream stream) {
                    return decode(CodedInputStream.newInstance(stream));
                }
            };

    private static final MethodDescriptor<WatchPositionsRequest, Decoded> WATCH =
            PositionServiceGrpc.getWatchPositionsMethod().toBuilder(
                            PositionServiceGrpc.getWatchPositionsMethod().getRequestMarshaller(),
                            DECODED)
                    .build();

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
        // quick: smaller than the default, so the reader that stops is cut within the short run,
        // yet larger than an
        // unfiltered snapshot (a subscriber is first sent every position)
        int buffer = quick ? 1_000 : 10_000;
        Result r =
                new Result(
                        name(),
                        String.format(
                                "Streams: WatchPositions over loopback at %,d updates/s", rate));
        try (LocalNode node = LocalNode.deploy(work)) {
            ChainPositions.create(node, perMarket);
            Map<String, Object> config = Map.of("freehold.node.api.streams.buffer", buffer);
            node.start(config);
            node.awaitCaughtUp(120_000);
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < (quick ? 2 : 10); i++) {
                channels.add(
                        ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                                .usePlaintext()
                                .build());
            }
            try {
                // A warm-up run (not counted: the JIT compiles the node's and the clients' paths),
                // then one subscriber batched, long enough for a p99 of its bursts (40 s: 120 to
                // 130 bursts, so the p99 is the second slowest, not the slowest as in 40 bursts),
                // and the same unbatched.
                phase(node, channels, 1, false, false, true, perMarket, rate, quick ? 1 : 3, false);
                Phase single =
                        phase(
                                node,
                                channels,
                                1,
                                false,
                                false,
                                true,
                                perMarket,
                                rate,
                                quick ? 2 : 40,
                                false);
                Phase singleOld =
                        phase(
                                node,
                                channels,
                                1,
                                false,
                                false,
                                false,
                                perMarket,
                                rate,
                                quick ? 2 : 5,
                                false);
                if (Boolean.getBoolean("freehold.bench.streams.single")) {
                    // Only the one-subscriber runs (-Dfreehold.bench.streams.single=true, about 70
                    // s): for profiling the step, which they time without the fan-out's queueing.
                    r.figure(
                            String.format(
                                    "p99 delivery, one subscriber, %,d-position bursts (batched)",
                                    perMarket),
                            single.latency.p99(),
                            "ms",
                            "p99, the same, one message per position (unbatched)",
                            singleOld.latency.p99());
                    r.figure(
                            "p50 delivery, one subscriber (batched)",
                            single.latency.p50(),
                            "ms",
                            "p50, unbatched",
                            singleOld.latency.p50());
                    r.figure(
                            "max delivery, one subscriber (batched)",
                            single.latency.max(),
                            "ms",
                            "max, unbatched",
                            singleOld.latency.max());
                    r.figure(
                            "follower thread CPU per 1,000 updates published (batched)",
                            single.followerCpuMillis * 1_000 / Math.max(1, single.published),
                            "ms",
                            "the same, unbatched",
                            singleOld.followerCpuMillis * 1_000 / Math.max(1, singleOld.delivered));
                    r.fact("single.published", single.published)
                            .fact("single.samples", single.latency.size())
                            .fact("singleOld.delivered", singleOld.delivered);
                    return r;
                }
                Phase fan =
                        phase(
                                node,
                                channels,
                                subscribers,
                                true,
                                true,
                                true,
                                perMarket,
                                rate,
                                seconds,
                                true);
                Storm storm = storm(node, config, fan.subs);
                channels.forEach(ManagedChannel::shutdownNow);
                channels.clear();

                // The limit: a bare server, messages of the fan-out's mean size and event count.
                int size = (int) Math.max(64, fan.bytes / Math.max(1, fan.messages));
                int events =
                        (int)
                                Math.max(
                                        1,
                                        Math.round(
                                                (double) fan.delivered
                                                        / Math.max(1, fan.messages)));
                Bare bare;
                try (BareServer server = new BareServer()) {
                    bare =
                            server.run(
                                    quick ? 2 : 10,
                                    subscribers,
                                    size,
                                    events,
                                    perMarket,
                                    rate,
                                    seconds);
                }

                r.figure(
                        String.format(
                                "p50 delivery, %,d subscribers (one market each, batched)",
                                subscribers),
                        fan.latency.p50(),
                        "ms",
                        "p50, bare gRPC server, same messages and schedule",
                        bare.latency.p50());
                r.figure(
                        String.format("p99 delivery, %,d subscribers", subscribers),
                        fan.latency.p99(),
                        "ms",
                        "p99, bare server",
                        bare.latency.p99());
                r.figure(
                        String.format("max delivery, %,d subscribers", subscribers),
                        fan.latency.max(),
                        "ms",
                        "max, bare server",
                        bare.latency.max());
                r.figure(
                        String.format(
                                "p99 delivery, one subscriber, %,d-position bursts (batched)",
                                perMarket),
                        single.latency.p99(),
                        "ms",
                        "p99, the same, one message per position (unbatched)",
                        singleOld.latency.p99());
                r.figure(
                        "position updates delivered per second, all subscribers",
                        fan.delivered / (fan.seconds + fan.drainSeconds),
                        "updates/s",
                        "bare server, same messages and schedule",
                        bare.eventsPerSecond);
                r.figure(
                        "bytes delivered per second, all subscribers (at the offered load)",
                        fan.bytes / 1e6 / (fan.seconds + fan.drainSeconds),
                        "MB/s",
                        "bare server flat out (the machine's limit)",
                        bare.flatOutBytesPerSecond / 1e6);
                r.figure(
                        "updates published per second (fan-out run)",
                        fan.published / fan.seconds,
                        "updates/s",
                        "published per second, one subscriber",
                        single.published / single.seconds);
                r.figure(
                        "time after the last appraisal until every subscriber had every update",
                        fan.drainSeconds,
                        "s",
                        "the same, one subscriber",
                        single.drainSeconds);
                r.figure("subscribers cut as slow (of those reading)", fan.cut, "");
                r.figure(
                        String.format("after a node restart, all %,d resumed within", storm.count),
                        storm.allSeconds,
                        "s");
                r.figure("of them, resynced (a snapshot instead of a resume)", storm.resynced, "");
                r.fact("subscribers", subscribers)
                        .fact("perMarket", perMarket)
                        .fact("single.published", single.published)
                        .fact("single.delivered", single.delivered)
                        .fact("fan.published", fan.published)
                        .fact("fan.delivered", fan.delivered)
                        .fact("fan.cut", fan.cut)
                        .fact("fan.consistentMarkets", fan.consistentMarkets)
                        .fact("fan.samples", fan.latency.size())
                        .fact("fan.p50", fan.latency.p50())
                        .fact("fan.p99", fan.latency.p99())
                        .fact("fan.max", fan.latency.max())
                        .fact("fan.bytes", fan.bytes)
                        .fact("fan.messages", fan.messages)
                        .fact("single.samples", single.latency.size())
                        .fact("singleOld.samples", singleOld.latency.size())
                        .fact("singleOld.delivered", singleOld.delivered)
                        .fact("slow.received", fan.slowReceived)
                        .fact(
                                "slow.endedSlowConsumer",
                                fan.slowStatus.startsWith("RESOURCE_EXHAUSTED") ? 1 : 0)
                        .fact("single.cut", single.cut)
                        .fact("storm.count", storm.count)
                        .fact("storm.resumed", storm.resumed)
                        .fact("storm.resynced", storm.resynced)
                        .fact("storm.answered", storm.resumed + storm.resynced)
                        .fact("bare.samples", bare.latency.size())
                        .fact("bare.flatOutBytes", bare.flatOutBytes)
                        .fact("bare.delivered", bare.delivered)
                        .fact("bare.sent", bare.sent)
                        .fact("bare.p50", bare.latency.p50())
                        .fact("bare.p99", bare.latency.p99())
                        .fact("bare.max", bare.latency.max());
                r.note(
                        "%,d supply positions per market × 3 markets on chain; one appraisal every %d ms; %d s per run;"
                                + " server buffer %,d events per subscriber (freehold.node.api.streams.buffer)",
                        perMarket, 1_000 * perMarket / rate, seconds, buffer);
                r.note(
                        "batched messages (WatchPositionsRequest.batched): mean %,d bytes and %,d position updates per"
                                + " message in the fan-out run; the bare server sends messages of that size and count",
                        size, events);
                r.note(
                        "the reader that never reads: got %,d events, then the node ended its stream with %s; of the"
                                + " others, in %d of %d markets every subscriber got the same number of updates",
                        fan.slowReceived, fan.slowStatus, fan.consistentMarkets, 3);
                r.note(
                        "restart: the node was stopped and started on the same store and port; the %,d subscribers then"
                                + " all called again at once with their last cursor: %,d resumed, %,d resynced; the last answer"
                                + " came %.2f s after the node served again (%.1f s to start)",
                        storm.count,
                        storm.resumed,
                        storm.resynced,
                        storm.allSeconds,
                        storm.startSeconds);
                r.note(
                        "clients run in the benchmark's JVM, next to the node and anvil, on the same cores");
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
        return r;
    }

    /** What one run measured. */
    private static final class Phase {
        final Latencies latency = new Latencies();
        final List<Subscriber> subs = new ArrayList<>();
        double seconds;
        double drainSeconds;
        long published;
        long delivered;
        long bytes;
        long messages;
        int cut;
        int consistentMarkets;
        long slowReceived;
        String slowStatus = "";
        double followerCpuMillis; // CPU time of the node's follower thread during the run
    }

    /**
     * CPU nanoseconds the node's follower thread (chain reads, store commit, the risk engine and
     * the feed: the step's whole path up to the send) has used so far; -1 if not found.
     */
    private static long followerCpuNanos() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("freehold-follower")) {
                return threads.getThreadCpuTime(t.getId());
            }
        }
        return -1;
    }

    /** What the top level of one message says; the client decodes nothing else. */
    static final class Decoded {
        long block;
        boolean snapshot; // snapshot or snapshot_end
        boolean snapshotEnd;
        boolean heartbeat;
        int events; // updates (1), or the events of a batch
        byte[] cursor; // the cursor's bytes
        int length; // of the whole message
    }

    static Decoded decode(CodedInputStream in) {
        Decoded d = new Decoded();
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        d.cursor = in.readByteArray();
                        CodedInputStream c = CodedInputStream.newInstance(d.cursor);
                        int t;
                        while ((t = c.readTag()) != 0) {
                            if (WireFormat.getTagFieldNumber(t) == 1) {
                                d.block = c.readUInt64();
                            } else {
                                c.skipField(t);
                            }
                        }
                    }
                    case 2, 3 -> {
                        d.snapshot = true;
                        d.snapshotEnd = WireFormat.getTagFieldNumber(tag) == 3;
                        in.skipField(tag);
                    }
                    case 4 -> {
                        d.events = 1;
                        in.skipField(tag);
                    }
                    case 7 -> {
                        d.heartbeat = true;
                        in.skipField(tag);
                    }
                    case 8 -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        int t;
                        while ((t = in.readTag()) != 0) {
                            d.events += WireFormat.getTagFieldNumber(t) == 1 ? 1 : 0;
                            in.skipField(t);
                        }
                        in.popLimit(limit);
                    }
                    default -> in.skipField(tag);
                }
            }
            d.length = in.getTotalBytesRead();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /**
     * One subscriber: counts and samples (block, receive time) of updates at or after {@code
     * fromBlock}.
     */
    static final class Subscriber implements ClientResponseObserver<Object, Decoded> {
        final int market;
        final boolean reads;
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch snapshotRead = new CountDownLatch(1); // its snapshot_end arrived
        final CountDownLatch ended = new CountDownLatch(1);
        final long[] blocks = new long[SAMPLES_PER_SUBSCRIBER];
        final long[] times = new long[SAMPLES_PER_SUBSCRIBER];
        volatile long fromBlock = Long.MAX_VALUE;
        final AtomicLong received = new AtomicLong();
        final AtomicLong updates = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        volatile Status status;
        volatile byte[] lastCursor; // of the last message not inside a snapshot
        volatile long lastBlock = -1; // the block of lastCursor: every step up to it has arrived
        volatile long firstNanos;
        volatile boolean firstWasSnapshot;
        int samples;
        ClientCallStreamObserver<Object> call;

        Subscriber(int market, boolean reads) {
            this.market = market;
            this.reads = reads;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
            call = requestStream;
            if (!reads) {
                requestStream.disableAutoRequestWithInitial(
                        1); // takes one message, then stops reading
            }
        }

        @Override
        public void onNext(Decoded e) {
            long now = System.nanoTime();
            if (received.getAndIncrement() == 0) {
                firstNanos = now;
                firstWasSnapshot = e.snapshot;
            }
            first.countDown();
            if (e.snapshotEnd) {
                snapshotRead.countDown();
            }
            if (!e.snapshot) {
                lastCursor = e.cursor;
                if (e.cursor != null) {
                    lastBlock = Math.max(lastBlock, e.block);
                }
            }
            if (e.events > 0 && e.block >= fromBlock) {
                updates.addAndGet(e.events);
                bytes.addAndGet(e.length);
                messages.incrementAndGet();
                synchronized (this) {
                    if (samples < SAMPLES_PER_SUBSCRIBER) {
                        blocks[samples] = e.block;
                        times[samples++] = now;
                    }
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void watch(
            ManagedChannel channel,
            WatchPositionsRequest request,
            Subscriber s,
            boolean waitForReady) {
        CallOptions options =
                waitForReady ? CallOptions.DEFAULT.withWaitForReady() : CallOptions.DEFAULT;
        ClientCalls.asyncServerStreamingCall(
                (io.grpc.ClientCall) channel.newCall(WATCH, options),
                request,
                (ClientResponseObserver) s);
    }

    private static WatchPositionsRequest request(MarketId market, boolean batched) {
        WatchPositionsRequest.Builder req = WatchPositionsRequest.newBuilder().setBatched(batched);
        if (market != null) {
            req.setFilter(PositionFilter.newBuilder().setMarketId(market.hex()));
        }
        return req.build();
    }

    private static Phase phase(
            LocalNode node,
            List<ManagedChannel> channels,
            int count,
            boolean filtered,
            boolean slow,
            boolean batched,
            int perMarket,
            int rate,
            int seconds,
            boolean keepOpen)
            throws Exception {
        List<MarketId> markets = node.markets();
        Phase phase = new Phase();
        List<Subscriber> subs = phase.subs;
        for (int i = 0; i < count; i++) {
            Subscriber s = new Subscriber(i % markets.size(), true);
            watch(
                    channels.get(i % channels.size()),
                    request(filtered ? markets.get(s.market) : null, batched),
                    s,
                    false);
            subs.add(s);
        }
        Subscriber slowOne = null;
        ManagedChannel slowChannel = null;
        if (slow) {
            slowOne = new Subscriber(-1, false);
            // Its own connection with a 64 KiB HTTP/2 window (grpc-java's default is 1 MiB, some
            // thousands of
            // these events): a client that stops reading fills any window; a small one just fills
            // sooner.
            slowChannel =
                    NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                            .usePlaintext()
                            .flowControlWindow(64 * 1024)
                            .build();
            watch(slowChannel, WatchPositionsRequest.getDefaultInstance(), slowOne, false);
        }
        // The appraisals start once every subscriber has read its snapshot: the runs measure the
        // live stream, not 1,000 snapshots being read while live steps queue behind them (which
        // the server's buffer would end as slow consumers).
        for (Subscriber s : subs) {
            if (!s.snapshotRead.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a subscriber did not read its snapshot in 120 s");
            }
        }
        long from = node.chain.head() + 1;
        subs.forEach(s -> s.fromBlock = from);
        if (slowOne != null) {
            slowOne.fromBlock = from;
        }

        // The appraiser: one ±1 % appraisal every interval, markets in turn, signed here and not
        // awaited.
        Credentials admin = node.anvil.credentials(0);
        AppraisalOracle oracle =
                AppraisalOracle.load(
                        node.deployment.oracle(),
                        node.anvil.web3j(),
                        node.anvil.transactionManager(admin),
                        LocalSystem.GAS);
        List<String> tokens = new ArrayList<>();
        Map<String, BigInteger> prices = new HashMap<>();
        for (var m : node.deployment.markets().values()) {
            tokens.add(m.propertyToken());
            prices.put(
                    m.propertyToken(), oracle.latestPrice(m.propertyToken()).send().component1());
        }
        AtomicLong nonce = new AtomicLong(node.chain.pendingNonce(admin));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long intervalMicros = 1_000_000L * perMarket / rate;
        ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
        long cpu0 = followerCpuNanos();
        long t0 = System.nanoTime();
        driver.scheduleAtFixedRate(
                () -> {
                    try {
                        int n = sent.getAndIncrement();
                        String token = tokens.get(n % tokens.size());
                        BigInteger p = prices.get(token);
                        // up on even turns of this market, down on odd: the price stays within 1 %
                        // of where it started
                        BigInteger next =
                                (n / tokens.size()) % 2 == 0
                                        ? p.multiply(BigInteger.valueOf(101))
                                                .divide(BigInteger.valueOf(100))
                                        : p.multiply(BigInteger.valueOf(100))
                                                .divide(BigInteger.valueOf(101));
                        prices.put(token, next);
                        nonce.set(
                                node.chain.sendAll(
                                        admin,
                                        nonce.get(),
                                        node.deployment.oracle(),
                                        List.of(
                                                oracle.submitAppraisal(token, next)
                                                        .encodeFunctionCall()),
                                        200_000));
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                },
                0,
                intervalMicros,
                TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1_000L);
        driver.shutdown();
        driver.awaitTermination(10, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        node.awaitCaughtUp(120_000);
        long cpu1 = followerCpuNanos();
        phase.followerCpuMillis = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e6;
        long lastStep = node.engine().asOf().orElseThrow().number();
        // Subscribers behind by seconds are still reading: wait until every one still open has a
        // message (a batch or a heartbeat, both in order after the events) at the last step's block
        // and nothing more arrives, so the counts can be compared. A pause of the machine longer
        // than
        // the quiet second must not end the drain early: the block, not the quiet, says it is done.
        // At most two minutes.
        long drainUntil = System.nanoTime() + 120_000_000_000L;
        long lastChange = System.nanoTime();
        long seen = subs.stream().mapToLong(s -> s.updates.get()).sum();
        while ((System.nanoTime() - lastChange < 1_000_000_000L || !allAt(subs, lastStep))
                && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
            long now = subs.stream().mapToLong(s -> s.updates.get()).sum();
            if (now != seen) {
                seen = now;
                lastChange = System.nanoTime();
            }
        }
        double drained = Math.max(elapsed, (lastChange - t0) / 1e9);

        phase.seconds = elapsed;
        phase.drainSeconds = drained - elapsed;
        long[] perMarketMax = new long[markets.size()];
        long[] perMarketMin = new long[markets.size()];
        java.util.Arrays.fill(perMarketMin, Long.MAX_VALUE);
        for (Subscriber s : subs) {
            phase.delivered += s.updates.get();
            phase.bytes += s.bytes.get();
            phase.messages += s.messages.get();
            if (s.status != null && s.status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                phase.cut++;
            } else {
                perMarketMax[s.market] = Math.max(perMarketMax[s.market], s.updates.get());
                perMarketMin[s.market] = Math.min(perMarketMin[s.market], s.updates.get());
            }
            synchronized (s) {
                for (int i = 0; i < s.samples; i++) {
                    Long started = StepClock.STEP_STARTED.get(s.blocks[i]);
                    if (started != null) {
                        phase.latency.add(s.times[i] - started);
                        if (count == 1 && Boolean.getBoolean("freehold.bench.streams.trace")) {
                            // each burst by wall clock, to line up with a flight recording
                            System.out.printf(
                                    "burst block %d (step %d ns) at %s: %.1f ms%n",
                                    s.blocks[i],
                                    started,
                                    java.time.Instant.ofEpochMilli(
                                            System.currentTimeMillis()
                                                    - (System.nanoTime() - started) / 1_000_000),
                                    (s.times[i] - started) / 1e6);
                        }
                    }
                }
            }
            if (s.call != null && !keepOpen) {
                s.call.cancel("benchmark over", null);
            }
        }
        if (filtered) {
            for (int m = 0; m < markets.size(); m++) {
                phase.published += perMarketMax[m];
                phase.consistentMarkets +=
                        perMarketMax[m] == perMarketMin[m] || perMarketMin[m] == Long.MAX_VALUE
                                ? 1
                                : 0;
            }
        } else {
            phase.published = subs.get(0).updates.get();
            phase.consistentMarkets = markets.size();
        }
        if (slowOne != null) {
            // Read what is left, to see how the stream ended: the server cut it during the run,
            // but its status comes after everything queued before the cut. Two minutes at most,
            // only spent when the stream is still open (a loaded machine reads slowly).
            slowOne.call.request(Integer.MAX_VALUE);
            slowOne.ended.await(120, TimeUnit.SECONDS);
            phase.slowReceived = slowOne.received.get();
            phase.slowStatus =
                    slowOne.status == null
                            ? "nothing yet (still open)"
                            : slowOne.status.getCode()
                                    + (slowOne.status.getDescription() == null
                                            ? ""
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

    /** Whether every subscriber that reads and is still open has had a message at {@code block}. */
    private static boolean allAt(List<Subscriber> subs, long block) {
        return subs.stream()
                .filter(s -> s.reads && s.status == null)
                .allMatch(s -> s.lastBlock >= block);
    }

    /** A reconnection storm after a node restart. */
    private static final class Storm {
        int count;
        int resumed;
        int resynced;
        double allSeconds;
        double startSeconds;
    }

    /**
     * Stops the node (its streams end), starts it again on the same store and port, and has every
     * subscriber of {@code subs} call again at once with the last cursor it received: how long
     * until each had its first message, and whether that was a resume (anything but a snapshot) or
     * a resync.
     */
    private static Storm storm(LocalNode node, Map<String, Object> config, List<Subscriber> subs)
            throws Exception {
        // Quiet: every subscriber has had the node's last step (its batch, empty or not, ends the
        // step).
        long quietUntil = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < quietUntil) {
            long seen = subs.stream().mapToLong(s -> s.received.get()).sum();
            Thread.sleep(1_000);
            if (subs.stream().mapToLong(s -> s.received.get()).sum() == seen) {
                break;
            }
        }
        List<MarketId> markets = node.markets();
        int port = node.grpcPort();
        long t0 = System.nanoTime();
        node.restartOnPort(config, port);
        long serving = System.nanoTime();
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            channels.add(
                    ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        Storm storm = new Storm();
        storm.startSeconds = (serving - t0) / 1e9;
        List<Subscriber> again = new ArrayList<>();
        try {
            for (int i = 0; i < subs.size(); i++) {
                Subscriber old = subs.get(i);
                Subscriber s = new Subscriber(old.market, true);
                WatchPositionsRequest.Builder req =
                        request(markets.get(old.market), true).toBuilder();
                if (old.lastCursor != null) {
                    req.setResumeAfter(Cursor.parseFrom(old.lastCursor));
                }
                watch(channels.get(i % channels.size()), req.build(), s, true);
                again.add(s);
            }
            long last = serving;
            for (Subscriber s : again) {
                if (!s.first.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a resuming subscriber got nothing in 60 s");
                }
                last = Math.max(last, s.firstNanos);
                if (s.firstWasSnapshot) {
                    storm.resynced++;
                } else if (s.status == null) {
                    storm.resumed++;
                }
                storm.count++;
            }
            storm.allSeconds = (last - serving) / 1e9;
            for (Subscriber s : again) {
                s.call.cancel("benchmark over", null);
            }
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
        return storm;
    }

    /** What the bare server measured. */
    private static final class Bare {
        final Latencies latency = new Latencies();
        long sent;
        long delivered;
        double eventsPerSecond;
        long flatOutBytes;
        double flatOutBytesPerSecond;
    }

    /**
     * The limit: a bare grpc-java server whose one streaming method writes pre-serialized messages
     * (the bytes as they are) to whoever subscribes, each subscriber drained while its call is
     * ready.
     */
    private static final class BareServer implements AutoCloseable {
        private static final MethodDescriptor<byte[], byte[]> METHOD =
                MethodDescriptor.<byte[], byte[]>newBuilder()
                        .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                        .setFullMethodName("bench.Bare/Watch")
                        .setRequestMarshaller(BYTES)
                        .setResponseMarshaller(BYTES)
                        .build();

        /** The same method as its clients call it: responses decoded as the node's are. */
        private static final MethodDescriptor<byte[], Decoded> CLIENT_METHOD =
                METHOD.toBuilder(BYTES, DECODED).build();

        private final Map<Integer, List<BareStream>> byMarket = new ConcurrentHashMap<>();
        private final List<BareStream> all = new CopyOnWriteArrayList<>();
        private final Server server;
        private volatile byte[] flatOut;
        private volatile long flatOutUntil;

        BareServer() throws IOException {
            server =
                    NettyServerBuilder.forPort(0)
                            .addService(
                                    ServerServiceDefinition.builder("bench.Bare")
                                            .addMethod(
                                                    METHOD,
                                                    ServerCalls.asyncServerStreamingCall(
                                                            (request, observer) -> {
                                                                BareStream s =
                                                                        new BareStream(
                                                                                (ServerCallStreamObserver<
                                                                                                byte
                                                                                                        []>)
                                                                                        observer);
                                                                byMarket.computeIfAbsent(
                                                                                (int) request[0],
                                                                                k ->
                                                                                        new CopyOnWriteArrayList<>())
                                                                        .add(s);
                                                                all.add(s);
                                                                s.offer(
                                                                        new byte[] {
                                                                            0x3A, 0
                                                                        }); // a first message (an
                                                                // empty heartbeat,
                                                                // field 7): subscribed
                                                            }))
                                            .build())
                            .build()
                            .start();
        }

        /**
         * One subscriber's stream: a queue drained while the call is ready; flat out, the same
         * message again.
         */
        private final class BareStream {
            final ServerCallStreamObserver<byte[]> call;
            final ArrayDeque<byte[]> queue = new ArrayDeque<>();

            BareStream(ServerCallStreamObserver<byte[]> call) {
                this.call = call;
                call.setOnReadyHandler(this::drain);
                call.setOnCancelHandler(() -> {});
            }

            synchronized void offer(byte[] message) {
                queue.addLast(message);
                drain();
            }

            synchronized void drain() {
                while (!queue.isEmpty() && call.isReady()) {
                    call.onNext(queue.removeFirst());
                }
                byte[] m = flatOut;
                while (m != null
                        && queue.isEmpty()
                        && call.isReady()
                        && System.nanoTime() < flatOutUntil) {
                    call.onNext(m);
                }
            }
        }

        /**
         * A message like a batch of the node's: cursor (block = {@code step}), then {@code events}
         * events.
         */
        static byte[] message(long step, int size, int events) throws IOException {
            Cursor cursor =
                    Cursor.newBuilder()
                            .setBlockNumber(step)
                            .setBlockHash("0x" + "00".repeat(32))
                            .setSequence(step)
                            .setStepEnd(true)
                            .build();
            int head = CodedOutputStream.computeMessageSize(1, cursor);
            int eventSize = Math.max(1, (size - head - 8) / events - 4);
            byte[] event = new byte[eventSize];
            int inner = events * CodedOutputStream.computeByteArraySize(1, event);
            byte[] out =
                    new byte
                            [head
                                    + CodedOutputStream.computeTagSize(8)
                                    + CodedOutputStream.computeUInt32SizeNoTag(inner)
                                    + inner];
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            o.writeMessage(1, cursor);
            o.writeTag(8, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(inner);
            for (int i = 0; i < events; i++) {
                o.writeByteArray(1, event);
            }
            o.checkNoSpaceLeft();
            return out;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Bare run(
                int channelCount,
                int count,
                int size,
                int events,
                int perMarket,
                int rate,
                int seconds)
                throws Exception {
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < channelCount; i++) {
                channels.add(
                        ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort())
                                .usePlaintext()
                                .build());
            }
            Bare bare = new Bare();
            List<Subscriber> subs = new ArrayList<>();
            Map<Long, Long> stepStarted = new ConcurrentHashMap<>();
            try {
                for (int i = 0; i < count; i++) {
                    Subscriber s = new Subscriber(i % 3, true);
                    s.fromBlock = 1;
                    ClientCalls.asyncServerStreamingCall(
                            channels.get(i % channels.size())
                                    .newCall(CLIENT_METHOD, CallOptions.DEFAULT),
                            new byte[] {(byte) s.market},
                            (ClientResponseObserver) s);
                    subs.add(s);
                }
                for (Subscriber s : subs) {
                    if (!s.first.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(
                                "a bare subscriber was not subscribed in 60 s");
                    }
                }
                // Same schedule: one message to every subscriber of a market every interval,
                // markets in turn.
                long intervalMicros = 1_000_000L * perMarket / rate;
                AtomicLong step = new AtomicLong();
                ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor();
                long t0 = System.nanoTime();
                driver.scheduleAtFixedRate(
                        () -> {
                            try {
                                long n = step.incrementAndGet();
                                byte[] m = message(n, size, events);
                                stepStarted.put(n, System.nanoTime());
                                for (BareStream s :
                                        byMarket.getOrDefault((int) (n % 3), List.of())) {
                                    s.offer(m);
                                    bare.sent += events;
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        0,
                        intervalMicros,
                        TimeUnit.MICROSECONDS);
                Thread.sleep(seconds * 1_000L);
                driver.shutdown();
                driver.awaitTermination(10, TimeUnit.SECONDS);
                long lastChange = System.nanoTime();
                long seen = -1;
                while (System.nanoTime() - lastChange < 1_000_000_000L) {
                    Thread.sleep(100);
                    long now = subs.stream().mapToLong(s -> s.updates.get()).sum();
                    if (now != seen) {
                        seen = now;
                        lastChange = System.nanoTime();
                    }
                }
                double elapsed = Math.max(seconds, (lastChange - t0) / 1e9);
                for (Subscriber s : subs) {
                    bare.delivered += s.updates.get();
                    synchronized (s) {
                        for (int i = 0; i < s.samples; i++) {
                            Long started = stepStarted.get(s.blocks[i]);
                            if (started != null) {
                                bare.latency.add(s.times[i] - started);
                            }
                        }
                    }
                }
                bare.eventsPerSecond = bare.delivered / elapsed;

                // Flat out: every stream writes the same message again whenever it is ready, for 3
                // s.
                long before = subs.stream().mapToLong(s -> s.bytes.get()).sum();
                flatOut = message(Long.MAX_VALUE / 2, size, events);
                long f0 = System.nanoTime();
                flatOutUntil = f0 + 3_000_000_000L;
                all.forEach(BareStream::drain);
                while (System.nanoTime() < flatOutUntil) {
                    Thread.sleep(50);
                }
                long got = subs.stream().mapToLong(s -> s.bytes.get()).sum() - before;
                bare.flatOutBytes = got;
                bare.flatOutBytesPerSecond = got / ((System.nanoTime() - f0) / 1e9);
                flatOut = null;
                for (Subscriber s : subs) {
                    s.call.cancel("benchmark over", null);
                }
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
            return bare;
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow();
            server.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
