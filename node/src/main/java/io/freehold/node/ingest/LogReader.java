package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.ingest.EventDecoder.Source;
import io.freehold.node.ingest.ProtocolEvent.MarketCreated;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Reads the logs of the followed contracts ({@code eth_getLogs}, only the events the node applies),
 * decodes them, and reads the next final range ahead while the current one is applied and
 * committed: the read-ahead fetches the logs, decodes them and fetches the headers the range is
 * committed with, so that fetching (network, JSON, decoding) and applying (memory, database) share
 * the cores instead of taking turns.
 *
 * <p>Used by the follower's thread only; the read-ahead runs on daemon threads of its own, one per
 * range.
 */
final class LogReader implements AutoCloseable {

    private final ChainRpc rpc;
    private final ContractAddresses contracts;
    private final EventDecoder decoder;
    private final RangeHeaders rangeHeaders;
    // One thread per range read ahead, so the ranges are in flight together: while one thread
    // decodes its range or asks for its headers, the node's RPC endpoint is already serving the
    // next range's logs, instead of waiting between requests (on anvil a sync with one thread was
    // bound by those gaps, not by the endpoint or the cores).
    private final ExecutorService prefetcher =
            Executors.newFixedThreadPool(
                    Follower.READ_AHEAD,
                    runnable -> {
                        Thread thread = new Thread(runnable, "freehold-log-prefetch");
                        thread.setDaemon(true);
                        return thread;
                    });
    private final ArrayDeque<Prefetch> prefetched = new ArrayDeque<>();

    /** A range being read ahead for the final range {@code from..to} of the given tokens. */
    private record Prefetch(
            long from, long to, boolean reversible, Set<Address> tokens, Future<Fetched> logs) {}

    /**
     * A range as read: its blocks, its logs in chain order, their events by block, the collateral
     * tokens of markets created on tokens not followed yet, and, for a final range without such
     * markets, the headers it is committed with ({@link RangeHeaders#withLogs}; null when not
     * read); for a reversible range read ahead, every header, read before the logs.
     */
    record Fetched(
            long from,
            long to,
            List<Log> logs,
            TreeMap<Long, List<ProtocolEvent>> byBlock,
            Set<Address> newTokens,
            Map<Long, BlockHeader> headers) {}

    LogReader(
            ChainRpc rpc,
            ContractAddresses contracts,
            EventDecoder decoder,
            RangeHeaders rangeHeaders) {
        this.rpc = rpc;
        this.contracts = contracts;
        this.decoder = decoder;
        this.rangeHeaders = rangeHeaders;
    }

    /**
     * The range {@code from..to}, decoded: the one read ahead if it is for exactly this range and
     * tokens.
     *
     * @param finalHeaders also read the headers of a final range (those of the blocks with logs,
     *     and the last)
     */
    Fetched read(long from, long to, Set<Address> tokens, boolean finalHeaders) {
        Set<Address> copy = Set.copyOf(tokens);
        return takePrefetched(from, to, !finalHeaders, tokens)
                .orElseGet(() -> fetchDecoded(from, to, copy, finalHeaders, null));
    }

    /**
     * The reversible range {@code from..to} if it was read ahead (its headers, then its logs),
     * ending at or before {@code to}; empty otherwise (read it now, headers first). Drops any other
     * read-ahead.
     */
    Optional<Fetched> readAheadReversible(long from, long to, Set<Address> tokens) {
        return takePrefetched(from, to, true, tokens);
    }

    /**
     * Logs, decoded with {@code tokens} as the followed tokens, and the final range's headers if
     * asked.
     */
    private Fetched fetchDecoded(
            long from,
            long to,
            Set<Address> tokens,
            boolean finalHeaders,
            Map<Long, BlockHeader> reversibleHeaders) {
        List<Log> logs = fetch(from, to, tokens, true);
        TreeMap<Long, List<ProtocolEvent>> byBlock = new TreeMap<>();
        Set<Address> newTokens = new LinkedHashSet<>();
        SortedSet<Long> logBlocks = new TreeSet<>();
        for (Log log : logs) {
            long block = blockOf(log);
            logBlocks.add(block);
            Optional<ProtocolEvent> event = decoder.decode(log, tokens::contains);
            if (event.isPresent()) {
                byBlock.computeIfAbsent(block, b -> new ArrayList<>()).add(event.get());
                if (event.get() instanceof MarketCreated created
                        && !tokens.contains(created.params().collateralToken())) {
                    newTokens.add(created.params().collateralToken());
                }
            }
        }
        // With new tokens the range's logs grow (mergeNewTokens), and so does the set of headers it
        // needs.
        Map<Long, BlockHeader> headers =
                reversibleHeaders != null
                        ? reversibleHeaders
                        : finalHeaders && newTokens.isEmpty()
                                ? rangeHeaders.withLogs(logBlocks, to)
                                : null;
        return new Fetched(from, to, logs, byBlock, newTokens, headers);
    }

