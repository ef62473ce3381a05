#!/usr/bin/env bash
# Source-based coverage (clang-14) of core/ over the fuzz targets' seed corpora
# and the ctest suite.
#
# Usage: scripts/coverage.sh [--no-ctest] [--no-seeds] [--no-build] [--functions DIR] [EXTRA_CORPUS]...
#   EXTRA_CORPUS     more inputs to replay: a directory laid out like corpus/ (one
#                    <target>/ subdirectory per fuzz target), or TARGET=DIR for one
#                    target (e.g. scenario_fuzzer=findings/queue)
#   --no-ctest       seed corpora (and extra corpora) only, no ctest
#   --no-seeds       ctest only
#   --no-build       reuse build/coverage as it is
#   --functions DIR  after the summary, list the functions under DIR (e.g.
#                    core/runtime) that never ran
#
# Builds <repo>/build/coverage: clang-14, SCHEDFUZZ_ENGINE=replay (the fuzz
# targets are plain drivers that replay files), -O0 -fprofile-instr-generate
# -fcoverage-mapping. Every process writes build/coverage/profiles/*-%p.profraw
# (LLVM_PROFILE_FILE with %p, so ctest's parallel processes do not collide);
# llvm-profdata-14 merges them; llvm-cov-14 reports on core/ only (not /usr/,
# tests, fuzz/ or repro/). Prints a per-directory summary (core/sim,
# core/runtime, core/trace, core/oracle, core/scenario, core/tracefmt: lines and
# functions), writes the HTML report to build/coverage/html/index.html and the
# full per-file report to build/coverage/report.txt.
#
# A replayed input that crashes (a finding) would lose that process's profile,
# so a failing directory replay is redone one file at a time and the crashing
# files are listed. Exit status: 0, or 1 if the build, merge or report failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
repo="$SF_ROOT"
usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }

run_ctest=1 run_seeds=1 do_build=1 functions_dir=""
extras=()
while (($#)); do
  case "$1" in
    --no-ctest) run_ctest=0 ;;
    --no-seeds) run_seeds=0 ;;
    --no-build) do_build=0 ;;
    --functions) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; functions_dir="$2"; shift ;;
    --functions=*) functions_dir="${1#*=}" ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "coverage.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) extras+=("$1") ;;
  esac
  shift
done

exec </dev/null
LLVM_PROFDATA="${LLVM_PROFDATA:-llvm-profdata-14}"
LLVM_COV="${LLVM_COV:-llvm-cov-14}"
for tool in clang++-14 "$LLVM_PROFDATA" "$LLVM_COV" readelf; do
  command -v "$tool" >/dev/null 2>&1 || { echo "coverage.sh: '$tool' not found (scripts/setup.sh installs clang-14 and llvm-14)" >&2; exit 1; }
done

build="$repo/build/coverage"
prof="$build/profiles"
say() { printf '\n=== coverage.sh: %s\n' "$*"; }
jobs=2

# ---- build -----------------------------------------------------------------
if ((do_build)); then
  flags="-O0 -g -fprofile-instr-generate -fcoverage-mapping"
  say "configure + build ${build#"$repo"/} (clang-14, replay engine, $flags)"
  sf_configure "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DSCHEDFUZZ_ENGINE=replay -DBUILD_TESTING=$((run_ctest ? 1 : 0)) -DBUILD_BENCHMARKS=OFF ||
    { cat "$build/configure.log"; echo "coverage.sh: configure failed" >&2; exit 1; }
  build_targets=()
  if ((!run_ctest)); then
    # Only the fuzz drivers are needed (and a half-finished CLI elsewhere
    # cannot break the build).
    while IFS= read -r t; do build_targets+=(--target "$t"); done < <(sf_fuzz_targets)
  fi
  cmake --build "$build" -j "$jobs" "${build_targets[@]}" ||
    { echo "coverage.sh: build failed" >&2; exit 1; }
fi
[[ -d "$build/fuzz" ]] || { echo "coverage.sh: no build in ${build#"$repo"/}; run without --no-build" >&2; exit 1; }

rm -rf "$prof"
mkdir -p "$prof"

mapfile -t targets < <(sf_fuzz_targets)

