#!/usr/bin/env bash
# Runs the Freehold node in the foreground (Ctrl-C stops it).
#   ./node.sh                                  follow a local chain on 8545 (contracts/deployments/local.json)
#   ./node.sh --freehold.node.chain-id=1 ...   any setting as --key=value (docs/OPERATIONS.md lists them)
# Builds the node first if it has not been built. Settings can also come from environment variables
# (FREEHOLD_NODE_CHAIN_ID, DATASOURCES_DEFAULT_URL, ...) or a file given with
# -Dmicronaut.config.files=/path/to/node.yml in JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")"

if [[ ! -f node/target/runtime-classpath.txt || ! -d node/target/classes ]]; then
  echo "==> Building the node (first run only)"
  if ! mvn -B -ntp -q -DskipTests install -pl node -am > target-build.log 2>&1; then
    grep -E "ERROR|error" target-build.log | head -20 >&2
    echo "node.sh: the build failed; the full log is in $(pwd)/target-build.log" >&2
    exit 1
  fi
  rm -f target-build.log
fi

classpath="node/target/classes:$(cat node/target/runtime-classpath.txt)"
# exec: the JVM gets this shell's PID, so a supervisor's signal reaches the node itself.
exec java ${JAVA_OPTS:-} -cp "$classpath" io.freehold.node.NodeApplication "$@"
