package io.freehold.aave.local;

import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AaveLog;
import io.freehold.types.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Reads the chain's logs as the book takes them: every contract's (the book picks what it follows),
 * in order, each with its block's timestamp.
 */
final class MarketLogs {

    /** Where the tests keep the dumped local market (the module's target/, so clean drops it). */
    static final java.nio.file.Path CACHE = java.nio.file.Path.of("target", "aave-local-cache");

    private final Anvil anvil;
    private final Map<Long, Long> timestamps = new HashMap<>();

    MarketLogs(Anvil anvil) {
        this.anvil = anvil;
    }

    /** The logs of blocks {@code from..to}, in chain order. */
    List<AaveLog> between(long from, long to) throws IOException {
        if (from > to) {
            return List.of();
        }
        EthFilter filter =
                new EthFilter(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                        List.of());
        EthLog answer = anvil.web3j().ethGetLogs(filter).send();
        if (answer.hasError()) {
            throw new IllegalStateException("eth_getLogs: " + answer.getError().getMessage());
        }
        List<AaveLog> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : answer.getLogs()) {
            Log log = (Log) result.get();
            long block = log.getBlockNumber().longValueExact();
            logs.add(
                    new AaveLog(
                            block,
                            timestamp(block),
                            log.getLogIndex().longValueExact(),
                            Address.of(log.getAddress()),
                            log.getTopics(),
                            log.getData()));
        }
        return logs;
    }

    long timestamp(long block) throws IOException {
        Long known = timestamps.get(block);
        if (known != null) {
            return known;
        }
        long t =
                anvil.web3j()
                        .ethGetBlockByNumber(
                                DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false)
                        .send()
                        .getBlock()
                        .getTimestamp()
                        .longValueExact();
        timestamps.put(block, t);
        return t;
    }

    /** Forgets the blocks after {@code block}: the chain went back and will mine them anew. */
    void rewindTo(long block) {
        timestamps.keySet().removeIf(b -> b > block);
    }

    long head() throws IOException {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }
}
