#!/usr/bin/env bash
# Runs the Freehold node in the foreground (Ctrl-C stops it).
#   ./node.sh                                  follow a local chain on 8545 (contracts/deployments/local.json)
#   ./node.sh --freehold.node.chain-id=1 ...   any setting as --key=value (docs/OPERATIONS.md lists them)
# Builds the node first if it has not been built, or if its classes are newer than its jar. Settings can
# also come from environment variables (FREEHOLD_NODE_CHAIN_ID, DATASOURCES_DEFAULT_URL, ...) or a file
# given with -Dmicronaut.config.files=/path/to/node.yml in JAVA_OPTS.
# FREEHOLD_CDS=off turns off the class-data-sharing archive described below.
set -euo pipefail
cd "$(dirname "$0")"

node_jar() { ls node/target/freehold-node-*.jar 2> /dev/null | grep -v -- '-sources\.jar$' | head -1 || true; }
jar=$(node_jar)
if [[ ! -f node/target/runtime-classpath.txt || -z "$jar" ]] \
    || [[ -d node/target/classes && -n "$(find node/target/classes -newer "$jar" -type f -print -quit)" ]]; then
  echo "==> Building the node"
  if ! mvn -B -ntp -q -DskipTests install -pl node -am > target-build.log 2>&1; then
    grep -E "ERROR|error" target-build.log | head -20 >&2
    echo "node.sh: the build failed; the full log is in $(pwd)/target-build.log" >&2
    exit 1
  fi
  rm -f target-build.log
  jar=$(node_jar)
fi

classpath="$jar:$(cat node/target/runtime-classpath.txt)"

# Class-data sharing: the JVM maps the node's classes, already parsed and verified, from an archive
# instead of loading some ten thousand classes from jars, which is most of a start on a small machine
# (docs/OPERATIONS.md, "Start-up time"). The first run without a usable archive writes one when it
# stops cleanly, to a file of its own (node-classes.jsa.<pid>: replicas started together do not write
# one file at once); a later start adopts it once the JVM accepts it with this classpath. An archive
# the JVM no longer accepts (a rebuild changed the jars) is dropped and written again.
cds=()
if [[ "${FREEHOLD_CDS:-on}" != off ]]; then
  archive=node/target/node-classes.jsa
  # With JAVA_OPTS: some options (compressed oops off, another GC) change which archives the JVM can map.
  usable() { java ${JAVA_OPTS:-} -Xshare:on -XX:SharedArchiveFile="$1" -cp "$classpath" -version > /dev/null 2>&1; }
  for written in "$archive".*; do
    [[ -f "$written" ]] || continue
    if kill -0 "${written##*.}" 2> /dev/null; then
      continue # that node still runs: its archive is written when it stops
    fi
    if usable "$written"; then mv -f "$written" "$archive"; else rm -f "$written"; fi
  done
  if [[ -f "$archive" ]] && ! usable "$archive"; then
    rm -f "$archive"
  fi
  if [[ -f "$archive" ]]; then
    cds=(-XX:SharedArchiveFile="$archive")
  else
    echo "node.sh: this run writes a class-data archive when it stops; starts after it are faster" >&2
    # The JVM's notes on classes it leaves out of the archive are not the operator's concern.
    cds=(-XX:ArchiveClassesAtExit="$archive.$$" -Xlog:cds*=error)
  fi
fi

# exec: the JVM gets this shell's PID, so a supervisor's signal reaches the node itself (and the
# archive it writes is named after it).
exec java "${cds[@]}" ${JAVA_OPTS:-} -cp "$classpath" io.freehold.node.NodeApplication "$@"
