package io.freehold.bench;

import java.nio.file.Path;

/**
 * One benchmark of docs/BENCHMARKS.md: measures a figure and its baseline in the same run (the
 * machine is shared, so only the ratio is trusted) and reports them; it never fails on a number.
 */
interface Benchmark {

    /** The name on the command line: {@code ./bench.sh <name>}. */
    String name();

    /**
     * Runs once.
     *
     * @param quick small sizes and short phases, for CI: proves the benchmark still runs, not how
     *     fast
     * @param work a fresh directory for databases, deployment files and logs
     */
    Result run(boolean quick, Path work) throws Exception;
}
