package io.freehold.node.chain;

import io.freehold.node.chain.RpcEndpoint.ChainCheck;
import io.freehold.node.chain.RpcException.Kind;
import io.freehold.types.BlockHeader;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The chain as the follower sees it: the head, block headers and logs, read from several JSON-RPC
 * endpoints so that no single one can stall the node or feed it wrong data.
 *
 * <ul>
 *   <li>Each call goes to the endpoints in configured order and moves to the next on failure; an
 *       endpoint with an open circuit breaker is skipped without a request.
 *   <li>The head is the best head among the endpoints that answer. An endpoint more than {@code
 *       lagToleranceBlocks} behind it is marked lagging; no endpoint is asked about a block it has
 *       not reported seeing, so a lagging one cannot answer "no logs there" for blocks it has not
 *       reached.
 *   <li>Logs come from {@code eth_getLogs} over adaptive ranges, never from {@code eth_newFilter},
 *       whose server-side state is lost behind load balancers and across restarts.
 * </ul>
 *
 * <p>Thread-safe. Blocking: every method waits for its answer (bounded by the configured timeouts,
 * retries and endpoints) and throws {@link RpcException} when none could give it.
 */
@Singleton
public final class ChainRpc implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChainRpc.class);

    private final RpcConfiguration config;
    private final Failover failover;
    private final LogFetcher logFetcher;
    private final ExecutorService headPolls;
    private final AtomicLong bestHead = new AtomicLong(-1);
    private final RpcResilience resilience = RpcResilience.create();

    public ChainRpc(RpcConfiguration config) {
        this.config = config;
        List<RpcEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < config.endpoints().size(); i++) {
            String url = config.endpoints().get(i);
            endpoints.add(
                    new RpcEndpoint(
                            "rpc" + (i + 1) + "/" + RpcEndpoint.hostPort(url),
                            url,
                            config,
                            resilience));
        }
        this.failover = new Failover(endpoints);
        this.logFetcher = new LogFetcher(failover, this::headersAt);
        AtomicInteger threads = new AtomicInteger();
        this.headPolls =
                Executors.newCachedThreadPool(
                        runnable -> {
                            Thread thread =
                                    new Thread(
                                            runnable,
                                            "chain-rpc-head-" + threads.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Reports every attempt on every endpoint to {@code observer} (metrics); replaces the previous
     * one.
     */
    public void observeCalls(RpcCallObserver observer) {
        failover.endpoints().forEach(e -> e.observe(observer));
    }

    /** Every endpoint's retry, circuit breaker and rate limiter, by endpoint name (metrics). */
    public RpcResilience resilience() {
        return resilience;
    }

    // ---- identity ---------------------------------------------------------------------------

    /** The chain id of the first endpoint that answers. */
    public long chainId() {
        return failover.call("eth_chainId", "the chain id", RpcEndpoint::chainId);
    }

    /**
     * Checks that every endpoint serves chain {@code expected}, and from then on checks each
     * endpoint that could not be reached now before it is first used (and skips it if it serves
     * another chain).
     *
     * @throws ChainIdMismatchException naming the endpoint, the expected and the actual chain id
     * @throws RpcException if no endpoint could be asked at all
     */
    public void requireChainId(long expected) {
        failover.expectChainId(expected);
        List<RpcException> failures = new ArrayList<>();
        int confirmed = 0;
        for (RpcEndpoint endpoint : failover.endpoints()) {
            try {
                long actual = endpoint.chainId();
                if (actual != expected) {
                    endpoint.chainCheck(ChainCheck.WRONG_CHAIN);
                    throw new ChainIdMismatchException(endpoint, expected, actual);
                }
                endpoint.chainCheck(ChainCheck.OK);
                confirmed++;
            } catch (RpcException e) {
                failures.add(e);
                LOG.warn(
                        "cannot check the chain id of {} now ({}); it is checked before its first use",
                        endpoint,
                        e.getMessage());
            }
        }
        if (confirmed == 0) {
            throw RpcException.unavailable("eth_chainId", "the chain id", failures);
        }
    }

    // ---- head -------------------------------------------------------------------------------

    /**
     * The highest block number any reachable endpoint reports, asking all of them at once. Waits up
     * to the request timeout for all answers; late answers still update their endpoint's state.
     * Marks each endpoint lagging or not against this head.
     */
    public long head() {
        Map<RpcEndpoint, Future<Long>> polls = new LinkedHashMap<>();
        for (RpcEndpoint endpoint : failover.endpoints()) {
            if (endpoint.chainCheck() != ChainCheck.WRONG_CHAIN) {
                polls.put(
                        endpoint,
                        headPolls.submit(
                                () -> {
                                    failover.requireRightChain(
                                            endpoint,
                                            "eth_blockNumber"); // a longer foreign chain must not
                                    // win
                                    return endpoint.blockNumber();
                                }));
            }
        }
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        List<RpcException> failures = new ArrayList<>();
        List<Future<Long>> late = new ArrayList<>();
        long best = -1;
        for (Map.Entry<RpcEndpoint, Future<Long>> poll : polls.entrySet()) {
            try {
                best =
                        Math.max(
                                best,
                                poll.getValue()
                                        .get(
                                                Math.max(0, deadline - System.nanoTime()),
                                                TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                late.add(poll.getValue());
                failures.add(
                        new RpcException(
                                Kind.TIMEOUT,
                                poll.getKey().name(),
                                "eth_blockNumber",
                                "no head within " + config.requestTimeout(),
                                null));
            } catch (ExecutionException e) {
                failures.add(
                        RpcErrors.classify(poll.getKey().name(), "eth_blockNumber", e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcException(Kind.UNAVAILABLE, null, "eth_blockNumber", "interrupted", e);
            }
        }
        // Nobody answered in time: rather than fail, wait for the slow ones (each is bounded by its
        // own timeout and retries).
        for (Future<Long> slow : late) {
            if (best >= 0) {
                break;
            }
            try {
                best = Math.max(best, slow.get());
            } catch (ExecutionException e) {
                // already listed as a timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcException(Kind.UNAVAILABLE, null, "eth_blockNumber", "interrupted", e);
            }
        }
        if (best < 0) {
            throw RpcException.unavailable("eth_blockNumber", "the head", failures);
        }
        bestHead.set(best);
        for (RpcEndpoint endpoint : failover.endpoints()) {
            long seen = endpoint.lastSeenHead();
            if (seen >= 0) {
                endpoint.lagging(best - seen > config.lagToleranceBlocks());
            }
        }
        return best;
    }

    // ---- headers ----------------------------------------------------------------------------

    /** The header of block {@code number}, from an endpoint that has seen it. */
    public BlockHeader header(long number) {
        requireBlockNumber(number);
        return failover.call(
                "eth_getBlockByNumber",
                "block " + number,
                number,
                endpoint -> endpoint.header(number));
    }

    /**
     * The headers of blocks {@code from..to}, in order, fetched in JSON-RPC batches of {@code
     * batchSize}.
     *
     * @throws BlockHashMismatchException if a header's parent hash is not the hash of the header
     *     before it: the chain reorganised during the fetch, or the endpoints disagree
     */
    public List<BlockHeader> headers(long from, long to) {
        requireRange(from, to);
        List<Long> numbers = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            numbers.add(n);
        }
        List<BlockHeader> headers = fetchHeaders(numbers);
        for (int i = 1; i < headers.size(); i++) {
            BlockHeader parent = headers.get(i - 1);
            BlockHeader child = headers.get(i);
            if (!child.parentHash().equals(parent.hash())) {
                throw new BlockHashMismatchException(
                        parent.number(),
                        parent.hash().hex(),
                        child.parentHash().hex(),
                        "the parent hash of block " + child.number());
            }
        }
        return headers;
    }

    /**
     * The headers of the given blocks, by number, fetched in batches. Unlike {@link #headers(long,
     * long)} the blocks need not be consecutive, so no parent hashes are checked.
     */
    public Map<Long, BlockHeader> headersAt(SortedSet<Long> numbers) {
        numbers.forEach(ChainRpc::requireBlockNumber);
        Map<Long, BlockHeader> byNumber = new HashMap<>();
        for (BlockHeader header : fetchHeaders(new ArrayList<>(numbers))) {
            byNumber.put(header.number(), header);
        }
        return byNumber;
    }

    private List<BlockHeader> fetchHeaders(List<Long> numbers) {
        List<BlockHeader> headers = new ArrayList<>(numbers.size());
        for (int i = 0; i < numbers.size(); i += config.batchSize()) {
            List<Long> batch = numbers.subList(i, Math.min(numbers.size(), i + config.batchSize()));
            long last = batch.get(batch.size() - 1);
            headers.addAll(
                    failover.call(
                            "eth_getBlockByNumber",
                            "blocks " + batch.get(0) + ".." + last,
                            last,
                            endpoint -> endpoint.headers(batch)));
        }
        return headers;
    }

    // ---- logs -------------------------------------------------------------------------------

    /**
     * The logs of {@code addresses} (all addresses if empty) in blocks {@code from..to}, in chain
     * order.
     */
    public List<Log> logs(long from, long to, List<String> addresses) {
        return logs(from, to, addresses, List.of(), false);
    }

    /** As {@link #logs(long, long, List, List, boolean)}, without verifying block hashes. */
    public List<Log> logs(long from, long to, List<String> addresses, List<List<String>> topics) {
        return logs(from, to, addresses, topics, false);
    }

    /**
     * The logs of {@code addresses} in blocks {@code from..to} matching {@code topics}, in (block
     * number, log index) order, each exactly once.
     *
     * @param addresses contract addresses; empty means any
     * @param topics per topic position, the values accepted there (any of them); a null or empty
     *     entry accepts anything; an empty list filters nothing
     * @param verifyBlockHashes also fetch the header of every block that has a log and check the
     *     log's block hash against it
     * @throws BlockHashMismatchException if verifying and a log belongs to a block that is no
     *     longer on the chain (a reorg during the fetch)
     */
    public List<Log> logs(
            long from,
            long to,
            List<String> addresses,
            List<List<String>> topics,
            boolean verifyBlockHashes) {
        requireRange(from, to);
        return logFetcher.fetch(
                from, to, List.copyOf(addresses), new ArrayList<>(topics), verifyBlockHashes);
    }

    // ---- any call: the liquidator's reads, simulations and sends --------------------------------

    /** One endpoint's answer to a {@link #broadcast}: the response, or why there was none. */
    public record EndpointAnswer<R>(String endpoint, R response, RpcException failure) {

        public boolean answered() {
            return response != null;
        }
    }

    /**
     * {@code method} on the first endpoint that can serve it, with the same failover, retry,
     * breaker, rate limit and chain check as every read of the follower.
     *
     * @param atBlock the block the call is about (only endpoints that have seen it are asked), or
     *     -1
     * @param isAnswer which JSON-RPC error objects are answers the caller reads (a revert), not
     *     failures
     * @throws RpcException when no endpoint could answer
     */
    public <R extends Response<?>> R request(
            String method,
            List<?> params,
            Class<R> type,
            long atBlock,
            Predicate<Response.Error> isAnswer) {
        return failover.call(
                method,
                method,
                atBlock,
                endpoint -> endpoint.request(method, params, type, isAnswer));
    }

    /**
     * {@code method} on every endpoint that serves the configured chain, each through its own
     * retry, breaker and rate limit: for a signed transaction (the more mempools see it, the sooner
     * it is mined, and one endpoint down must not hold it back) and for asking whether any endpoint
     * knows one.
     *
     * @return one answer or failure per endpoint, in configured order
     */
    public <R extends Response<?>> List<EndpointAnswer<R>> broadcast(
            String method, List<?> params, Class<R> type, Predicate<Response.Error> isAnswer) {
        List<EndpointAnswer<R>> answers = new ArrayList<>();
        for (RpcEndpoint endpoint : failover.endpoints()) {
            try {
                failover.requireRightChain(endpoint, method);
                answers.add(
                        new EndpointAnswer<>(
                                endpoint.name(),
                                endpoint.request(method, params, type, isAnswer),
                                null));
            } catch (RpcException e) {
                answers.add(new EndpointAnswer<>(endpoint.name(), null, e));
            }
        }
        return answers;
    }

    // ---- status -----------------------------------------------------------------------------

    /** Every endpoint's state, in configured order. */
    public List<EndpointStatus> status() {
        return failover.endpoints().stream().map(RpcEndpoint::status).toList();
    }

    /** The head {@link #head()} last returned, or -1. */
    public long bestHead() {
        return bestHead.get();
    }

    @Override
    @PreDestroy
    public void close() {
        headPolls.shutdownNow();
        failover.endpoints().forEach(RpcEndpoint::close);
    }

    private static void requireBlockNumber(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("block number must not be negative: " + number);
        }
    }

    private static void requireRange(long from, long to) {
        requireBlockNumber(from);
        if (to < from) {
            throw new IllegalArgumentException("empty block range " + from + ".." + to);
        }
    }
}
