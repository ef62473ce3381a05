#!/usr/bin/env bash
# Go's own go122 parser test cases against the validator and against Go's
# parser: converts every internal/trace/v2/testdata/tests/*.test of a Go 1.22
# GOROOT to the wire format (gotests, tracefmt/gotext.h), checks the
# validator's verdict against each case's expectation, then compares the
# validator with Go's parser on the converted traces (diff_traces.sh).
#
#   repro/crosscheck/go_tests.sh [--goroot DIR] [--gocheck BIN] [--out DIR]
#
# --goroot  default: `GOTOOLCHAIN=go1.22.12 go env GOROOT` (from the module proxy)
# --out     default build/go_tests (wiped first)
# Exit status: 0 all pass and agree; 1 otherwise; 2 bad usage or a failed
# build; 77 skipped: no Go.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
goroot="" gocheck=() out="$root/build/go_tests"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --goroot) goroot=${2:?}; shift 2 ;;
    --gocheck) gocheck=(--gocheck "${2:?}"); shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "go_tests.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$goroot" ]]; then
  command -v go >/dev/null 2>&1 || { echo "go_tests.sh: SKIPPED: Go is not installed" >&2; exit 77; }
  goroot=$(GOTOOLCHAIN=go1.22.12 go env GOROOT) || { echo "go_tests.sh: no go1.22.12 GOROOT" >&2; exit 2; }
fi
tests=("$goroot"/src/internal/trace/v2/testdata/tests/*.test)
[[ -f "${tests[0]}" ]] || { echo "go_tests.sh: no test cases under $goroot" >&2; exit 2; }

cmake --build "$root/build/gcc" --target gotests schedfuzz -j2 >/dev/null ||
  { echo "go_tests.sh: building gotests failed" >&2; exit 2; }
rm -rf "$out" && mkdir -p "$out/traces"
rc=0
"$root/build/gcc/repro/crosscheck/gotests" "$out/traces" "${tests[@]}" | tee "$out/expectations.tsv" || rc=1
echo "go_tests: ${#tests[@]} cases, $(grep -c 'pass$' "$out/expectations.tsv") give the verdict they expect"
"$root/repro/crosscheck/diff_traces.sh" "$out/traces" --out "$out/diff" "${gocheck[@]}" || rc=1
exit $rc
