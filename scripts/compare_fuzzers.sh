#!/usr/bin/env bash
# Compares the CPU cost of two libFuzzer binaries on the same inputs, in one
# run: A and B take turns (A, B, A, B, ...) so that load on the machine falls
# on both alike. Each turn executes every input RUNS times (-runs=RUNS with
# the inputs as files: no mutation, no corpus growth).
#
#   scripts/compare_fuzzers.sh [options] A B INPUT_DIR
#
# Prints one line per round (CPU seconds, user+sys, of A and of B) and then
# the minimum and median of each and B's cost relative to A's. The minimum is
# the figure to quote on a shared machine: interference only ever adds time.
#
# Options:
#   --runs=N       executions of each input per turn (default 100)
#   --rounds=N     turns per binary (default 5)
#   --env-a=K=V    environment for A only (repeatable), e.g. --env-a=SCHEDFUZZ_GO=1.22
#   --env-b=K=V    environment for B only (repeatable)
#   -h, --help     this text
# ASAN_OPTIONS defaults to detect_leaks=0 for both (a sanitized build's leak
# check at exit would be timed otherwise).
#
# Example (a change against main, Go 1.22 model, no sanitizers):
#   scripts/compare_fuzzers.sh --env-a=SCHEDFUZZ_GO=1.22 --env-b=SCHEDFUZZ_GO=1.22 \
#     ../main/build/lf-nosan/fuzz/scenario_fuzzer build/lf-nosan/fuzz/scenario_fuzzer \
#     corpus/scenario_fuzzer/regress
set -euo pipefail

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; }

runs=100
rounds=5
env_a=()
env_b=()
pos=()
for arg in "$@"; do
  case "$arg" in
    --runs=*) runs="${arg#--runs=}" ;;
    --rounds=*) rounds="${arg#--rounds=}" ;;
    --env-a=*) env_a+=("${arg#--env-a=}") ;;
    --env-b=*) env_b+=("${arg#--env-b=}") ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "compare_fuzzers.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
    *) pos+=("$arg") ;;
  esac
done
if ((${#pos[@]} != 3)); then
  echo "compare_fuzzers.sh: need A, B and INPUT_DIR (see --help)" >&2
  exit 2
fi
a="${pos[0]}" b="${pos[1]}" dir="${pos[2]}"
for n in "$runs" "$rounds"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare_fuzzers.sh: '$n' is not a positive count" >&2; exit 2; }
done
for bin in "$a" "$b"; do
  [[ -x "$bin" ]] || { echo "compare_fuzzers.sh: $bin is not an executable" >&2; exit 2; }
done
[[ -d "$dir" ]] || { echo "compare_fuzzers.sh: $dir is not a directory" >&2; exit 2; }
mapfile -t inputs < <(find "$dir" -maxdepth 1 -type f | sort)
((${#inputs[@]} > 0)) || { echo "compare_fuzzers.sh: no inputs in $dir" >&2; exit 2; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

# cpu_seconds ENV... -- BIN: user+sys CPU seconds of one turn.
cpu_seconds() {
  local envs=() bin
  while [[ "$1" != -- ]]; do envs+=("$1"); shift; done
  bin="$2"
  local TIMEFORMAT='%3U %3S' t rc=0
  t="$({ time env "${envs[@]}" "$bin" -runs="$runs" "${inputs[@]}" >/dev/null 2>&1 || rc=$?; } 2>&1)"
  if ((rc != 0)); then
    echo "compare_fuzzers.sh: $bin exited with $rc (a crash on one of the inputs?)" >&2
    return 1
  fi
  awk '{printf "%.3f\n", $1 + $2}' <<<"$t"
}

echo "A: $a ${env_a[*]}"
echo "B: $b ${env_b[*]}"
echo "${#inputs[@]} inputs from $dir, -runs=$runs, $rounds rounds"
ta=()
tb=()
for r in $(seq 1 "$rounds"); do
  ta+=("$(cpu_seconds "${env_a[@]}" -- "$a")")
  tb+=("$(cpu_seconds "${env_b[@]}" -- "$b")")
  echo "round $r: A ${ta[-1]} s  B ${tb[-1]} s"
done
printf '%s\n' "${ta[@]}" | sort -n >"${TMPDIR:-/tmp}/cmp_a.$$"
printf '%s\n' "${tb[@]}" | sort -n >"${TMPDIR:-/tmp}/cmp_b.$$"
paste "${TMPDIR:-/tmp}/cmp_a.$$" "${TMPDIR:-/tmp}/cmp_b.$$" | awk -v n="$rounds" '
  { a[NR] = $1; b[NR] = $2 }
  END {
    m = int((n + 1) / 2)
    ma = (n % 2) ? a[m] : (a[m] + a[m + 1]) / 2
    mb = (n % 2) ? b[m] : (b[m] + b[m + 1]) / 2
    printf "min:    A %.3f s  B %.3f s  B/A %.3f\n", a[1], b[1], b[1] / a[1]
    printf "median: A %.3f s  B %.3f s  B/A %.3f\n", ma, mb, mb / ma
  }'
rm -f "${TMPDIR:-/tmp}/cmp_a.$$" "${TMPDIR:-/tmp}/cmp_b.$$"
