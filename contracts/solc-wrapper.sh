#!/usr/bin/env bash
# forge calls a native `solc`; this machine only has solcjs (npm `solc`, pinned in
# package.json). This wrapper makes solcjs answer as forge expects:
#   - `--version` in native solc's format, so forge accepts the compiler;
#   - drops the `--allow-paths <value>` pair, which solcjs does not know;
#   - drops solcjs's `>>>` banner lines from stdout, which would corrupt the JSON.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
solcjs="$here/node_modules/solc/solc.js"

if [[ "${1:-}" == "--version" ]]; then
  echo "solc, the solidity compiler commandline interface"
  echo "Version: 0.8.37+commit.f401782d.Linux.g++"
  exit 0
fi

args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --allow-paths) shift 2 ;;
    --allow-paths=*) shift ;;
    *) args+=("$1"); shift ;;
  esac
done

# Node reads and writes pipes asynchronously and may exit before a large input is consumed
# (forge then sees "Broken pipe") or a large output is flushed (forge sees truncated JSON).
# So the input is buffered to a file first, and solcjs writes to a file (synchronous in Node)
# that is filtered afterwards.
input="$(mktemp)"
output="$(mktemp)"
trap 'rm -f "$input" "$output"' EXIT
cat >"$input"
status=0
node "$solcjs" "${args[@]}" <"$input" >"$output" || status=$?
grep -v '^>>>' "$output" || true
exit "$status"
