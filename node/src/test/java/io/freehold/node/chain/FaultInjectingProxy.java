package io.freehold.node.chain;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A loopback HTTP proxy in front of a JSON-RPC endpoint (an anvil) whose faults a test switches
 * while it runs: HTTP 500, JSON-RPC error bodies, delays, hangs, dropped and reset connections,
 * "too many results" for wide {@code eth_getLogs}, a pinned (stale) {@code eth_blockNumber},
 * rewritten answers, and being down altogether (connection refused).
 *
 * <p>Plain sockets ({@link HttpWire}), so that a reset is a real TCP RST and "down" a real refused
 * connection; OkHttp forwards; {@link JsonRpcText} reads what it needs of the JSON.
 *
 * <p>Faults apply before forwarding, in this order: {@link #failNext}, then {@link #failAll}, then
 * {@link #randomFaults}; then the eth_getLogs range limits; then {@link #pinBlockNumber}.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    /** What can go wrong with one HTTP request. */
    public enum Fault {
        /** HTTP 500 with a text body. */
        HTTP_500,
        /** HTTP 200 with a JSON-RPC internal error (-32603) for every call in the request. */
        JSON_RPC_ERROR,
        /** HTTP 200 with a JSON-RPC invalid-params error (-32602): a deterministic failure. */
        INVALID_PARAMS,
        /** Wait {@code delay}, then forward. */
        DELAY,
        /** Wait {@code hang} (longer than the client's timeout), then forward to no one. */
        HANG,
        /** Close the connection without answering. */
        DROP,
        /** Reset the connection (TCP RST) without answering. */
        RESET
    }

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String JSON_TYPE = "application/json";

    private final String target;
    private final OkHttpClient forwarder;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket server;
    private volatile Future<?> acceptor;
    private volatile boolean closed;

    // Faults, switched by the test at any time.
    private final AtomicInteger failNextCount = new AtomicInteger();
    private volatile Fault failNextFault;
    private volatile Fault failAllFault;
    private volatile Random random;
    private volatile double randomProbability;
    private volatile List<Fault> randomChoices = List.of();
    private volatile Duration delay = Duration.ofMillis(50);
    private volatile Duration hang = Duration.ofSeconds(5);
    private volatile long logRangeLimit = Long.MAX_VALUE;
    private volatile long slowLogRangeLimit = Long.MAX_VALUE;
    private volatile long pinnedBlockNumber = -1;
    private final Map<String, UnaryOperator<String>> rewrites = new ConcurrentHashMap<>();

    // What happened, for assertions.
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger httpRequests = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private final AtomicInteger tooManyResults = new AtomicInteger();
    private final AtomicLong highestBlockAsked = new AtomicLong(-1);
    private final AtomicLong widestLogRangeServed = new AtomicLong();

    private FaultInjectingProxy(String target) throws IOException {
        this.target = target;
        this.forwarder =
                new OkHttpClient.Builder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(60))
                        .retryOnConnectionFailure(false)
                        .build();
        this.connections =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread = new Thread(runnable, "fault-proxy");
                            thread.setDaemon(true);
                            return thread;
                        });
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    /**
     * A proxy on a free loopback port forwarding to {@code targetUrl}, passing everything through.
     */
    public static FaultInjectingProxy start(String targetUrl) {
        try {
            return new FaultInjectingProxy(targetUrl);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    // ---- switches ----------------------------------------------------------------------------

    /** Every request fails with {@code fault} until {@link #heal()}. */
    public FaultInjectingProxy failAll(Fault fault) {
        failAllFault = fault;
        return this;
    }

    /** The next {@code count} requests fail with {@code fault}. */
    public FaultInjectingProxy failNext(int count, Fault fault) {
        failNextFault = fault;
        failNextCount.set(count);
        return this;
    }

    /** Each request fails with probability {@code p}, with a fault drawn from {@code choices}. */
    public FaultInjectingProxy randomFaults(long seed, double p, Fault... choices) {
        randomChoices = List.of(choices);
        randomProbability = p;
        random = new Random(seed);
        return this;
    }

    /** How long {@link Fault#DELAY} and {@link Fault#HANG} wait. */
    public FaultInjectingProxy delays(Duration delay, Duration hang) {
        this.delay = delay;
        this.hang = hang;
        return this;
    }

    /** eth_getLogs over more than {@code blocks} blocks answers a "too many results" error. */
    public FaultInjectingProxy limitLogRange(long blocks) {
        logRangeLimit = blocks;
        return this;
    }

    /** eth_getLogs over more than {@code blocks} blocks hangs, as a slow provider would. */
    public FaultInjectingProxy slowLogRangesWiderThan(long blocks) {
        slowLogRangeLimit = blocks;
        return this;
    }

    /** eth_blockNumber answers {@code blockNumber} without asking the target: a stale endpoint. */
    public FaultInjectingProxy pinBlockNumber(long blockNumber) {
        pinnedBlockNumber = blockNumber;
        return this;
    }

    /** Answers to requests whose (first) method is {@code method} pass through {@code rewrite}. */
    public FaultInjectingProxy rewrite(String method, UnaryOperator<String> rewrite) {
        rewrites.put(method, rewrite);
        return this;
    }

    /**
     * Stops listening and cuts every open connection: new connections are refused. Returns only
     * when that is so: the JDK closes a socket that another thread is blocked on only once that
     * thread wakes up, and until then the kernel still accepts connections on it.
     */
    public synchronized void down() {
        ServerSocket current = server;
        server = null;
        closeQuietly(current);
        Future<?> accepting = acceptor;
        if (accepting != null) {
            try {
                accepting.get(5, TimeUnit.SECONDS);
            } catch (Exception stillClosing) {
                // cancelled by close(), or slow: the checks in the accept loop and in handle()
                // still hold
            }
        }
        open.forEach(FaultInjectingProxy::closeQuietly);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!open.isEmpty() && System.nanoTime() < giveUp) {
            sleep(Duration.ofMillis(1));
        }
    }

    /** Listens again on the same port. */
    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listen(socket);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + port + " again", e);
        }
    }

    /** Back to a faithful proxy: no faults, no limits, no pinning, no rewriting, listening. */
    public synchronized FaultInjectingProxy heal() {
        failNextCount.set(0);
        failAllFault = null;
        random = null;
        logRangeLimit = Long.MAX_VALUE;
        slowLogRangeLimit = Long.MAX_VALUE;
        pinnedBlockNumber = -1;
        rewrites.clear();
        up();
        return this;
    }

    // ---- observations ------------------------------------------------------------------------

    /** JSON-RPC calls of {@code method} that reached the proxy (each call of a batch counts). */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    public int httpRequests() {
        return httpRequests.get();
    }

    public int faultsInjected() {
        return faults.get();
    }

    public int tooManyResultsAnswers() {
        return tooManyResults.get();
    }

    /**
     * The highest block number an eth_getLogs (toBlock) or eth_getBlockByNumber asked for, or -1.
     */
    public long highestBlockAsked() {
        return highestBlockAsked.get();
    }

    /** The widest eth_getLogs range forwarded to the target. */
    public long widestLogRangeServed() {
        return widestLogRangeServed.get();
    }

    @Override
    public void close() {
        closed = true;
        connections
                .shutdownNow(); // wakes delayed and hanging requests, so down() need not wait for
        // them
        down();
        forwarder.dispatcher().executorService().shutdown();
        forwarder.connectionPool().evictAll();
    }

    // ---- serving -----------------------------------------------------------------------------

    private void listen(ServerSocket socket) {
        server = socket;
        acceptor =
                connections.submit(
                        () -> {
                            while (!socket.isClosed()) {
                                try {
                                    Socket client = socket.accept();
                                    if (server != socket) {
                                        closeQuietly(client); // accepted in the moment down() was
                                        // closing the socket
                                        continue;
                                    }
                                    open.add(client);
                                    connections.execute(() -> serve(client));
                                } catch (IOException closedByDown) {
                                    return;
                                }
                            }
                        });
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (!closed) {
                String body = HttpWire.readRequest(in);
                if (body == null) {
                    return;
                }
                if (!handle(client, body, out)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // The client went away, or down() cut the connection.
        } finally {
            open.remove(client);
        }
    }

    /**
     * @return false if the connection must not be used again
     */
    private boolean handle(Socket client, String body, OutputStream out) throws IOException {
        if (server == null) {
            return false; // down() is cutting this connection; a dead endpoint answers nothing
        }
        httpRequests.incrementAndGet();
        List<String> methods = JsonRpcText.methods(body);
        methods.forEach(m -> calls.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet());
        String method = methods.isEmpty() ? "?" : methods.get(0);
        noteBlocks(method, body);

        Fault fault = nextFault();
        if (fault != null) {
            faults.incrementAndGet();
            switch (fault) {
                case HTTP_500 -> {
                    HttpWire.write(out, 500, "text/plain", "injected failure");
                    return true;
                }
                case JSON_RPC_ERROR -> {
                    HttpWire.write(
                            out,
                            200,
                            JSON_TYPE,
                            JsonRpcText.errors(body, -32603, "internal error (injected)"));
                    return true;
                }
                case INVALID_PARAMS -> {
                    HttpWire.write(
                            out,
                            200,
                            JSON_TYPE,
                            JsonRpcText.errors(body, -32602, "invalid params (injected)"));
                    return true;
                }
                case DELAY -> sleep(delay);
                case HANG -> {
                    sleep(hang);
                    return false;
                }
                case DROP -> {
                    client.close();
                    return false;
                }
                case RESET -> {
                    client.setSoLinger(true, 0);
                    client.close();
                    return false;
                }
            }
        }

        if (method.equals("eth_getLogs")) {
            long width = JsonRpcText.logRangeWidth(body);
            if (width > slowLogRangeLimit) {
                sleep(hang);
                return false;
            }
            if (width > logRangeLimit) {
                tooManyResults.incrementAndGet();
                HttpWire.write(
                        out,
                        200,
                        JSON_TYPE,
                        JsonRpcText.errors(body, -32005, "query returned more than 10000 results"));
                return true;
            }
            widestLogRangeServed.accumulateAndGet(width, Math::max);
        }
        long pinned = pinnedBlockNumber;
        if (method.equals("eth_blockNumber") && pinned >= 0) {
            HttpWire.write(
                    out,
                    200,
                    JSON_TYPE,
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                            + JsonRpcText.firstId(body)
                            + ",\"result\":\"0x"
                            + Long.toHexString(pinned)
                            + "\"}");
            return true;
        }

        String answer;
        int status;
        try (Response response =
                forwarder
                        .newCall(
                                new Request.Builder()
                                        .url(target)
                                        .post(RequestBody.create(body, JSON))
                                        .build())
                        .execute()) {
            status = response.code();
            answer = response.body() == null ? "" : response.body().string();
        } catch (IOException targetDown) {
            HttpWire.write(out, 502, "text/plain", "target unreachable: " + targetDown);
            return true;
        }
        UnaryOperator<String> rewrite = rewrites.get(method);
        if (rewrite != null) {
            answer = rewrite.apply(answer);
        }
        HttpWire.write(out, status, JSON_TYPE, answer);
        return true;
    }

    private Fault nextFault() {
        if (failNextCount.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return failNextFault;
        }
        Fault all = failAllFault;
        if (all != null) {
            return all;
        }
        Random r = random;
        if (r != null) {
            synchronized (r) {
                if (r.nextDouble() < randomProbability) {
                    return randomChoices.get(r.nextInt(randomChoices.size()));
                }
            }
        }
        return null;
    }

    private void noteBlocks(String method, String body) {
        for (long block : JsonRpcText.blocksAsked(method, body)) {
            highestBlockAsked.accumulateAndGet(block, Math::max);
        }
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