crashers=()
# replay TARGET DIR LABEL: the replay driver over DIR, one process; per file on failure.
replay() {
  local t="$1" dir="$2" label="$3" bin="$build/fuzz/$1" out rc
  [[ -x "$bin" ]] || { echo "  $t: not built, skipped"; return; }
  [[ -d "$dir" ]] || return
  out="$(LLVM_PROFILE_FILE="$prof/$t-$label-%p.profraw" "$bin" "$dir" 2>"$build/replay.err")"
  rc=$?
  if ((rc == 0)); then
    echo "  $t <- ${dir#"$repo"/}: $out"
    return
  fi
  echo "  $t <- ${dir#"$repo"/}: replay failed (rc=$rc); replaying file by file"
  local f n=0
  while IFS= read -r -d '' f; do
    if LLVM_PROFILE_FILE="$prof/$t-$label-%p.profraw" "$bin" "$f" >/dev/null 2>&1; then
      n=$((n + 1))
    else
      crashers+=("$t: $f")
    fi
  done < <(find "$dir" -type f ! -name '.*' -print0 | sort -z)
  echo "  $t: replayed $n inputs one by one"
}

if ((run_seeds)); then
  say "replaying seed corpora"
  for t in "${targets[@]}"; do replay "$t" "$repo/corpus/$t" seeds; done
