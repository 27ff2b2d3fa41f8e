package io.freehold.node.chain;

import io.freehold.node.chain.RpcException.Kind;
import io.freehold.types.BlockHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Fetches the logs of a block range in chunks, each chunk with failover, and returns them in chain
 * order. Each endpoint sizes its chunks with its own {@link LogRangeSizer}. A chunk that is refused
 * as too large, or that times out, is fetched again narrower from the same block, so nothing is
 * skipped; chunks never overlap, so nothing is fetched twice. A chunk also never reaches past the
 * head its endpoint reported: an endpoint answers for blocks it has seen, or not at all.
 */
final class LogFetcher {

    /**
     * A log with its position decoded once: web3j's {@code Log} decodes its hex block number and
     * index on every getter call, which made sorting 10,000 logs cost more than fetching them.
     */
    private record Positioned(long block, long index, Log log) implements Comparable<Positioned> {
        static Positioned of(Log log) {
            return new Positioned(
                    Quantity.parse(log.getBlockNumberRaw()),
                    Quantity.parse(log.getLogIndexRaw()),
                    log);
        }

        @Override
        public int compareTo(Positioned other) {
            int byBlock = Long.compare(block, other.block);
            return byBlock != 0 ? byBlock : Long.compare(index, other.index);
        }
    }

    private final Failover failover;
    private final Function<SortedSet<Long>, Map<Long, BlockHeader>> headers;

    /**
     * @param headers the current headers of the given blocks, for hash verification
     */
    LogFetcher(Failover failover, Function<SortedSet<Long>, Map<Long, BlockHeader>> headers) {
        this.failover = failover;
        this.headers = headers;
    }

    private record Chunk(long to, List<Positioned> logs) {}

    List<Log> fetch(
            long from,
            long to,
            List<String> addresses,
            List<List<String>> topics,
            boolean verifyBlockHashes) {
        List<Positioned> logs = new ArrayList<>();
        long cursor = from;
        while (cursor <= to) {
            long start = cursor;
            AtomicBoolean narrowed = new AtomicBoolean();
            Chunk chunk;
            try {
                chunk =
                        failover.call(
                                "eth_getLogs",
                                "logs from block " + start,
                                start,
                                endpoint ->
                                        fetchChunk(
                                                endpoint, start, to, addresses, topics, narrowed));
            } catch (RpcException e) {
                // Refused or timed out: a range was narrowed, so try again from the same block.
                // Each
                // pass narrows some endpoint's range, and at the minimum width an endpoint's sizer
                // refuses to narrow, so this ends.
                if ((e.kind() == Kind.RANGE_TOO_LARGE || e.kind() == Kind.UNAVAILABLE)
                        && narrowed.get()) {
                    continue;
                }
                throw e;
            }
            logs.addAll(chunk.logs());
            cursor = chunk.to() + 1;
        }
        // Chunks arrive in block order and each is checked to lie inside its range, so sorting only
        // puts each block's logs in index order (endpoints already answer that way).
        logs.sort(null);
        if (verifyBlockHashes) {
            verify(logs);
        }
        List<Log> ordered = new ArrayList<>(logs.size());
        for (Positioned p : logs) {
            ordered.add(p.log());
        }
        return ordered;
    }

    private Chunk fetchChunk(
            RpcEndpoint endpoint,
            long from,
            long limit,
            List<String> addresses,
            List<List<String>> topics,
            AtomicBoolean narrowed) {
        LogRangeSizer range = endpoint.logRange();
        // Failover checked that the endpoint has seen block `from`; never ask it beyond its head.
        long to =
                Math.max(
                        from,
                        Math.min(
                                Math.min(limit, from + range.size() - 1), endpoint.lastSeenHead()));
        long width = to - from + 1;
        try {
            List<Positioned> logs =
                    check(endpoint, endpoint.logs(from, to, addresses, topics), from, to);
            range.succeeded(width, logs.size());
            return new Chunk(to, logs);
        } catch (RpcException e) {
            if (e.kind() == Kind.RANGE_TOO_LARGE || e.kind() == Kind.RANGE_TIMEOUT) {
                if (range.shrink(width, e.suggestedRangeBlocks())) {
                    narrowed.set(true);
                } else if (e.kind() == Kind.RANGE_TOO_LARGE) {
                    throw new RpcException(
                            Kind.RANGE_TOO_LARGE,
                            endpoint.name(),
                            "eth_getLogs",
                            "refuses even "
                                    + width
                                    + " block(s) from block "
                                    + from
                                    + ", the configured minimum range",
                            e);
                }
            }
            throw e;
        }
    }

    /** An endpoint's answer must be what was asked for; if not, the next endpoint is asked. */
    private static List<Positioned> check(
            RpcEndpoint endpoint, List<Log> logs, long from, long to) {
        List<Positioned> checked = new ArrayList<>(logs.size());
        for (Log log : logs) {
            String problem = null;
            if (log.getBlockNumberRaw() == null
                    || log.getLogIndexRaw() == null
                    || log.getBlockHash() == null) {
                problem = "a log without block number, index or block hash (pending?)";
            } else if (log.isRemoved()) {
                problem = "a removed log";
            } else {
                try {
                    Positioned p = Positioned.of(log);
                    if (p.block() < from || p.block() > to) {
                        problem = "a log of block " + p.block() + " outside " + from + ".." + to;
                    }
                    checked.add(p);
                } catch (NumberFormatException e) {
                    problem =
                            "a log with a malformed block number or index (" + e.getMessage() + ")";
                }
            }
            if (problem != null) {
                throw new RpcException(
                        Kind.SERVER_ERROR,
                        endpoint.name(),
                        "eth_getLogs",
                        "answered " + problem,
                        null);
            }
        }
        List<Positioned> sorted = new ArrayList<>(checked);
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).compareTo(sorted.get(i)) == 0) {
                throw new RpcException(
                        Kind.SERVER_ERROR,
                        endpoint.name(),
                        "eth_getLogs",
                        "answered log "
                                + sorted.get(i).index()
                                + " of block "
                                + sorted.get(i).block()
                                + " twice",
                        null);
            }
        }
        return checked;
    }

    private void verify(List<Positioned> logs) {
        SortedSet<Long> blocks = new TreeSet<>();
        for (Positioned p : logs) {
            blocks.add(p.block());
        }
        Map<Long, BlockHeader> current = headers.apply(blocks);
        for (Positioned p : logs) {
            Log log = p.log();
            long number = p.block();
            BlockHeader header = current.get(number);
            if (!header.hash().hex().equalsIgnoreCase(log.getBlockHash())) {
                throw new BlockHashMismatchException(
                        number,
                        header.hash().hex(),
                        log.getBlockHash().toLowerCase(Locale.ROOT),
                        "log " + p.index());
            }
        }
    }
}
