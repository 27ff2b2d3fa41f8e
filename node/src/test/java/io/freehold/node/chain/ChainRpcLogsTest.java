package io.freehold.node.chain;

import static io.freehold.node.chain.Closer.config;
import static io.freehold.node.chain.FaultInjectingProxy.Fault.DELAY;
import static io.freehold.node.chain.FaultInjectingProxy.Fault.DROP;
import static io.freehold.node.chain.FaultInjectingProxy.Fault.HANG;
import static io.freehold.node.chain.FaultInjectingProxy.Fault.HTTP_500;
import static io.freehold.node.chain.FaultInjectingProxy.Fault.JSON_RPC_ERROR;
import static io.freehold.node.chain.FaultInjectingProxy.Fault.RESET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.generated.IdentityRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;

/**
 * eth_getLogs through {@link ChainRpc} against a real anvil carrying the deployed protocol and
 * thousands of logs, compared with one plain web3j eth_getLogs of the same anvil: equal means
 * nothing missed, nothing duplicated, same order, same content.
 */
class ChainRpcLogsTest {

    private static TestChain chain;
    private static long head;
    private static List<Log> everything;

    private final Closer closer = new Closer();

    @BeforeAll
    static void startChain() throws Exception {
        chain = TestChain.start(7, 40);
        head = chain.head();
        everything = chain.directLogs(0, head, List.of());
        System.out.printf(
                Locale.ROOT, "MEASURE chain: %d blocks, %d logs%n", head + 1, everything.size());
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @AfterEach
    void closeClients() {
        closer.close();
    }

    @Test
    void logsThroughRandomErrorsDelaysAndResetsEqualTheDirectLogs() {
        FaultInjectingProxy first =
                closer.proxy(chain.url())
                        .randomFaults(11, 0.25, HTTP_500, JSON_RPC_ERROR, DELAY, HANG, DROP, RESET)
                        .delays(Duration.ofMillis(30), Duration.ofMillis(1_500));
        FaultInjectingProxy second =
                closer.proxy(chain.url())
                        .randomFaults(12, 0.25, HTTP_500, JSON_RPC_ERROR, DELAY, HANG, DROP, RESET)
                        .delays(Duration.ofMillis(30), Duration.ofMillis(1_500));
        // Narrow ranges and small batches, so that the fetch takes many requests and meets many
        // faults.
        ChainRpc rpc =
                closer.rpc(config(first.url(), second.url()).logRange(1, 32).batchSize(8).build());

        long started = System.nanoTime();
        List<Log> logs = rpc.logs(0, head, List.of(), List.of(), true);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(logs).hasSize(everything.size());
        assertThat(logs).isEqualTo(everything);
        assertThat(first.faultsInjected() + second.faultsInjected())
                .as("faults met")
                .isGreaterThan(10);
        System.out.printf(
                Locale.ROOT,
                "MEASURE random faults: %d logs in %.2f s (%.0f logs/s), %d + %d faults "
                        + "injected in %d + %d HTTP requests%n",
                logs.size(),
                seconds,
                logs.size() / seconds,
                first.faultsInjected(),
                second.faultsInjected(),
                first.httpRequests(),
                second.httpRequests());
    }

    @Test
    void tooManyResultsMakesTheFetcherSplitAndStillReturnEverything() {
        FaultInjectingProxy proxy = closer.proxy(chain.url()).limitLogRange(50);
        ChainRpc rpc = closer.rpc(config(proxy.url()).build()); // starts at 2,000 blocks

        List<Log> logs = rpc.logs(0, head, List.of());

        assertThat(logs).isEqualTo(everything);
        assertThat(proxy.tooManyResultsAnswers()).as("refusals").isPositive();
        assertThat(proxy.widestLogRangeServed()).isLessThanOrEqualTo(50);
    }

    @Test
    void theRangeGrowsBackAfterSmallAnswers() {
        FaultInjectingProxy proxy = closer.proxy(chain.url()).limitLogRange(50);
        ChainRpc rpc = closer.rpc(config(proxy.url()).build());
        rpc.logs(0, head, List.of());
        assertThat(proxy.widestLogRangeServed()).isLessThanOrEqualTo(50);

        proxy.heal();
        assertThat(rpc.logs(0, head, List.of())).isEqualTo(everything);
        assertThat(rpc.logs(0, head, List.of())).isEqualTo(everything);

        assertThat(proxy.widestLogRangeServed())
                .as("wider ranges again once the limit is gone")
                .isGreaterThan(50);
        assertThat(rpc.status().get(0).logRangeBlocks()).isGreaterThan(50);
    }

    @Test
    void wideRangesThatTimeOutAreSplit() {
        FaultInjectingProxy proxy =
                closer.proxy(chain.url())
                        .slowLogRangesWiderThan(100)
                        .delays(Duration.ZERO, Duration.ofSeconds(3));
        ChainRpc rpc =
                closer.rpc(config(proxy.url()).requestTimeout(Duration.ofMillis(500)).build());

        List<Log> logs = rpc.logs(0, head, List.of());

        assertThat(logs).isEqualTo(everything);
        assertThat(proxy.widestLogRangeServed()).isLessThanOrEqualTo(100);
        assertThat(rpc.status().get(0).breakerState())
                .as("slow ranges are not the endpoint's fault")
                .isEqualTo("CLOSED");
    }

    @Test
    void filtersByAddressAndTopic() throws Exception {
        String registry = chain.deployment.identityRegistry();
        String verified = EventEncoder.encode(IdentityRegistry.IDENTITYVERIFIED_EVENT);
        ChainRpc rpc = closer.rpc(config(chain.url()).logRange(1, 256).build());

        List<Log> logs = rpc.logs(0, head, List.of(registry), List.of(List.of(verified)));

        List<Log> expected =
                chain.directLogs(0, head, List.of(registry)).stream()
                        .filter(log -> log.getTopics().get(0).equals(verified))
                        .toList();
        assertThat(logs).isNotEmpty().isEqualTo(expected);
        assertThat(rpc.logs(0, head, List.of(chain.deployment.stablecoin())))
                .isEqualTo(chain.directLogs(0, head, List.of(chain.deployment.stablecoin())));
    }

    @Test
    void verifyingBlockHashesCatchesLogsFromABlockNoLongerOnTheChain() {
        Log victim = everything.get(everything.size() / 2);
        String orphanedHash = "0x" + "ab".repeat(32);
        // An endpoint still serving logs of a block that was reorganised away.
        FaultInjectingProxy stale =
                closer.proxy(chain.url())
                        .rewrite(
                                "eth_getLogs",
                                body -> body.replace(victim.getBlockHash(), orphanedHash));
        ChainRpc rpc = closer.rpc(config(stale.url()).build());
        long block = victim.getBlockNumber().longValueExact();

        assertThat(rpc.logs(block, block, List.of()))
                .allSatisfy(
                        log ->
                                assertThat(log.getBlockHash())
                                        .as("without verification the stale hash gets through")
                                        .isEqualTo(orphanedHash));
        assertThatThrownBy(() -> rpc.logs(0, head, List.of(), List.of(), true))
                .isInstanceOfSatisfying(
                        BlockHashMismatchException.class,
                        e -> {
                            assertThat(e.blockNumber()).isEqualTo(block);
                            assertThat(e.headerHash()).isEqualTo(victim.getBlockHash());
                            assertThat(e.claimedHash()).isEqualTo(orphanedHash);
                        });
    }

    @Test
    void measureThroughputRawDirectAndThroughTheProxy() throws Exception {
        FaultInjectingProxy proxy = closer.proxy(chain.url());
        ChainRpc direct = closer.rpc(config(chain.url()).build());
        ChainRpc proxied = closer.rpc(config(proxy.url()).build());
        Fetch raw = () -> chain.directLogs(0, head, List.of()).size();
        Fetch viaDirect = () -> direct.logs(0, head, List.of()).size();
        Fetch viaProxy = () -> proxied.logs(0, head, List.of()).size();
        for (Fetch warmUp : List.of(raw, viaDirect, viaProxy)) { // JIT, connections
            warmUp.count();
        }

        // Interleaved, so that load from elsewhere on the machine falls on all three alike.
        double[] best = new double[3];
        for (int run = 0; run < 5; run++) {
            best[0] = Math.max(best[0], rate(raw));
            best[1] = Math.max(best[1], rate(viaDirect));
            best[2] = Math.max(best[2], rate(viaProxy));
        }

        System.out.printf(
                Locale.ROOT,
                "MEASURE throughput over %d logs in %d blocks, best of 5: one plain web3j "
                        + "eth_getLogs %.0f logs/s; ChainRpc direct %.0f logs/s; ChainRpc through the proxy %.0f logs/s%n",
                everything.size(),
                head + 1,
                best[0],
                best[1],
                best[2]);
        assertThat(direct.logs(0, head, List.of())).isEqualTo(everything);
    }

    @FunctionalInterface
    private interface Fetch {
        int count() throws Exception;
    }

    private static double rate(Fetch fetch) throws Exception {
        long started = System.nanoTime();
        int count = fetch.count();
        return count / ((System.nanoTime() - started) / 1e9);
    }
}
