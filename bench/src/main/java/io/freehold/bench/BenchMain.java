package io.freehold.bench;

import io.freehold.contracts.local.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code BenchMain [name...] [--quick]}: runs the named benchmarks (all of them without a name) one
 * after another, prints each figure next to its baseline, and writes {@code results.json} and
 * {@code results.md} to {@code bench/target/bench-results} (or {@code -Dfreehold.bench.out}). Exits
 * 1 if a benchmark failed to run; never because of a number.
 */
public final class BenchMain {

    static final Map<String, Benchmark> ALL = new LinkedHashMap<>();

    static {
        for (Benchmark b :
                List.of(
                        new IngestionBench(),
                        new PriceShockBench(),
                        new AaveShockBench(),
                        new MemoryBench(),
                        new StreamBench(),
                        new UnaryBench(),
                        new RestartBench(),
                        new InclusionBench(),
                        new FailoverBench())) {
            ALL.put(b.name(), b);
        }
    }

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        List<String> names = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (ALL.containsKey(a)) {
                names.add(a);
            } else {
                System.err.println(
                        "unknown benchmark "
                                + a
                                + "; known: "
                                + String.join(" ", ALL.keySet())
                                + " [--quick]");
                System.exit(2);
            }
        }
        List<Result> results =
                run(names.isEmpty() ? List.copyOf(ALL.keySet()) : names, quick, output());
        System.exit(
                results.stream()
                                .allMatch(
                                        r ->
                                                r.notes.stream()
                                                        .noneMatch(n -> n.startsWith("FAILED")))
                        ? 0
                        : 1);
    }

    static Path output() {
        return Path.of(System.getProperty("freehold.bench.out", "bench/target/bench-results"));
    }

    /**
     * Runs the benchmarks in order; a failure is reported in its result and the others still run.
     */
    static List<Result> run(List<String> names, boolean quick, Path out) throws IOException {
        Files.createDirectories(out);
        List<Result> results = new ArrayList<>();
        System.out.printf(
                Locale.ROOT,
                "Freehold benchmarks (%s): %s; %d cores, load average %.2f%n",
                quick ? "quick" : "full",
                String.join(", ", names),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (String name : names) {
            Benchmark b = ALL.get(name);
            Path work = Files.createTempDirectory("freehold-bench-" + name + "-");
            long t0 = System.nanoTime();
            Result r;
            try {
                r = b.run(quick, work);
            } catch (Exception | Error e) {
                r = new Result(name, name);
                r.note("FAILED: %s", e);
                e.printStackTrace();
            } finally {
                // -Dfreehold.bench.keep-work=true keeps the node logs and stores to look at.
                if (Boolean.getBoolean("freehold.bench.keep-work")) {
                    System.out.println("work directory kept: " + work);
                } else {
                    deleteQuietly(work);
                }
            }
            r.seconds = (System.nanoTime() - t0) / 1e9;
            r.note(
                    "load average after the run %.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            results.add(r);
            System.out.println(ResultWriter.table(r));
            ResultWriter.write(
                    results, quick, out); // after each, so a long run's finished parts are kept
        }
        return results;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Directories.deleteTree(dir);
        } catch (UncheckedIOException e) {
            // a temporary directory: left for the OS
        }
    }
}
