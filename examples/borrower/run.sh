#!/usr/bin/env bash
# Runs the borrower example from the repository root (so its defaults find contracts/deployments/local.json),
# building it first if needed. Start a local chain and node with ./demo.sh --keep-running in another terminal.
#   examples/borrower/run.sh [arguments]    (no arguments: usage)
set -euo pipefail
cd "$(dirname "$0")/../.."

module=examples/borrower
if [[ ! -f $module/target/runtime-classpath.txt || ! -d $module/target/classes ]]; then
  echo "==> Building the borrower example (first run only)" >&2
  if ! mvn -B -ntp -q -DskipTests install -pl $module -am > target-build.log 2>&1; then
    grep -E "ERROR|error" target-build.log | head -20 >&2
    echo "run.sh: the build failed; the full log is in $(pwd)/target-build.log" >&2
    exit 1
  fi
  rm -f target-build.log
fi
exec java ${JAVA_OPTS:-} -cp "$module/target/classes:$(cat $module/target/runtime-classpath.txt)" io.freehold.examples.borrower.BorrowerApp "$@"
