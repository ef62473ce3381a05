#!/usr/bin/env bash
# THE schedfuzz test command (README, CI). Configures, builds and runs ctest for:
#   gcc   g++, RelWithDebInfo, SCHEDFUZZ_ENGINE=replay            -> <build-dir>/gcc
#   asan  clang-14, ASan+UBSan (SCHEDFUZZ_SANITIZE=ON), replay,
#         BUILD_BENCHMARKS=OFF                                      -> <build-dir>/asan
# Runs scripts/setup.sh first when `setup.sh --check` reports missing packages.
#
# Usage: scripts/test.sh [--quick] [--build-dir DIR] [--no-setup]
#   --quick          g++ build only
#   --build-dir DIR  parent of the gcc/ and asan/ build trees (default: <repo>/build)
#   --no-setup       do not run setup.sh even if packages are missing
# Exit status: 0 only if every configure, build and ctest run succeeded.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
repo="$SF_ROOT"

quick=0
run_setup=1
build_root="$repo/build"
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-setup) run_setup=0 ;;
    --build-dir)
      [[ $# -ge 2 && -n "$2" ]] || { echo "test.sh: --build-dir needs a directory" >&2; exit 2; }
      build_root="$2"; shift ;;
    --build-dir=*) build_root="${1#--build-dir=}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "test.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$build_root" || exit 2
build_root="$(cd "$build_root" && pwd)"

export CLICOLOR=0 GTEST_COLOR=no
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

# Sanitizer runtime options. Defaults first, so options already in the
# environment (appended after them) win.
san_defaults_asan="halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=0"
san_defaults_ubsan="halt_on_error=1:print_stacktrace=1:report_error_type=1"
export ASAN_OPTIONS="${san_defaults_asan}${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="${san_defaults_ubsan}${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

jobs="$(nproc 2>/dev/null || echo 2)"

say() { printf '\n=== test.sh: %s\n' "$*"; }
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo $((t / 1000)); }
secs() { printf '%d.%ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }   # ms -> "12.3s"

# ---- 1. packages -----------------------------------------------------------
# Nothing below reads stdin (builds and tests get </dev/null); only sudo, when
# setup.sh needs it outside CI, may ask for a password on the terminal.
if ((run_setup)); then
  if ! "$here/setup.sh" --check; then
    say "packages are missing; running scripts/setup.sh"
    "$here/setup.sh" || { echo "test.sh: setup.sh failed" >&2; exit 1; }
  fi
fi

# ---- 2. builds -------------------------------------------------------------
declare -a names=() dirs=() states=() totals=() passed=() failed=() times=()

# ctest_totals LOG -> "PASSED FAILED TOTAL" (0 0 0 when no tests were found)
ctest_totals() {
  local line
  line="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1)"
  if [[ -z "$line" ]]; then
    echo "0 0 0"
    return
  fi
  local f t
  f="$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
  t="$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")"
  echo "$((t - f)) $f $t"
}

# run_build NAME DIR CMAKE-ARGS...
run_build() {
  local name="$1" dir="$2"
  shift 2
  local t0 t1 t_conf t_build t_test state="ok" p=0 f=0 n=0
  t0=$(now_ms)

  # From scratch when the arguments (compiler, generator, ...) changed.
  say "[$name] configure: cmake -S . -B ${dir#"$repo"/} $*"
  if ! sf_configure "$dir" "$@"; then
    cat "$dir/configure.log"
    state="configure FAILED"
  fi
  t1=$(now_ms); t_conf=$((t1 - t0))

  if [[ "$state" == ok ]]; then
    say "[$name] build: cmake --build ${dir#"$repo"/} -j $jobs"
    cmake --build "$dir" -j "$jobs" </dev/null || state="build FAILED"
  fi
  t_build=$(($(now_ms) - t1)); t1=$(now_ms)

  if [[ "$state" == ok ]]; then
    say "[$name] test: ctest --output-on-failure -j2"
    local log="$dir/ctest.log"
    # --timeout only applies to tests that set no TIMEOUT property of their own.
    ctest --test-dir "$dir" --output-on-failure -j2 --no-tests=ignore --timeout 600 </dev/null 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    read -r p f n < <(ctest_totals "$log")
    if ((rc != 0)); then
      state="tests FAILED"
      ((f == 0)) && f=1   # ctest failed without a totals line (e.g. it crashed)
    elif ((n == 0)); then
      state="ok (no tests)"
    fi
  fi
  t_test=$(($(now_ms) - t1))

  names+=("$name"); dirs+=("$dir"); states+=("$state")
  passed+=("$p"); failed+=("$f"); totals+=("$n")
  times+=("configure $(secs "$t_conf"), build $(secs "$t_build"), test $(secs "$t_test"), total $(secs $(($(now_ms) - t0)))")
}

start=$(now_ms)

run_build gcc "$build_root/gcc" "${SF_GCC_ARGS[@]}"

if ((!quick)); then
  run_build asan "$build_root/asan" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DSCHEDFUZZ_ENGINE=replay -DSCHEDFUZZ_SANITIZE=ON -DBUILD_BENCHMARKS=OFF
fi

# ---- 3. summary ------------------------------------------------------------
all_p=0 all_f=0 bad=0
echo
echo "=================== schedfuzz test summary ==================="
for i in "${!names[@]}"; do
  printf '%-5s %-14s %s\n' "${names[$i]}" "${states[$i]}" "${dirs[$i]#"$repo"/}"
  if [[ "${states[$i]}" == ok* ]]; then
    printf '      ctest: %s passed, %s failed out of %s\n' "${passed[$i]}" "${failed[$i]}" "${totals[$i]}"
  elif [[ "${states[$i]}" == "tests FAILED" ]]; then
    printf '      ctest: %s passed, %s failed out of %s (see %s/ctest.log)\n' \
      "${passed[$i]}" "${failed[$i]}" "${totals[$i]}" "${dirs[$i]#"$repo"/}"
  fi
  printf '      time: %s\n' "${times[$i]}"
  all_p=$((all_p + passed[i])); all_f=$((all_f + failed[i]))
  case "${states[$i]}" in
    ok*) ;;
    "tests FAILED") bad=1 ;;
    *) bad=1; all_f=$((all_f + 1)) ;;   # a failed configure or build counts as one failure
  esac
done
((quick)) && echo "(--quick: the clang-14 ASan+UBSan build was skipped)"
echo "elapsed: $(secs $(($(now_ms) - start)))"
if ((bad)); then
  echo "RESULT: FAILED"
else
  echo "RESULT: OK"
fi
echo "=============================================================="
echo "schedfuzz: ${all_p} passed, ${all_f} failed"
exit "$bad"
