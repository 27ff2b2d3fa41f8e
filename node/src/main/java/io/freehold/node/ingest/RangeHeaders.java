package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.state.Checkpoint;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The headers a block range is committed with, and the links that make the range hang together: the
 * first new block names the applied checkpoint as its parent, and every log names the hash of the
 * header read for its block. A broken link means the chain moved while the range was read ({@link
 * ChainMovedException}).
 */
final class RangeHeaders {

    private final ChainRpc rpc;

    RangeHeaders(ChainRpc rpc) {
        this.rpc = rpc;
    }

    /**
     * Every header of {@code from..to}, by number, for a range that stays reversible (the reorg
     * window needs them all, linked by parent hash to the checkpoint).
     */
    Map<Long, BlockHeader> all(long from, long to, Optional<Checkpoint> checkpoint) {
        Map<Long, BlockHeader> headers = all(from, to);
        checkParent(headers, from, checkpoint);
        return headers;
    }

    /** Every header of {@code from..to}, by number, linked among themselves by parent hash. */
    Map<Long, BlockHeader> all(long from, long to) {
        Map<Long, BlockHeader> headers = new TreeMap<>();
        rpc.headers(from, to).forEach(h -> headers.put(h.number(), h));
        return headers;
    }

    /**
     * The first new block names the applied checkpoint as its parent, if the checkpoint is the
     * block before.
     */
    static void checkParent(
            Map<Long, BlockHeader> headers, long from, Optional<Checkpoint> checkpoint) {
        if (checkpoint.isPresent() && checkpoint.get().number() == from - 1) {
            BlockHash parent = headers.get(from).parentHash();
            if (!parent.equals(checkpoint.get().hash())) {
                throw new ChainMovedException(
                        "block "
                                + from
                                + " has parent "
                                + parent.hex()
                                + " but the node applied "
                                + checkpoint.get().hash()
                                + " at block "
                                + (from - 1));
            }
        }
    }

    /**
     * The headers of a final range: the blocks with logs (their timestamps drive interest, their
     * hashes check the logs) and the last block (the new checkpoint).
     */
    Map<Long, BlockHeader> withLogs(SortedSet<Long> logBlocks, long to) {
        Map<Long, BlockHeader> headers = new TreeMap<>();
        SortedSet<Long> numbers = new TreeSet<>(logBlocks);
        numbers.add(to);
        headers.putAll(rpc.headersAt(numbers));
        return headers;
    }

    /** Every log names the hash of the header read for its block; otherwise the chain moved. */
    static void checkLogs(List<Log> logs, Map<Long, BlockHeader> headers) {
        for (Log log : logs) {
            BlockHeader header = headers.get(LogReader.blockOf(log));
            if (header == null
                    || !header.hash().hex().equals(log.getBlockHash().toLowerCase(Locale.ROOT))) {
                throw new ChainMovedException(
                        "log "
                                + log.getLogIndex()
                                + " of block "
                                + log.getBlockNumber()
                                + " names block hash "
                                + log.getBlockHash()
                                + " but the header read has "
                                + (header == null ? "none" : header.hash()));
            }
        }
    }
}
