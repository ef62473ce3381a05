#!/usr/bin/env bash
# The real Go runtime: one command per question (see docs/realgo.md).
#
#   scripts/realgo.sh natural --go goX.Y.Z --time S [options]
#   scripts/realgo.sh confirm FINDING --go goX.Y.Z --time S [options]
#   scripts/realgo.sh windows [--go goX.Y.Z]
#
# Builds realgo/cmd/realgo with the installed Go into build/realgo/bin and
# runs it from the repository root. Releases come through the module proxy
# (GOTOOLCHAIN); patched runtimes are cached under build/realgo/goroot.
# Exit status: 0 confirmed (natural: run completed), 1 not reproduced or not
# exercised, 2 bad usage, unknown finding or release, or a failed build.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "realgo.sh: Go is not installed (expected on PATH or at /usr/local/go/bin)" >&2
  exit 2
fi
case "${1:-}" in
  "" | -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

bin="$repo/build/realgo/bin/realgo"
mkdir -p "$repo/build/realgo/bin"
# GOTOOLCHAIN=local: the driver itself is built by the installed Go.
if ! (cd "$repo/realgo" && GOTOOLCHAIN=local go build -o "$bin" ./cmd/realgo); then
  echo "realgo.sh: building realgo/cmd/realgo failed" >&2
  exit 2
fi
cd "$repo"
exec "$bin" "$@" --repo "$repo"
