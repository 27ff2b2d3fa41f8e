#!/usr/bin/env bash
# Runs the benchmarks of docs/BENCHMARKS.md, each next to its baseline in the same run.
#   ./bench.sh                      all eight (about 25 minutes on 2 cores)
#   ./bench.sh price-shock memory   some of them: ingestion price-shock aave-shock memory streams unary restart inclusion failover
#   ./bench.sh --quick              small sizes, as CI runs them (bench module's QuickSuiteTest)
# Prints a table per benchmark and writes bench/target/bench-results/results.{json,md}.
# Builds what it needs first (the first run on a fresh machine downloads the toolchain).
set -euo pipefail
cd "$(dirname "$0")"

echo "==> Building (mvn install -DskipTests, bench and what it depends on)"
if [[ ! -d contracts/node_modules ]]; then
  (cd contracts && npm ci --no-audit --no-fund >/dev/null)
fi
if ! mvn -B -q -ntp install -DskipTests -Dforge.profile=default -pl bench -am > bench-build.log 2>&1; then
  grep -E "ERROR|error" bench-build.log | head -20 >&2
  echo "bench.sh: the build failed; the full log is in $(pwd)/bench-build.log" >&2
  exit 1
fi
rm -f bench-build.log

classpath="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
# -Xmx4g: the memory benchmark holds a million positions, and the stream clients keep their samples.
# BENCH_JAVA_OPTS: more JVM options for the benchmarks' JVM (which runs the in-process nodes), e.g.
# BENCH_JAVA_OPTS=-XX:+UseShenandoahGC ./bench.sh streams, as docs/BENCHMARKS.md compares collectors.
exec java -Xmx4g ${BENCH_JAVA_OPTS:-} -cp "$classpath" io.freehold.bench.BenchMain "$@"
