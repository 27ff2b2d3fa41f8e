#!/usr/bin/env bash
# Freehold's main job: build; start a local chain; deploy the protocol; seed 120 borrowers (and 4 on the
# auction market); start the node; let appraisals fall; watch the node liquidate, and on the auction market
# flag, wait out a cure window, auction and sell; reconcile the node's books with the chain; stop everything.
#   ./demo.sh                  run it and exit, leaving no process behind
#   ./demo.sh --quick          30 borrowers (what CI runs)
#   ./demo.sh --keep-running   leave the chain (8545) and the node (gRPC 50051, HTTP 8080) up; Ctrl-C stops both
#   ./demo.sh --aave           the Aave v3 scenario: the node follows a local Aave pool (docs/AAVE.md); with
#                              --quick, --borrowers N, --keep-running as above
set -euo pipefail
cd "$(dirname "$0")"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "demo.sh: $1 not found; install $2 and run again." >&2; exit 1; }
}
need java "a Java 17 JDK"
need mvn "Maven 3.8 or newer"
need npm "Node.js 20 with npm"

echo "==> Building Freehold (the first run downloads Maven dependencies and the Foundry toolchain: a few minutes)"
if ! mvn -B -ntp -DskipTests install > target-build.log 2>&1; then
  grep -E "ERROR|error" target-build.log | head -20 >&2
  echo "demo.sh: the build failed; the full log is in $(pwd)/target-build.log" >&2
  exit 1
fi
grep -E "^\[INFO\] (Freehold|BUILD|Total time)" target-build.log | sed 's/^\[INFO\] /    /'
rm -f target-build.log

classpath="examples/demo/target/classes:$(cat examples/demo/target/runtime-classpath.txt)"
exec java -Dfreehold.demo.log=examples/demo/target/demo-node.log -cp "$classpath" \
  io.freehold.examples.demo.DemoMain "$@"