fi
for e in "${extras[@]}"; do
  say "replaying extra corpus $e"
  if [[ "$e" == *=* ]]; then
    t="${e%%=*}"
    [[ " ${targets[*]} " == *" $t "* ]] || { echo "coverage.sh: unknown target '$t' in '$e'" >&2; exit 2; }
    [[ -d "${e#*=}" ]] || { echo "coverage.sh: '${e#*=}' is not a directory" >&2; exit 2; }
    replay "$t" "$(cd "${e#*=}" && pwd)" extra
  else
    [[ -d "$e" ]] || { echo "coverage.sh: '$e' is not a directory" >&2; exit 2; }
    d="$(cd "$e" && pwd)" any=0
    for t in "${targets[@]}"; do
      if [[ -d "$d/$t" ]]; then replay "$t" "$d/$t" extra; any=1; fi
    done
    ((any)) || echo "  no <target>/ subdirectory in $e (use TARGET=DIR for a flat directory)"
  fi
done

if ((run_ctest)); then
  say "ctest (profiles of every test process)"
  LLVM_PROFILE_FILE="$prof/ctest-%p.profraw" ctest --test-dir "$build" -j2 --output-on-failure \
    --timeout 600 >"$build/ctest.log" 2>&1
  rc=$?
  tail -n 3 "$build/ctest.log"
  ((rc == 0)) || echo "coverage.sh: warning: ctest failed (rc=$rc); coverage still reported (see ${build#"$repo"/}/ctest.log)"
fi

# ---- merge -----------------------------------------------------------------
shopt -s nullglob
raws=("$prof"/*.profraw)
shopt -u nullglob
((${#raws[@]})) || { echo "coverage.sh: no profiles were written" >&2; exit 1; }
"$LLVM_PROFDATA" merge -sparse "${raws[@]}" -o "$build/coverage.profdata" ||
  { echo "coverage.sh: llvm-profdata merge failed" >&2; exit 1; }

# The instrumented executables that ran: the fuzz drivers, and with ctest every
# instrumented executable in the build (tests, CLI). Without ctest, test
# binaries left from an earlier run are not looked at.
objects=()
for t in "${targets[@]}"; do
  [[ -x "$build/fuzz/$t" ]] && objects+=("$build/fuzz/$t")
done
if ((run_ctest)); then
  while IFS= read -r -d '' f; do
    [[ " ${objects[*]} " == *" $f "* ]] && continue
    if readelf -S "$f" 2>/dev/null | grep -q '__llvm_covmap'; then objects+=("$f"); fi
  done < <(find "$build" -type f -perm -u+x ! -name '*.so*' ! -path '*/CMakeFiles/*' -print0 | sort -z)
fi
((${#objects[@]})) || { echo "coverage.sh: no instrumented executables in ${build#"$repo"/}" >&2; exit 1; }
obj_args=("${objects[0]}")
for o in "${objects[@]:1}"; do obj_args+=(-object "$o"); done
ignore='(^/usr/|_test\.cc$|_test\.h$|/test_[^/]*$|/fuzz/|/repro/|/bench/|/_deps/)'
cov_common=(-instr-profile="$build/coverage.profdata" -ignore-filename-regex="$ignore")

"$LLVM_COV" report "${obj_args[@]}" "${cov_common[@]}" "$repo/core" >"$build/report.txt" 2>"$build/report.err" ||
  { cat "$build/report.err"; echo "coverage.sh: llvm-cov report failed" >&2; exit 1; }

# ---- per-directory summary -------------------------------------------------
# llvm-cov report columns: Filename Regions Missed Cover Functions Missed Executed
# Lines Missed Cover Branches Missed Cover.
say "coverage of core/ ($( ((run_seeds)) && printf 'seed corpora')$( ((${#extras[@]})) && printf ' + extra corpora')$( ((run_ctest)) && printf ' + ctest'))"
awk -v repo="$repo/" '
  NF >= 13 && $2 ~ /^[0-9]+$/ && $1 != "TOTAL" {
    f = $1; sub("^" repo, "", f)
    n = split(f, parts, "/")
    dir = (n >= 3) ? parts[1] "/" parts[2] : "(" f ")"
    if (f !~ /^core\//) dir = "core/" parts[1]
    lines[dir] += $8; lmiss[dir] += $9; funcs[dir] += $5; fmiss[dir] += $6
    L += $8; LM += $9; F += $5; FM += $6
    seen[dir] = 1
  }
  function pct(t, m) { return t ? sprintf("%6.2f%%", 100 * (t - m) / t) : "     -" }
  END {
    printf "%-16s %18s %10s %18s %10s\n", "directory", "lines (hit/all)", "lines %", "functions (hit/all)", "functions %"
    split("core/sim core/runtime core/trace core/oracle core/scenario core/tracefmt", order, " ")
    for (i = 1; i <= 6; i++) { d = order[i]; done[d] = 1
      printf "%-16s %18s %10s %18s %10s\n", d, (lines[d] - lmiss[d]) "/" lines[d] + 0, pct(lines[d], lmiss[d]),
        (funcs[d] - fmiss[d]) "/" funcs[d] + 0, pct(funcs[d], fmiss[d]) }
    for (d in seen) if (!(d in done))
      printf "%-16s %18s %10s %18s %10s\n", d, (lines[d] - lmiss[d]) "/" lines[d], pct(lines[d], lmiss[d]),
        (funcs[d] - fmiss[d]) "/" funcs[d], pct(funcs[d], fmiss[d])
    printf "%-16s %18s %10s %18s %10s\n", "core (total)", (L - LM) "/" L, pct(L, LM), (F - FM) "/" F, pct(F, FM)
  }' "$build/report.txt"

# ---- HTML ------------------------------------------------------------------
rm -rf "$build/html"
if "$LLVM_COV" show "${obj_args[@]}" "${cov_common[@]}" -format=html -output-dir="$build/html" \
  -show-line-counts-or-regions -Xdemangler=c++filt "$repo/core" >/dev/null 2>"$build/show.err"; then
  echo "HTML report: ${build#"$repo"/}/html/index.html; per-file table: ${build#"$repo"/}/report.txt"
else
  echo "coverage.sh: warning: llvm-cov show failed (see ${build#"$repo"/}/show.err)"
fi

# ---- uncovered functions ---------------------------------------------------
if [[ -n "$functions_dir" ]]; then
  fdir="$functions_dir"
  [[ "$fdir" == /* ]] || fdir="$repo/${fdir#./}"
  fdir="${fdir%/}"
  [[ -d "$fdir" ]] || { echo "coverage.sh: '$functions_dir' is not a directory" >&2; exit 2; }
  say "functions under ${fdir#"$repo"/} that never ran"
  # --show-functions prints "File '<path>':" then one row per function: the
  # name (may contain spaces), then Regions Miss Cover Lines Miss Cover
  # Branches Miss Cover. A function that never ran has every region missed.
  "$LLVM_COV" report --show-functions -Xdemangler=c++filt "${obj_args[@]}" "${cov_common[@]}" "$fdir" 2>/dev/null |
    awk -v repo="$repo/" '
      /^File / { file = $2; gsub(/\047/, "", file); sub(/:$/, "", file); sub("^" repo, "", file); next }
      $1 == "Name" || $1 == "TOTAL" { next }
      NF >= 10 && $(NF - 6) ~ /%$/ && $NF ~ /%$/ {
        regions = $(NF - 8); miss = $(NF - 7)
        if (regions ~ /^[0-9]+$/ && regions > 0 && regions == miss) {
          name = $0
          for (i = 0; i < 9; i++) sub(/[[:space:]]+[^[:space:]]+[[:space:]]*$/, "", name)
          printf "  %s: %s\n", file, name; n++
        }
      }
      END { printf "%d uncovered function(s)\n", n }'
fi

if ((${#crashers[@]})); then
  echo
  echo "inputs that crashed while replaying (findings; their coverage is not counted):"
  printf '  %s\n' "${crashers[@]}"
fi
exit 0
