package io.freehold.bench;

import io.freehold.types.Address;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Price shock (issue 7, item 2): {@link PriceShockState} under JMH for 10k, 100k and 1M borrowers,
 * then, outside the clock, a check that the index and the scan found the same positions at every
 * size.
 */
final class PriceShockBench implements Benchmark {

    static final int DROP_BPS = 500;

    @Override
    public String name() {
        return "price-shock";
    }

    @Override
    public Result run(boolean quick, Path work) throws Exception {
        String[] sizes =
                quick ? new String[] {"10000"} : new String[] {"10000", "100000", "1000000"};
        // Quick mode runs in the test's JVM (no fork) for a fraction of a second per benchmark: it
        // proves the
        // harness works, not how fast anything is.
        Options options =
                new OptionsBuilder()
                        .include(PriceShockState.class.getName() + "\\.")
                        .param("size", sizes)
                        .param("dropBps", String.valueOf(DROP_BPS))
                        .forks(quick ? 0 : 1)
                        .jvmArgsAppend("-Xmx3g")
                        .warmupIterations(quick ? 1 : 3)
                        .warmupTime(TimeValue.milliseconds(quick ? 200 : 1_000))
                        .measurementIterations(quick ? 2 : 5)
                        .measurementTime(TimeValue.milliseconds(quick ? 200 : 1_000))
                        .timeUnit(TimeUnit.MICROSECONDS)
                        .verbosity(quick ? VerboseMode.SILENT : VerboseMode.NORMAL)
                        .build();
        Collection<RunResult> runs = new Runner(options).run();
        Map<Integer, double[]> micros = new TreeMap<>(); // size -> {index, scan}
        for (RunResult r : runs) {
            int size = Integer.parseInt(r.getParams().getParam("size"));
            String method = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            micros.computeIfAbsent(size, s -> new double[] {Double.NaN, Double.NaN})[
                            method.endsWith(".index") ? 0 : 1] =
                    score;
        }

        Result result =
                new Result(
                        name(),
                        "Price shock: newly unhealthy positions after a "
                                + DROP_BPS / 100
                                + " % appraisal drop, index vs full scan (JMH)");
        for (Map.Entry<Integer, double[]> e : micros.entrySet()) {
            int size = e.getKey();
            int[] found = check(size);
            result.figure(
                    String.format("index, %,d positions (%,d newly unhealthy)", size, found[0]),
                    e.getValue()[0] / 1000,
                    "ms",
                    "full scan of the same market",
                    e.getValue()[1] / 1000);
            result.fact("size." + size + ".indexMs", e.getValue()[0] / 1000);
            result.fact("size." + size + ".scanMs", e.getValue()[1] / 1000);
            result.fact("size." + size + ".found", found[0]);
            result.fact("size." + size + ".agree", found[1]);
        }
        for (Map.Entry<Integer, double[]> e : micros.entrySet()) {
            result.figure(
                    String.format("speed-up at %,d positions (scan ÷ index)", e.getKey()),
                    e.getValue()[1] / e.getValue()[0],
                    "×");
        }
        result.note(
                "JMH average time; %s; the answer sets of index and scan were compared outside the clock at every"
                        + " size and %s",
                quick
                        ? "quick: no fork, 1 × 200 ms warm-up, 2 × 200 ms measured"
                        : "1 fork, 3 × 1 s warm-up, 5 × 1 s measured",
                micros.keySet().stream().allMatch(s -> result.fact("size." + s + ".agree") == 1)
                        ? "agreed"
                        : "DISAGREED");
        return result;
    }

    /** {count found by the index, 1 if the scan found exactly the same accounts}. */
    private static int[] check(int size) {
        PriceShockState s = new PriceShockState();
        s.size = size;
        s.dropBps = DROP_BPS;
        s.build();
        List<io.freehold.node.risk.LiquidationIndex.Entry> byIndex = s.index();
        Set<Address> a = new HashSet<>();
        byIndex.forEach(e -> a.add(e.account()));
        Set<Address> b = new HashSet<>();
        s.fullScan().forEach(e -> b.add(e.account()));
        return new int[] {byIndex.size(), a.equals(b) && a.size() == byIndex.size() ? 1 : 0};
    }
}
