package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The eight benchmarks in quick mode, so they do not rot: each ran, produced figures, and its
 * figures agree with each other (counts add up, percentiles are ordered, both sides of a comparison
 * found the same answer). Never a timing threshold: this machine is shared and a number here means
 * nothing.
 */
class QuickSuiteTest {

    @Test
    void everyBenchmarkRunsAndReportsConsistentFigures() throws Exception {
        Path out = Path.of(System.getProperty("freehold.bench.out", "target/bench-results-quick"));
        List<Result> results = BenchMain.run(List.copyOf(BenchMain.ALL.keySet()), true, out);
        Map<String, Result> by =
                results.stream().collect(Collectors.toMap(r -> r.name, Function.identity()));

        assertThat(by).containsOnlyKeys(BenchMain.ALL.keySet());
        for (Result r : results) {
            assertThat(r.notes).as(r.name + " notes").noneMatch(n -> n.startsWith("FAILED"));
            assertThat(r.figures)
                    .as(r.name + " figures")
                    .isNotEmpty()
                    .allSatisfy(
                            f ->
                                    assertThat(Double.isNaN(f.value()))
                                            .as(r.name + ": " + f.what())
                                            .isFalse());
        }
        assertThat(Files.readString(out.resolve("results.json")))
                .contains("\"name\":\"inclusion\"");
        assertThat(Files.readString(out.resolve("results.md"))).contains("./bench.sh price-shock");

        Result ingestion = by.get("ingestion");
        for (String db : List.of("h2", "postgresql")) {
            for (int run = 1; run <= 3; run++) {
                String key = db + ".run" + run;
                // the follower applied at least the history's events, and no more than the logs the
                // raw reader saw
                // (which also holds logs the node does not apply: token approvals and transfers of
                // the deployment)
                assertThat(ingestion.fact(key + ".events"))
                        .as(key)
                        .isBetween(ingestion.fact("made"), ingestion.fact(key + ".rawLogs"));
                assertThat(ingestion.fact(key + ".appliedBlock"))
                        .as(key)
                        .isEqualTo(ingestion.fact("head"));
                assertThat(ingestion.fact(key + ".rawLogs"))
                        .as(key)
                        .isEqualTo(ingestion.fact("h2.run1.rawLogs"));
                assertThat(ingestion.fact(key + ".ratio"))
                        .as(key)
                        .isPositive()
                        .isGreaterThanOrEqualTo(ingestion.fact(db + ".worstRatio"));
            }
        }
        assertThat(ingestion.fact("h2.run1.rawLogs"))
                .isGreaterThanOrEqualTo(ingestion.fact("made"));

        Result shock = by.get("price-shock");
        assertThat(shock.fact("size.10000.agree")).isEqualTo(1);
        assertThat(shock.fact("size.10000.found")).isPositive();
        assertThat(shock.fact("size.10000.indexMs")).isPositive();
        assertThat(shock.fact("size.10000.scanMs")).isPositive();

        Result aave = by.get("aave-shock");
        assertThat(aave.fact("agree")).isEqualTo(1);
        assertThat(aave.fact("shock.below")).isPositive();
        assertThat(aave.fact("block.indexMs")).isPositive();

        Result memory = by.get("memory");
        assertThat(memory.fact("stateCount")).isEqualTo(memory.fact("positions"));
        assertThat(memory.fact("nodeBytes")).isPositive();
        assertThat(memory.fact("stateBytes") + memory.fact("engineBytes"))
                .isEqualTo(memory.fact("nodeBytes"));

        Result streams = by.get("streams");
        assertThat(streams.fact("single.published")).isPositive();
        assertThat(streams.fact("single.samples")).isPositive();
        assertThat(streams.fact("fan.samples")).isPositive();
        assertThat(streams.fact("fan.consistentMarkets")).isEqualTo(3);
        assertThat(streams.fact("fan.cut")).isZero();
        assertThat(streams.fact("slow.endedSlowConsumer")).isEqualTo(1);
        assertThat(streams.figures)
                .filteredOn(f -> f.unit().equals("ms"))
                .allSatisfy(f -> assertThat(f.value()).isGreaterThanOrEqualTo(0));
        for (String run : List.of("fan", "bare")) { // p50 ≤ p99 ≤ max
            assertThat(streams.fact(run + ".p50"))
                    .as(run)
                    .isLessThanOrEqualTo(streams.fact(run + ".p99"));
            assertThat(streams.fact(run + ".p99"))
                    .as(run)
                    .isLessThanOrEqualTo(streams.fact(run + ".max"));
        }
        assertThat(streams.fact("fan.bytes")).isPositive();
        assertThat(streams.fact("fan.messages"))
                .isPositive()
                .isLessThanOrEqualTo(streams.fact("fan.delivered"));
        assertThat(streams.fact("singleOld.samples")).isPositive();
        assertThat(streams.fact("bare.samples")).isPositive();
        assertThat(streams.fact("bare.flatOutBytes")).isPositive();
        assertThat(streams.fact("bare.delivered")).isEqualTo(streams.fact("bare.sent"));
        // every subscriber called again after the restart got an answer: a resume or a resync,
        // nothing else
        assertThat(streams.fact("storm.count")).isEqualTo(streams.fact("subscribers"));
        assertThat(streams.fact("storm.answered")).isEqualTo(streams.fact("storm.count"));

        Result unary = by.get("unary");
        for (String call : List.of("get", "list", "health", "memory")) {
            assertThat(unary.fact(call + ".calls")).as(call).isPositive();
            assertThat(unary.fact(call + ".errors")).as(call).isZero();
        }
        // the ratios reported are the rates' ratios to the health check of the same run
        assertThat(unary.fact("get.ratio")).isPositive();
        assertThat(unary.fact("list.ratio")).isPositive();
        assertThat(unary.figures)
                .filteredOn(
                        f ->
                                f.what().equals("GetPosition")
                                        && f.baseline().startsWith("gRPC health"))
                .singleElement()
                .satisfies(
                        f ->
                                assertThat(f.ratio())
                                        .isCloseTo(unary.fact("get.ratio"), within(1e-9)));

        Result restart = by.get("restart");
        assertThat(restart.fact("resumedFromCheckpoint")).isEqualTo(1);
        // the first start wrote its state snapshot, and the restart loaded it (the two states are
        // compared for equality by the node's own tests: StateSnapshotRestartTest)
        assertThat(restart.fact("snapshotWritten")).isEqualTo(1);
        assertThat(restart.fact("loadedFromSnapshot")).isEqualTo(1);
        assertThat(restart.fact("restartSeconds")).isPositive();
        // the nodes ran as node.sh runs them, with a class archive the first empty start wrote;
        // the raw read had one of its own; and the restart was also timed without it
        assertThat(restart.fact("classArchiveWritten")).isEqualTo(1);
        assertThat(restart.fact("classArchiveBytes")).isPositive();
        assertThat(restart.fact("rawReadClassArchiveWritten")).isEqualTo(1);
        assertThat(restart.fact("restartWithoutArchiveSeconds")).isPositive();
        assertThat(restart.fact("emptyWithoutArchiveSeconds")).isPositive();
        assertThat(restart.fact("rawReadSeconds")).isPositive();
        // the raw read saw every position the store was filled with (plus the deployment's few
        // rows)
        assertThat(restart.fact("rawReadRows")).isGreaterThan(restart.fact("positions"));

        Result inclusion = by.get("inclusion");
        assertThat(inclusion.fact("trials")).isEqualTo(3);
        double counted =
                inclusion.facts.entrySet().stream()
                        .filter(e -> e.getKey().matches("k\\d+"))
                        .mapToDouble(Map.Entry::getValue)
                        .sum();
        assertThat(counted).isEqualTo(inclusion.fact("trials"));

        Result failover = by.get("failover");
        assertThat(failover.fact("notWithin")).isZero();
        assertThat(failover.fact("failoverTrials"))
                .isEqualTo(2)
                .isEqualTo(failover.fact("failoverSamples"));
        assertThat(failover.fact("baselineTrials")).isEqualTo(2);
        assertThat(failover.fact("reorgTrials")).isEqualTo(1);
        // every failover trial took the lease over: the epoch rose at least once per kill
        assertThat(failover.fact("epoch"))
                .isGreaterThanOrEqualTo(1 + failover.fact("failoverTrials"));
        assertThat(failover.figures)
                .filteredOn(f -> f.unit().equals("blocks"))
                .allSatisfy(f -> assertThat(f.value()).isGreaterThanOrEqualTo(0));
        assertThat(failover.figures)
                .filteredOn(f -> f.unit().equals("ms"))
                .allSatisfy(f -> assertThat(f.value()).isPositive());
    }
}