    /**
     * Keeps up to {@code depth} consecutive ranges being read ahead, the first starting at {@code
     * from}: final ranges of at most {@code chunk} blocks up to {@code last}, then one reversible
     * range of at most {@code reversibleBlocks} up to {@code head} (its headers read before its
     * logs, as the follower reads a reversible range). What is already being read ahead from {@code
     * from} for these tokens is kept; anything else is dropped.
     */
    void readAhead(
            long from,
            long last,
            long chunk,
            int depth,
            long head,
            long reversibleBlocks,
            Set<Address> tokens) {
        Set<Address> copy = Set.copyOf(tokens);
        Prefetch first = prefetched.peekFirst();
        if (first != null && (first.from() != from || !first.tokens().equals(copy))) {
            discard();
        }
        long next = prefetched.isEmpty() ? from : prefetched.peekLast().to() + 1;
        if (!prefetched.isEmpty() && prefetched.peekLast().reversible()) {
            return; // nothing is read ahead past a reversible range
        }
        while (prefetched.size() < depth && next <= head) {
            long start = next;
            if (next <= last) {
                long end = Math.min(last, next + chunk - 1);
                prefetched.addLast(
                        new Prefetch(
                                start,
                                end,
                                false,
                                copy,
                                prefetcher.submit(
                                        () -> fetchDecoded(start, end, copy, true, null))));
                next = end + 1;
            } else {
                long end = Math.min(head, next + reversibleBlocks - 1);
                prefetched.addLast(
                        new Prefetch(
                                start,
                                end,
                                true,
                                copy,
                                prefetcher.submit(
                                        () -> {
                                            Map<Long, BlockHeader> headers =
                                                    rangeHeaders.all(start, end); // before the logs
                                            return fetchDecoded(start, end, copy, false, headers);
                                        })));
                return;
            }
        }
    }

    /** Drops what was read ahead: the chain it was read from may be gone. */
    void discard() {
        for (Prefetch p : prefetched) {
            p.logs().cancel(true);
        }
        prefetched.clear();
    }

    /**
     * The range read ahead from {@code from} for these tokens, if it ends at or before {@code to}
     * (the caller then applies up to its end); drops any other read-ahead.
     */
    private Optional<Fetched> takePrefetched(
            long from, long to, boolean reversible, Set<Address> tokens) {
        Prefetch p = prefetched.peekFirst();
        if (p == null) {
            return Optional.empty();
        }
        if (p.from() != from
                || p.to() > to
                || p.reversible() != reversible
                || !p.tokens().equals(Set.copyOf(tokens))) {
            discard();
            return Optional.empty();
        }
        prefetched.pollFirst();
        try {
            return Optional.of(p.logs().get());
        } catch (ExecutionException e) {
            discard(); // the ones after it may have failed the same way; read again from here
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // as if read now: the step fails and is retried
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while reading logs " + from + ".." + to, e);
        }
    }

    /** Stops reading ahead. */
    @Override
    public void close() {
        prefetcher.shutdownNow();
    }

    /** The logs of the followed contracts, only the events the node applies. */
    private List<Log> fetch(long from, long to, Set<Address> tokens, boolean coreContracts) {
        List<String> addresses = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        if (coreContracts) {
            addresses.add(contracts.lendingPool().hex());
            addresses.add(contracts.oracle().hex());
            addresses.add(contracts.identityRegistry().hex());
            topics.addAll(EventDecoder.topics(Source.POOL));
            topics.addAll(EventDecoder.topics(Source.ORACLE));
            topics.addAll(EventDecoder.topics(Source.REGISTRY));
            contracts
                    .dutchAuction()
                    .ifPresent(
                            auction -> {
                                addresses.add(auction.hex());
                                topics.addAll(EventDecoder.topics(Source.AUCTION));
                            });
        }
        if (!tokens.isEmpty()) {
            tokens.stream().sorted().forEach(t -> addresses.add(t.hex()));
            topics.addAll(EventDecoder.topics(Source.TOKEN));
        }
        return rpc.logs(from, to, addresses, List.of(topics));
    }

    /**
     * Adds the logs of tokens first met in this range: their history before the range is applied in
     * the block of the market's creation, just before it (it concerns only the token's own flags
     * and rent); their logs inside the range join the range in chain order. {@code byBlock} is
     * rebuilt.
     */
    List<Log> mergeNewTokens(
            List<Log> logs,
            Set<Address> newTokens,
            long from,
            long to,
            TreeMap<Long, List<ProtocolEvent>> byBlock,
            Predicate<Address> followed) {
        List<Log> tokenLogs = fetch(contracts.startBlock(), to, newTokens, false);
        List<ProtocolEvent> earlier = new ArrayList<>();
        List<Log> merged = new ArrayList<>(logs);
        for (Log log : tokenLogs) {
            Optional<ProtocolEvent> event = decoder.decode(log, newTokens::contains);
            if (event.isEmpty()) {
                continue;
            }
            long block = blockOf(log);
            if (block < from) {
                earlier.add(event.get());
            } else {
                merged.add(log);
            }
        }
        merged.sort(Comparator.comparing(Log::getBlockNumber).thenComparing(Log::getLogIndex));
        byBlock.clear();
        for (Log log : merged) {
            Optional<ProtocolEvent> event =
                    decoder.decode(log, t -> followed.test(t) || newTokens.contains(t));
            event.ifPresent(
                    e -> byBlock.computeIfAbsent(blockOf(log), b -> new ArrayList<>()).add(e));
        }
        if (!earlier.isEmpty()) {
            for (List<ProtocolEvent> blockEvents : byBlock.values()) {
                int at = indexOfCreation(blockEvents, newTokens);
                if (at >= 0) {
                    blockEvents.addAll(at, earlier);
                    break;
                }
            }
        }
        return merged;
    }

    private static int indexOfCreation(List<ProtocolEvent> events, Set<Address> tokens) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof MarketCreated created
                    && tokens.contains(created.params().collateralToken())) {
                return i;
            }
        }
        return -1;
    }

    /** The log's block number; web3j's getter parses the hex into a BigInteger on every call. */
    static long blockOf(Log log) {
        return Long.parseLong(log.getBlockNumberRaw().substring(2), 16);
    }
}
