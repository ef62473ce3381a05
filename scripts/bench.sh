#!/usr/bin/env bash
# Measures schedfuzz on this machine and writes docs/benchmarks.md.
#
#   scripts/bench.sh --quick     a few minutes (after the builds): short runs, 5 trials
#   scripts/bench.sh             the full form: about 60-90 minutes on 2 cores
#
# In one run it measures:
#   1. micro   Google Benchmarks (bench/): the cost of a scheduling point with
#              and without a decision or a fiber switch, plain (g++-12) and
#              under ASan (clang-14, SCHEDFUZZ_SANITIZE=ON); the cost of one
#              model run against scenario size.
#   2. tput    exec/s of every fuzz target (fuzz/*_fuzzer.cc) under libFuzzer
#              with ASan+UBSan, libFuzzer without sanitizers, AFL++ with
#              ASan+UBSan and AFL++ without sanitizers, seeded from corpus/<t>/;
#              the scenario targets once per release (SCHEDFUZZ_GO=1.27, the
#              shipped variant, and SCHEDFUZZ_GO=1.22, fixed; rows labelled
#              "<target> go1.27" / "go1.22"); AFL++ stability from fuzzer_stats.
#   3. ttb     the bug suite: executions and time to each bug of ttb_bugs
#              (the historical Go bugs the model has as variants, and the
#              Go 1.27 finding), from two starts (ttb_starts):
#                seeds    the fuzzers start from the committed seed corpus
#                         corpus/scenario_fuzzer/ (less any input that already
#                         gives the bug); hunt from its default scenario
#                         (`syscalls`);
#                neutral  bench/neutral.txt, a small traced program shaped
#                         like none of the bugs: the fuzzers' one seed is its
#                         byte encoding, hunt's --scenario;
#              with libFuzzer (scenario_fuzzer, -seed=i; once with code
#              coverage, once with SCHEDFUZZ_FEEDBACK=trace as well; and
#              both again with the start's seeds in PCT form, byte format
#              version 3: header bit 5 set, so the fuzzer mutates PCT
#              priorities and change points instead of per-decision bytes,
#              docs/format.md section 2.8; and both once more with
#              SCHEDFUZZ_SCHEDULE_FORM=pct, which keeps the campaign in PCT
#              form), AFL++ (-s i), and
#              `schedfuzz hunt` with a random walk, PCT d=1, d=2 and d=3
#              (--seed=i) and bounded DFS (K=1, K=2; deterministic, so one
#              trial each). Only a finding attributed to the bug's known
#              finding id counts. Every trial is capped in executions
#              (schedules for hunt; BENCH_CAP_EXECS) and, as a safety, in
#              time (BENCH_CAP). time_to_bug.csv has one row per trial.
# and writes docs/benchmarks.md, docs/benchmarks/*.csv (raw results, one row
# per measurement or trial) and the survival curves, one chart per bug:
# docs/benchmarks/time_to_bug.png (go70883) and time_to_bug-<label>.png
# (skipped with a note if python3-matplotlib is missing).
#
# Duration of the full form on 2 cores (2 trials at a time): micro ~5 min,
# tput ~16 min, ttb 6 bugs x 2 starts x (10 x 6 + 2) trials of at most
# 100,000 executions each (~60 min: a hunt that does not find the bug runs
# 5-15 s, a fuzzer 5-20 s); about 80 min in all, more on a loaded machine.
#
# Options:
#   --quick          short form (see the table in docs/benchmarks.md)
#   --only=PARTS     run only these parts (comma separated: micro,tput,ttb); the
#                    report reuses the other parts' raw results from an earlier
#                    run of the same form, if there are any, but its header
#                    (date, commit, settings) describes this run only: say in
#                    the commit which run each section comes from
#   --build-only     build the trees the selected parts need (all six
#                    without --only) and stop
#   --no-build       use the trees as they are (fail if one is missing)
#   --jobs=N         time-to-bug trials run at most N at a time (default 2);
#                    everything else runs one at a time
#   --report-only    regenerate docs/benchmarks.md and the chart from raw results
#   -h, --help       this text
# Environment (overrides the form's defaults):
#   BENCH_TRIALS     trials per time-to-bug configuration (quick 5, full 10)
#   BENCH_CAP_EXECS  executions (hunt: schedules) cap of one trial (quick
#                    20000, full 100000)
#   BENCH_CAP        time cap of one trial in seconds, a safety behind the
#                    executions cap (quick 60, full 180)
#   BENCH_BUGS       time-to-bug only for these bugs (comma-separated labels of
#                    ttb_bugs, e.g. go70883); the other bugs' rows of the last
#                    run's time_to_bug.csv are kept
#   BENCH_STARTS     time-to-bug only from these starts (seeds, neutral);
#                    the other starts' rows of the last run are kept
#   BENCH_METHODS    time-to-bug only with these methods (comma separated:
#                    libfuzzer, libfuzzer-trace, libfuzzer-pct,
#                    libfuzzer-pct-trace, libfuzzer-pct-only,
#                    libfuzzer-pct-only-trace, afl, random, pct1, pct2,
#                    pct3, dfs; the full form runs all but the -pct ones); the
#                    other methods' rows of the last run's time_to_bug.csv
#                    are kept, so a run can re-measure some methods
#   BENCH_TPUT_SECONDS  seconds per throughput run (quick 6, full 60)
#   BENCH_BASELINE   a git revision (e.g. main~3, a tag, a hash): the
#                    throughput part builds scenario_fuzzer at that revision
#                    too (build/bench-base/, libFuzzer with and without
#                    sanitizers) and runs it beside the current build, cell
#                    by cell (baseline first, then current, same corpus,
#                    options and seed), so one run compares the two builds
#                    under the same load; rows "scenario_fuzzer go1.27 @REV"
#   BENCH_TTB_SANITIZERS=1  time-to-bug with the ASan+UBSan fuzz builds
#                    (default: the builds without sanitizers, as the hunt CLI)
#
# Build trees (incremental; the first run builds all six, ~20-30 min at -j2 on
# a busy 2-core machine): build/bench (g++-12: benchmarks, schedfuzz),
# build/bench-asan (clang-14 ASan+UBSan benchmarks), build/bench-lf,
# build/bench-lf-nosan, build/bench-afl, build/bench-afl-nosan.
# Raw results and logs: build/bench-results/<quick|full>/.
# Every run is under `timeout`; on exit or interrupt the script kills the
# processes it started (by pid). Needs no stdin (CI=true is fine).
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

usage() { sed -n '2,/^# Build trees/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cmdline="scripts/bench.sh${*:+ $*}"

mode=full
only=""
build_only=0
no_build=0
report_only=0
jobs_max=2
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --only=*) only="${arg#--only=}" ;;
    --build-only) build_only=1 ;;
    --no-build) no_build=1 ;;
    --report-only) report_only=1 ;;
    --jobs=*) jobs_max="${arg#--jobs=}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$jobs_max" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --jobs needs a positive number" >&2; exit 2; }
for p in ${only//,/ }; do
  case "$p" in micro | tput | ttb) ;; *) echo "bench.sh: --only takes micro, tput, ttb (got '$p')" >&2; exit 2 ;; esac
done
want() { [[ -z "$only" || ",$only," == *",$1,"* ]]; }
baseline=""
if [[ -n "${BENCH_BASELINE:-}" ]]; then
  baseline="$(git -C "$repo" rev-parse --short=7 --verify -q "${BENCH_BASELINE}^{commit}")" ||
    { echo "bench.sh: BENCH_BASELINE '${BENCH_BASELINE}' is not a revision of this repository" >&2; exit 2; }
fi

# The cap of a time-to-bug trial: BENCH_CAP for every bug if set, else the
# quick form's 60 s, else (full form) 180 s; a trial normally ends at its
# executions cap first.
if [[ "$mode" == quick ]]; then
  trials="${BENCH_TRIALS:-5}"
  cap_all="${BENCH_CAP:-60}"
  cap_execs="${BENCH_CAP_EXECS:-20000}"
  tput_s="${BENCH_TPUT_SECONDS:-6}"
  micro_reps=3 micro_min=0.2 model_reps=1 model_min=0.05
else
  trials="${BENCH_TRIALS:-10}"
  cap_all="${BENCH_CAP:-180}"
  cap_execs="${BENCH_CAP_EXECS:-100000}"
  tput_s="${BENCH_TPUT_SECONDS:-60}"
  micro_reps=10 micro_min=0.5 model_reps=3 model_min=0.3
fi
ttb_san="${BENCH_TTB_SANITIZERS:-0}"
[[ "$cap_all" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: BENCH_CAP needs a positive number of seconds" >&2; exit 2; }
[[ "$cap_execs" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: BENCH_CAP_EXECS needs a positive number" >&2; exit 2; }

# The bug suite, one row each, fields separated by |:
#   label     the `bug` column of time_to_bug.csv; BENCH_BUGS picks by it
#   release   the model release: SCHEDFUZZ_GO for the fuzzers, --go for hunt
#   variant   SCHEDFUZZ_VARIANT / --variant: the code before the bug's fix
#   known     the known finding id (core/oracle/known_findings.inc) that counts;
#             hunt gets --find=ID, a fuzzer's crash counts only if attributed to it
#   quiet     1 if that finding is quiet: the fuzzers then run with
#             SCHEDFUZZ_FIND=ID so that it stops them (every other known
#             finding still lets them go on, as hunt's --find does); a crash
#             counts when ID is among its run's verdicts
#   oracles   the oracle sets to measure, space separated (`validator`: the
#             bug counts when the trace breaks Go's parser rules)
ttb_bugs=(
  "go70883|1.22|go70883|go70883|0|validator"
  "go38794|1.22|go38794|go38794|0|validator"
  "go64318|1.22|go64318|go64318|0|validator"
  "go65181|1.22|go65181|go65181|0|validator"
  "go65196|1.22|go65196|go65196|0|validator"
  "starttrace-pless-injectglist|1.27|shipped|starttrace-pless-injectglist|1|validator"
  "gcwait-procstop|1.22|gcwait-procstop|gcwait-procstop|0|validator"
  "go63555|1.27|go63555|go63555|1|invariant"
)
# The starts (see the header); BENCH_STARTS picks.
ttb_starts=(seeds neutral)
neutral_txt="$repo/bench/neutral.txt"
ttb_labels() { local row; for row in "${ttb_bugs[@]}"; do echo "${row%%|*}"; done; }
# bug_set LABEL: b_label b_release b_variant b_known b_quiet b_oracles of
# that bug, and the caps b_cap (seconds) and b_execs.
bug_set() {
  local row
  for row in "${ttb_bugs[@]}"; do
    IFS='|' read -r b_label b_release b_variant b_known b_quiet b_oracles <<<"$row"
    if [[ "$b_label" == "$1" ]]; then
      b_cap="$cap_all" b_execs="$cap_execs"
      return 0
    fi
  done
  echo "bench.sh: unknown bug '$1' in BENCH_BUGS (known: $(ttb_labels | paste -sd, -))" >&2
  exit 2
}
ttb_selected=()
if [[ -n "${BENCH_BUGS:-}" ]]; then
  for b in ${BENCH_BUGS//,/ }; do bug_set "$b"; ttb_selected+=("$b"); done
  ((${#ttb_selected[@]})) || { echo "bench.sh: BENCH_BUGS names no bug" >&2; exit 2; }
else
  mapfile -t ttb_selected < <(ttb_labels)
fi
ttb_methods=(libfuzzer libfuzzer-trace libfuzzer-pct libfuzzer-pct-trace libfuzzer-pct-only
  libfuzzer-pct-only-trace afl random pct1 pct2 pct3 dfs)
# The PCT-form libFuzzer methods are an experiment (docs/benchmarks.md,
# section 4): only BENCH_METHODS selects them.
methods_selected=(libfuzzer libfuzzer-trace afl random pct1 pct2 pct3 dfs)
if [[ -n "${BENCH_METHODS:-}" ]]; then
  methods_selected=()
  for mt in ${BENCH_METHODS//,/ }; do
    [[ " ${ttb_methods[*]} " == *" $mt "* ]] || { echo "bench.sh: unknown method '$mt' in BENCH_METHODS (${ttb_methods[*]})" >&2; exit 2; }
    methods_selected+=("$mt")
  done
fi
want_method() { [[ " ${methods_selected[*]} " == *" $1 "* ]]; }
starts_selected=("${ttb_starts[@]}")
if [[ -n "${BENCH_STARTS:-}" ]]; then
  starts_selected=()
  for st in ${BENCH_STARTS//,/ }; do
    case "$st" in seeds | neutral) starts_selected+=("$st") ;; *) echo "bench.sh: unknown start '$st' in BENCH_STARTS (seeds, neutral)" >&2; exit 2 ;; esac
  done
fi

say() { printf 'bench.sh: %s\n' "$*"; }
die() { printf 'bench.sh: error: %s\n' "$*" >&2; exit 1; }

work="$repo/build/bench-results/$mode"
mkdir -p "$work/logs"
mapfile -t targets < <(sf_fuzz_targets)

# ---- cleanup: kill what we started, by pid ---------------------------------
tmp_root="$(mktemp -d "${TMPDIR:-/tmp}/schedfuzz-bench.XXXXXX")"
# Every process this script started, children before parents' siblings: the
# background trial jobs and, below them, timeout, afl-fuzz, the fuzz targets.
descendants() {
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$c"
    echo "$c"
  done
}
cleanup() {
  local pids
  pids="$(descendants $$ | tr '\n' ' ')"
  if [[ -n "${pids// /}" ]]; then
    # shellcheck disable=SC2086  # one pid per word
    kill $pids 2>/dev/null || true
    sleep 1
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
  fi
  rm -rf "$tmp_root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- builds ----------------------------------------------------------------
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

# build_tree DIR "TARGETS" cmake CMAKE_ARGS...   a RelWithDebInfo tree (sf_configure)
# build_tree DIR "TARGETS" fuzz ENGINE SANITIZERS a fuzz build (sf_configure_fuzz)
build_tree() {
  local dir="$1" tgts="$2" kind="$3"
  shift 3
  local b="$repo/build/$dir"
  if ((no_build)); then
    for t in $tgts; do
      [[ -n "$(find "$b/" -name "$t" -type f -perm -u+x 2>/dev/null | head -1)" ]] || die "--no-build: $b has no $t"
    done
    return 0
  fi
  say "build $dir ($tgts)"
  local ok=1
  if [[ "$kind" == fuzz ]]; then
    sf_configure_fuzz "$b" "$@" || ok=0
  else
    sf_configure "$b" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" || ok=0
  fi
  if ((!ok)); then
    tail -20 "$b/configure.log" >&2
    die "configure of $dir failed (log: $b/configure.log)"
  fi
  # shellcheck disable=SC2086  # targets are words
  if ! SCHEDFUZZ_JOBS=2 sf_build "$b" $tgts; then
    tail -20 "$b/build.log" >&2
    die "build of $dir failed (log: $b/build.log)"
  fi
}

do_builds() {
  local clang=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14)
  # Only the trees the selected parts use: micro needs bench and bench-asan,
  # tput the four fuzz trees, ttb bench (schedfuzz) and the two fuzz trees of
  # its builds (BENCH_TTB_SANITIZERS).
  local san_ttb=0 nosan_ttb=0 lf_ttb=0 afl_ttb=0
  if want ttb; then
    if [[ "$ttb_san" == 1 ]]; then san_ttb=1; else nosan_ttb=1; fi
    # Only the fuzzer trees the selected methods run.
    for mt in "${methods_selected[@]}"; do
      case "$mt" in libfuzzer*) lf_ttb=1 ;; afl) afl_ttb=1 ;; esac
    done
  fi
  build_tree bench "engine_bench model_bench schedfuzz" cmake \
    -DCMAKE_C_COMPILER=gcc-12 -DCMAKE_CXX_COMPILER=g++-12 -DBUILD_TESTING=OFF -DBUILD_BENCHMARKS=ON
  if want micro; then
    build_tree bench-asan "engine_bench model_bench" cmake \
      "${clang[@]}" -DSCHEDFUZZ_SANITIZE=ON -DBUILD_TESTING=OFF -DBUILD_BENCHMARKS=ON
  fi
  if want tput || ((san_ttb && lf_ttb)); then build_tree bench-lf "${targets[*]}" fuzz libfuzzer asan; fi
  if want tput || ((san_ttb && afl_ttb)); then build_tree bench-afl "${targets[*]}" fuzz afl asan; fi
  if want tput || ((nosan_ttb && lf_ttb)); then
    build_tree bench-lf-nosan "${targets[*]}" fuzz libfuzzer none
  fi
  if want tput || ((nosan_ttb && afl_ttb)); then
    build_tree bench-afl-nosan "${targets[*]}" fuzz afl none
  fi
  if want tput && [[ -n "$baseline" ]]; then build_baseline; fi
}

# The baseline's source is the revision's tree (git archive) in
# build/bench-base/src-<hash>; its two libFuzzer trees are configured from it
# with the same settings as the current ones.
build_baseline() {
  local src="$repo/build/bench-base/src-$baseline"
  if [[ ! -f "$src/CMakeLists.txt" ]]; then
    ((no_build)) && die "--no-build: $src is missing"
    say "baseline $baseline: source into $src"
    rm -rf "$src"
    mkdir -p "$src"
    git -C "$repo" archive "$baseline" | tar -x -C "$src" || die "git archive $baseline failed"
  fi
  SF_ROOT="$src" build_tree "bench-base/lf-$baseline" scenario_fuzzer fuzz libfuzzer asan
  SF_ROOT="$src" build_tree "bench-base/lf-nosan-$baseline" scenario_fuzzer fuzz libfuzzer none
}

fuzzer_bin() { echo "$repo/build/$1/fuzz/$2"; }
schedfuzz_bin="$repo/build/bench/repro/schedfuzz"

# libFuzzer flags ([libfuzzer] section, as OSS-Fuzz passes them) and the dict.
lf_flags() { sf_libfuzzer_args "$repo/fuzz/$1.options" "$repo/fuzz/$1.dict"; }
# The sanitizer runtime options of the [asan] and [ubsan] sections, as
# ASAN_OPTIONS=... UBSAN_OPTIONS=... words for env (libFuzzer runs; afl-fuzz
# sets its own ASAN_OPTIONS, and clang-14's defaults agree with the sections).
lf_env() { sf_sanitizer_env "$repo/fuzz/$1.options"; }

# stat_field FILE KEY: a value from AFL++'s fuzzer_stats ("key : value").
stat_field() { sf_afl_stat "$1" "$2"; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
clean_note() { tr ',\n' ';  ' <<<"$1" | sed 's/[[:space:]]*$//'; }

# ---- 1. micro-benchmarks ----------------------------------------------------
run_micro() {
  local d="$work/micro"
  mkdir -p "$d"
  say "micro: engine_bench plain and ASan (${micro_reps} repetitions, min ${micro_min}s)"
  local common=(--benchmark_repetitions="$micro_reps" --benchmark_min_time="$micro_min"
    --benchmark_report_aggregates_only=true --benchmark_out_format=json)
  timeout -k 10 900 "$repo/build/bench/bench/engine_bench" "${common[@]}" \
    --benchmark_out="$d/engine-plain.json" >"$work/logs/engine-plain.txt" 2>&1 </dev/null
  timeout -k 10 900 "$repo/build/bench-asan/bench/engine_bench" "${common[@]}" \
    --benchmark_out="$d/engine-asan.json" >"$work/logs/engine-asan.txt" 2>&1 </dev/null
  say "micro: model_bench plain (all sizes) and ASan (default scenario)"
  local mcommon=(--benchmark_repetitions="$model_reps" --benchmark_min_time="$model_min" --benchmark_out_format=json)
  if ((model_reps > 1)); then mcommon+=(--benchmark_report_aggregates_only=true); fi
  timeout -k 10 1800 "$repo/build/bench/bench/model_bench" "${mcommon[@]}" \
    --benchmark_out="$d/model-plain.json" >"$work/logs/model-plain.txt" 2>&1 </dev/null
  timeout -k 10 900 "$repo/build/bench-asan/bench/model_bench" "${mcommon[@]}" \
    --benchmark_filter='BM_ModelDefault|BM_Decode' \
    --benchmark_out="$d/model-asan.json" >"$work/logs/model-asan.txt" 2>&1 </dev/null
}

# ---- 2. throughput ----------------------------------------------------------
# One run at a time; each row: target,engine,requested_s,run_s,execs,exec_per_sec,stability,crashes,note
tput_libfuzzer() {
  local t="$1" engine="$2" dir="$3" label="${4:-$1}"
  local bin tmp log
  bin="$(fuzzer_bin "$dir" "$t")"
  tmp="$tmp_root/tput-$engine-${label// /-}"
  log="$work/logs/tput-$engine-${label// /-}.log"
  rm -rf "$tmp"
  mkdir -p "$tmp/corpus" "$tmp/art"
  cp -r "$repo/corpus/$t/." "$tmp/corpus/"
  local flags=() envs=()
  mapfile -t flags < <(lf_flags "$t")
  mapfile -t envs < <(lf_env "$t")
  local t0 t1 rc=0
  t0="$(now)"
  (cd "$tmp" && env "${envs[@]}" timeout -k 10 $((tput_s + 120)) "$bin" -max_total_time="$tput_s" -print_final_stats=1 -seed=1 \
    -artifact_prefix="$tmp/art/" "${flags[@]}" "$tmp/corpus") >"$log" 2>&1 </dev/null || rc=$?
  t1="$(now)"
  local execs eps crashes note=""
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  eps="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  crashes="$(find "$tmp/art" -type f | wc -l)"
  if ((rc != 0)); then
    note="exit $rc"
    if grep -q '==schedfuzz== known finding' "$log"; then
      note="$note: stopped on $(sed -n 's/^==schedfuzz== known finding: //p' "$log" | head -1)"
    fi
  fi
  echo "$label,$engine,$tput_s,$(elapsed "$t0" "$t1"),${execs:-},${eps:-},,$crashes,$(clean_note "$note")" \
    >>"$work/throughput.csv"
  rm -rf "$tmp"
}

tput_afl() {
  local t="$1" engine="$2" dir="$3" label="${4:-$1}"
  local bin tmp log
  bin="$(fuzzer_bin "$dir" "$t")"
  tmp="$tmp_root/tput-$engine-${label// /-}"
  log="$work/logs/tput-$engine-${label// /-}.log"
  rm -rf "$tmp"
  sf_afl_seeds "$tmp/seeds" "$repo/corpus/$t"
  sf_afl_command "$bin" "$tmp/seeds" "$tmp/out" "$tput_s" "$repo/fuzz/$t.options" "$repo/fuzz/$t.dict" -s 1
  local t0 t1 rc=0
  t0="$(now)"
  (cd "$tmp" && timeout -k 10 $((tput_s + 180)) env AFL_FAST_CAL=1 "${SF_CMD[@]}") >"$log" 2>&1 </dev/null || rc=$?
  t1="$(now)"
  local st="$tmp/out/default/fuzzer_stats" note=""
  ((rc == 0)) || note="exit $rc"
  [[ -f "$st" ]] || note="$note no fuzzer_stats"
  cp "$st" "$work/logs/tput-$engine-${label// /-}.fuzzer_stats" 2>/dev/null || true
  echo "$label,$engine,$tput_s,$(stat_field "$st" run_time),$(stat_field "$st" execs_done),$(stat_field "$st" execs_per_sec),$(stat_field "$st" stability | tr -d '%'),$(stat_field "$st" saved_crashes),$(clean_note "$note")" \
    >>"$work/throughput.csv"
  rm -rf "$tmp"
}

run_tput() {
  say "throughput: ${#targets[@]} targets x 4 engines, ${tput_s}s each, one at a time"
  echo "target,engine,requested_s,run_s,execs,exec_per_sec,stability_pct,crashes,note" >"$work/throughput.csv"
  local t go label
  for t in "${targets[@]}"; do
    # The scenario targets run the model: measure each release. The others
    # (the validator's) do not depend on it.
    local releases=("")
    [[ "$t" == scenario* ]] && releases=(1.27 1.22)
    for go in "${releases[@]}"; do
      label="$t${go:+ go$go}"
      say "  $label"
      if [[ -n "$go" ]]; then export SCHEDFUZZ_GO="$go"; else unset SCHEDFUZZ_GO; fi
      if [[ -n "$baseline" && "$t" == scenario_fuzzer ]]; then
        tput_libfuzzer "$t" libfuzzer-asan-ubsan "bench-base/lf-$baseline" "$label @$baseline"
      fi
      tput_libfuzzer "$t" libfuzzer-asan-ubsan bench-lf "$label"
      if [[ -n "$baseline" && "$t" == scenario_fuzzer ]]; then
        tput_libfuzzer "$t" libfuzzer-nosan "bench-base/lf-nosan-$baseline" "$label @$baseline"
      fi
      tput_libfuzzer "$t" libfuzzer-nosan bench-lf-nosan "$label"
      tput_afl "$t" afl-asan-ubsan bench-afl "$label"
      tput_afl "$t" afl-nosan bench-afl-nosan "$label"
    done
    unset SCHEDFUZZ_GO
  done
}

# ---- 3. time to bug: the bug suite -------------------------------------------
# Each trial writes one row into $work/ttb/<bug>/<id>.csv:
#   bug,start,method,oracle,trial,seed,cap_s,cap_execs,found,outcome,seconds,execs,known,note
# outcome: found | timeout (the executions or the time cap) | other (stopped
# on a finding that is not the bug's known id) | error. Every trial function
# takes the bug's label and the start first and reads the bug's fields with
# bug_set.
ttb_row() {
  echo "$b_label,$start,$1,$2,$3,$4,$b_cap,$b_execs,$5,$6,$7,$8,$9,$(clean_note "${10}")" \
    >"$work/ttb/$b_label/$id.csv"
}

# The fuzz targets' environment for the bug: its release and variant; a quiet
# known finding must be reported to stop the fuzzer. The caller's
# SCHEDFUZZ_REPORT_KNOWN and SCHEDFUZZ_FIND never leak in (env -u).
bug_env() {
  echo SCHEDFUZZ_GO="$b_release"
  echo SCHEDFUZZ_VARIANT="$b_variant"
  # A quiet known finding stops a fuzzer only when asked for: SCHEDFUZZ_FIND
  # stops on this one (or a new one) and lets every other known one pass, as
  # hunt's --find does.
  if [[ "$b_quiet" == 1 ]]; then echo SCHEDFUZZ_FIND="$b_known"; fi
}

# start_seeds BUG START: the directory of the fuzzers' seeds for this bug and
# start (made once by ttb_prepare_seeds).
start_seeds() { echo "$work/seeds/$1-$2"; }

# ttb_prepare_seeds BUG: the two starts' seed directories. `seeds` is the
# committed corpus less every input whose run on the bug's variant already
# gives the bug or a finding no known one explains (either would end a trial
# at its first execution, or make afl-fuzz refuse the seed); the count left out
# goes to <dir>.dropped. `neutral` is bench/neutral.txt in the byte format.
# For the PCT-form methods, <start>-pct holds a copy of each with version byte
# 3 and header bit 5 set: the same scenarios, their schedule bytes read as
# PCT priorities and change points (docs/format.md, section 2.8). For the
# PCT-only methods, <start>-pct3 holds the same with every schedule shorter
# than 16 bytes padded to a depth-3 one: zero priority bytes up to 16 (what
# missing ones read as) and two change points ff ff (decision 1023, after
# most runs' end), so that each seed's run stays as it was while one byte
# mutation can place a change point. Without them a seed needs 17 or more
# schedule bytes before any change point exists, and libFuzzer's length
# limit (-len_control) keeps inputs near the longest seed's length: the
# neutral seed (70 bytes, an empty schedule) never gets one.
ttb_prepare_seeds() {
  bug_set "$1"
  local d f keep=() seeds=()
  d="$(start_seeds "$1" seeds)"
  rm -rf "$d" "$(start_seeds "$1" neutral)"
  mkdir -p "$d" "$(start_seeds "$1" neutral)"
  mapfile -d '' seeds < <(find "$repo/corpus/scenario_fuzzer" -type f -size +0c -print0 | sort -z)
  # One replay of every seed (a JSON line each); a seed without a line (its
  # run failed) is left out too.
  mapfile -t keep < <("$schedfuzz_bin" run --go="$b_release" --variant="$b_variant" --oracles="$b_oracles" --json \
    "${seeds[@]}" 2>/dev/null </dev/null | python3 -c '
import json, sys
known = sys.argv[1]
for line in sys.stdin:
    try:
        out = json.loads(line)
    except ValueError:
        continue
    if not any(v.get("known", "") in ("", known) for v in out.get("verdicts", [])):
        print(out["file"])' "$b_known")
  for f in "${keep[@]}"; do cp "$f" "$d/$(basename "$(dirname "$f")")-$(basename "$f")"; done
  echo $((${#seeds[@]} - ${#keep[@]})) >"$d.dropped"
  "$schedfuzz_bin" encode "$neutral_txt" -o "$(start_seeds "$1" neutral)/neutral" >/dev/null 2>&1 </dev/null
  local st
  for st in seeds neutral; do
    rm -rf "$(start_seeds "$1" "$st-pct")"
    mkdir -p "$(start_seeds "$1" "$st-pct")"
    python3 - "$(start_seeds "$1" "$st")" "$(start_seeds "$1" "$st-pct")" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    b = bytearray(open(os.path.join(src, name), "rb").read())
    if len(b) < 2:
        b.extend(bytes(2 - len(b)))
    b[0] = 3        # format version 3
    b[1] |= 0x20    # header bit 5: the schedule is in PCT form
    open(os.path.join(dst, name), "wb").write(b)
PY
    rm -rf "$(start_seeds "$1" "$st-pct3")"
    mkdir -p "$(start_seeds "$1" "$st-pct3")"
    for f in "$(start_seeds "$1" "$st-pct")"/*; do
      "$schedfuzz_bin" print "$f" 2>/dev/null </dev/null | python3 -c '
import sys
text = sys.stdin.read()
n = sum(len(line.split()) - 1 for line in text.splitlines() if line.startswith("schedule "))
pad = []
if n < 16:
    pad = ["00"] * (16 - n) + ["ff"] * 4
elif n < 20 and (n - 16) % 2 == 0:
    pad = ["ff"] * (20 - n)
sys.stdout.write(text + ("schedule " + " ".join(pad) + "\n" if pad else ""))' >"$tmp_root/pct3.txt"
      "$schedfuzz_bin" encode "$tmp_root/pct3.txt" -o "$(start_seeds "$1" "$st-pct3")/$(basename "$f")" \
        >/dev/null 2>&1 </dev/null
    done
  done
}

# ttb_libfuzzer BUG START ORACLE TRIAL DIR [FEEDBACK [FORM]]: FEEDBACK `trace`
# runs it with SCHEDFUZZ_FEEDBACK=trace (the method "libFuzzer+trace"); FORM
# `pct` starts it from the start's seeds in PCT form (the methods "libFuzzer
# PCT-form" and "libFuzzer+trace PCT-form"); `pct-only` from the seeds padded
# to depth-3 schedules (<start>-pct3), with SCHEDFUZZ_SCHEDULE_FORM=pct, so
# that inputs whose mutations cleared the PCT bit do not run ("libFuzzer
# PCT-only", "libFuzzer+trace PCT-only").
ttb_libfuzzer() {
  bug_set "$1"
  local start="$2" oracle="$3" trial="$4" dir="$5" feedback="${6:-none}" form="${7:-bytes}"
  local method="libFuzzer" id="$b_label-$start-lf-$oracle-$trial" seeds_dir sform=any
  if [[ "$feedback" != none ]]; then method="libFuzzer+$feedback" id="$b_label-$start-lf$feedback-$oracle-$trial"; fi
  seeds_dir="$(start_seeds "$b_label" "$start")"
  if [[ "$form" == pct ]]; then
    method="$method PCT-form" id="$b_label-$start-lfpct${feedback/none/}-$oracle-$trial"
    seeds_dir="$(start_seeds "$b_label" "$start-pct")"
  elif [[ "$form" == pct-only ]]; then
    method="$method PCT-only" id="$b_label-$start-lfpctonly${feedback/none/}-$oracle-$trial"
    seeds_dir="$(start_seeds "$b_label" "$start-pct3")" sform=pct
  fi
  local bin tmp log
  bin="$(fuzzer_bin "$dir" scenario_fuzzer)"
  tmp="$tmp_root/$id"
  log="$work/logs/ttb-$id.log"
  rm -rf "$tmp"
  mkdir -p "$tmp/corpus" "$tmp/art"
  local flags=() envs=() benv=()
  mapfile -t flags < <(lf_flags scenario_fuzzer)
  mapfile -t envs < <(lf_env scenario_fuzzer)
  mapfile -t benv < <(bug_env)
  local t0 t1 rc=0
  t0="$(now)"
  # New inputs go to the first directory; the start's seeds are read only.
  (cd "$tmp" && env -u SCHEDFUZZ_REPORT_KNOWN -u SCHEDFUZZ_FIND "${envs[@]}" "${benv[@]}" SCHEDFUZZ_ORACLES="$oracle" \
    SCHEDFUZZ_FEEDBACK="$feedback" SCHEDFUZZ_SCHEDULE_FORM="$sform" timeout -k 10 $((b_cap + 60)) "$bin" \
    -seed="$trial" -runs="$b_execs" -max_total_time="$b_cap" -print_final_stats=1 -artifact_prefix="$tmp/art/" \
    "${flags[@]}" "$tmp/corpus" "$seeds_dir") >"$log" 2>&1 </dev/null || rc=$?
  t1="$(now)"
  local secs execs known outcome found=0 note=""
  secs="$(elapsed "$t0" "$t1")"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  known="$(sed -n 's/^==schedfuzz== known finding: //p' "$log" | head -1)"
  # The bug may be a later verdict of the run than the primary one.
  if grep -qF "[known: $b_known]" "$log"; then
    known="$b_known"
  fi
  if [[ "$known" == "$b_known" ]]; then
    outcome=found found=1
  elif [[ -n "$known" ]]; then
    outcome=other note="stopped on: $known"
  elif ((rc == 0)); then
    outcome=timeout
  else
    outcome=error note="exit $rc without a ==schedfuzz== report"
  fi
  if [[ "$form" == pct && "$outcome" == found ]]; then
    # Mutations can clear header bit 5: say which form the finding input had.
    local crash b1
    crash="$(find "$tmp/art" -type f -name 'crash-*' | head -1)"
    if [[ -n "$crash" ]]; then
      b1="$(od -An -tu1 -j1 -N1 "$crash" | tr -d ' ')"
      if ((${b1:-0} & 32)); then note="finding input in PCT form"; else note="finding input in byte form"; fi
    fi
  fi
  ttb_row "$method" "$oracle" "$trial" "$trial" "$found" "$outcome" "$secs" "${execs:-}" "$known" "$note"
  rm -rf "$tmp"
}

ttb_afl() {
  bug_set "$1"
  local start="$2" oracle="$3" trial="$4" dir="$5"
  local method="AFL++" id="$b_label-$start-afl-$oracle-$trial"
  local bin tmp log
  bin="$(fuzzer_bin "$dir" scenario_fuzzer)"
  tmp="$tmp_root/$id"
  log="$work/logs/ttb-$id.log"
  rm -rf "$tmp"
  sf_afl_seeds "$tmp/seeds" "$(start_seeds "$b_label" "$start")"
  sf_afl_command "$bin" "$tmp/seeds" "$tmp/out" "$b_cap" "$repo/fuzz/scenario_fuzzer.options" \
    "$repo/fuzz/scenario_fuzzer.dict" -s "$trial" -E "$b_execs"
  local benv=()
  mapfile -t benv < <(bug_env)
  local t0 t1 rc=0
  t0="$(now)"
  (cd "$tmp" && timeout -k 10 $((b_cap + 60)) env -u SCHEDFUZZ_REPORT_KNOWN -u SCHEDFUZZ_FIND AFL_BENCH_UNTIL_CRASH=1 \
    "${benv[@]}" SCHEDFUZZ_ORACLES="$oracle" "${SF_CMD[@]}") >"$log" 2>&1 </dev/null || rc=$?
  t1="$(now)"
  local st="$tmp/out/default/fuzzer_stats" crash secs execs known="" outcome found=0 note=""
  cp "$st" "$work/logs/ttb-$id.fuzzer_stats" 2>/dev/null || true
  crash="$(find "$tmp/out/default/crashes" -type f -name 'id:*' 2>/dev/null | sort | head -1)"
  secs="$(elapsed "$t0" "$t1")"
  execs="$(stat_field "$st" execs_done)"
  if [[ -n "$crash" ]]; then
    # AFL++ names a crash ...,time:<ms since start>,execs:<count>,...: use them when present.
    local base ms ex
    base="$(basename "$crash")"
    ms="$(sed -n 's/.*,time:\([0-9]*\).*/\1/p' <<<"$base")"
    ex="$(sed -n 's/.*,execs:\([0-9]*\).*/\1/p' <<<"$base")"
    if [[ -n "$ms" ]]; then secs="$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"; fi
    if [[ -n "$ex" ]]; then execs="$ex"; fi
    # The target's stderr is not kept by afl-fuzz: attribute by replaying
    # (`schedfuzz run` reports quiet known findings too).
    local json
    json="$("$schedfuzz_bin" run --go="$b_release" --variant="$b_variant" --oracles="$oracle" --json "$crash" \
      2>/dev/null </dev/null)" || true
    known="$(sed -n 's/^{[^{]*"known":"\([^"]*\)".*/\1/p' <<<"$json" | head -1)"
    # The bug may be a later verdict of the run than the primary one.
    if grep -qF "\"known\":\"$b_known\"" <<<"$json"; then known="$b_known"; fi
    cp "$crash" "$work/logs/ttb-$id.crash" 2>/dev/null || true
    if [[ "$known" == "$b_known" ]]; then
      outcome=found found=1
    else
      outcome=other note="first crash replays as: ${known:-no known finding}"
    fi
  elif [[ -f "$st" ]]; then
    outcome=timeout
    ((rc == 0)) || note="exit $rc"
  else
    outcome=error note="exit $rc; no fuzzer_stats"
  fi
  ttb_row "$method" "$oracle" "$trial" "$trial" "$found" "$outcome" "$secs" "${execs:-}" "$known" "$note"
  rm -rf "$tmp"
}

# ttb_hunt BUG START ORACLE TRIAL METHOD HUNT_FLAGS... (METHOD has _ for
# spaces: a job is split into words)
ttb_hunt() {
  bug_set "$1"
  local start="$2" oracle="$3" trial="$4" method="${5//_/ }"
  shift 5
  local id scenario=syscalls
  [[ "$start" == neutral ]] && scenario="$neutral_txt"
  id="$b_label-$start-hunt-$(tr ' =' '--' <<<"$method")-$oracle-$trial"
  local log="$work/logs/ttb-$id.json" rc=0
  timeout -k 10 $((b_cap + 60)) "$schedfuzz_bin" hunt "$@" --scenario="$scenario" --go="$b_release" \
    --variant="$b_variant" --oracles="$oracle" --find="$b_known" \
    --runs="$b_execs" --seconds="$b_cap" --seed="$trial" --json -o "$tmp_root/$id.bin" \
    >"$log" 2>"$work/logs/ttb-$id.err" </dev/null || rc=$?
  local line found secs execs known outcome note=""
  line="$(head -1 "$log")"
  field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$line" | head -1 | tr -d '"'; }
  found="$(field found)"
  secs="$(field seconds)"
  execs="$(field schedules)"
  known="$(field known)"
  if [[ "$found" == true && "$known" == "$b_known" ]]; then
    outcome=found found=1
  elif [[ "$found" == false ]]; then
    outcome=timeout found=0
    [[ "$(field exhausted)" == true ]] && note="search space exhausted"
  else
    outcome=error found=0 note="exit $rc: $(head -c 200 "$work/logs/ttb-$id.err")"
  fi
  ttb_row "$method" "$oracle" "$trial" "$trial" "$found" "$outcome" "$secs" "$execs" "$known" "$note"
  rm -f "$tmp_root/$id.bin"
}

# Runs the queued trials, at most $jobs_max at a time.
queue=()
enqueue() { queue+=("$*"); }
run_queue() {
  local job n=0 total=${#queue[@]}
  for job in "${queue[@]}"; do
    while (($(jobs -pr | wc -l) >= jobs_max)); do wait -n || true; done
    n=$((n + 1))
    say "  [$n/$total] $job"
    # shellcheck disable=SC2086  # a job is a function name and plain words
    $job &
  done
  wait || true
  queue=()
}

run_ttb() {
  local lfdir=bench-lf-nosan afldir=bench-afl-nosan
  if [[ "$ttb_san" == 1 ]]; then lfdir=bench-lf afldir=bench-afl; fi
  local prev="$work/time_to_bug.prev.csv"
  rm -f "$prev"
  if [[ -n "${BENCH_METHODS:-}${BENCH_BUGS:-}${BENCH_STARTS:-}" && -f "$work/time_to_bug.csv" ]]; then
    cp "$work/time_to_bug.csv" "$prev"
  fi
  rm -rf "$work/ttb" "$work/seeds"
  mkdir -p "$work/ttb"
  echo "$lfdir $afldir" >"$work/ttb-builds.txt"
  local bug trial oracle start quiet desc=() drops=()
  for bug in "${ttb_selected[@]}"; do
    bug_set "$bug"
    mkdir -p "$work/ttb/$bug"
    ttb_prepare_seeds "$bug"
    quiet=""
    [[ "$b_quiet" == 1 ]] && quiet=", quiet"
    say "time to bug: $b_label (Go $b_release, variant $b_variant, known id $b_known$quiet), oracles ${b_oracles// /,}, starts ${starts_selected[*]}, $trials trials, cap $b_execs executions / ${b_cap}s; $(cat "$(start_seeds "$bug" seeds).dropped") seed(s) left out"
    drops+=("$b_label=$(cat "$(start_seeds "$bug" seeds).dropped")")
    for start in "${starts_selected[@]}"; do
      for trial in $(seq 1 "$trials"); do
        for oracle in $b_oracles; do
          want_method libfuzzer && enqueue ttb_libfuzzer "$bug" "$start" "$oracle" "$trial" "$lfdir"
          want_method libfuzzer-trace && enqueue ttb_libfuzzer "$bug" "$start" "$oracle" "$trial" "$lfdir" trace
          want_method libfuzzer-pct && enqueue ttb_libfuzzer "$bug" "$start" "$oracle" "$trial" "$lfdir" none pct
          want_method libfuzzer-pct-trace && enqueue ttb_libfuzzer "$bug" "$start" "$oracle" "$trial" "$lfdir" trace pct
          want_method libfuzzer-pct-only && enqueue ttb_libfuzzer "$bug" "$start" "$oracle" "$trial" "$lfdir" none pct-only
          want_method libfuzzer-pct-only-trace && enqueue ttb_libfuzzer "$bug" "$start" "$oracle" "$trial" "$lfdir" trace pct-only
          want_method afl && enqueue ttb_afl "$bug" "$start" "$oracle" "$trial" "$afldir"
          want_method random && enqueue ttb_hunt "$bug" "$start" "$oracle" "$trial" hunt_random --strategy=random
          want_method pct1 && enqueue ttb_hunt "$bug" "$start" "$oracle" "$trial" hunt_PCT_d=1 --strategy=pct --depth=1
          want_method pct2 && enqueue ttb_hunt "$bug" "$start" "$oracle" "$trial" hunt_PCT_d=2 --strategy=pct --depth=2
          want_method pct3 && enqueue ttb_hunt "$bug" "$start" "$oracle" "$trial" hunt_PCT_d=3 --strategy=pct --depth=3
          if ((trial == 1)) && want_method dfs; then
            # DFS takes no seed: every trial would repeat the same schedules.
            enqueue ttb_hunt "$bug" "$start" "$oracle" "$trial" hunt_DFS_K=1 --strategy=dfs --preemptions=1
            enqueue ttb_hunt "$bug" "$start" "$oracle" "$trial" hunt_DFS_K=2 --strategy=dfs --preemptions=2
          fi
        done
      done
    done
  done
  # Every bug of the table, for the report (meta.env's ttb_bugs: rows kept
  # from an earlier run need theirs too), and this run's dropped seeds.
  for bug in $(ttb_labels); do
    bug_set "$bug"
    desc+=("$b_label|$b_release|$b_variant|$b_known|$b_quiet|${b_oracles// /,}")
  done
  (IFS=';'; echo "${desc[*]}") >"$work/ttb-bugs.txt"
  # Dropped seeds of the bugs this run left alone stay as the run that
  # measured them wrote them.
  local dent kept_drops=()
  for dent in $(tr ';' ' ' <"$work/ttb-dropped.txt" 2>/dev/null); do
    [[ " ${ttb_selected[*]} " == *" ${dent%%=*} "* ]] || kept_drops+=("$dent")
  done
  drops=("${kept_drops[@]}" "${drops[@]}")
  (IFS=';'; echo "${drops[*]}") >"$work/ttb-dropped.txt"
  say "time to bug: up to $jobs_max trials at a time"
  run_queue
  {
    echo "bug,start,method,oracle,trial,seed,cap_s,cap_execs,found,outcome,seconds,execs,known,note"
    # One block per bug, in table order; in a block, by trial id.
    for bug in "${ttb_selected[@]}"; do
      find "$work/ttb/$bug" -name '*.csv' -print0 | sort -z | xargs -0 -r cat
    done
  } >"$work/time_to_bug.new.csv"
  if [[ -f "$prev" ]]; then
    # BENCH_METHODS, BENCH_BUGS, BENCH_STARTS: the earlier run's rows of every
    # (bug, start, method) this run did not measure stay.
    python3 - "$prev" "$work/time_to_bug.new.csv" >"$work/time_to_bug.csv" <<'PY'
import csv, sys
old = list(csv.DictReader(open(sys.argv[1])))
new = list(csv.DictReader(open(sys.argv[2])))
fields = list(new[0].keys()) if new else (list(old[0].keys()) if old else [])
measured = {(r["bug"], r["start"], r["method"]) for r in new}
w = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
w.writeheader()
w.writerows([r for r in old if (r.get("bug"), r.get("start"), r.get("method")) not in measured] + new)
PY
  else
    mv "$work/time_to_bug.new.csv" "$work/time_to_bug.csv"
  fi
}

# ---- machine and run description -------------------------------------------
write_meta() {
  local f="$work/meta.env"
  {
    echo "mode=$mode"
    echo "command=$cmdline"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc=$(nproc)"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel=$(uname -r)"
    echo "os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null)"
    echo "gxx=$(g++-12 --version 2>/dev/null | head -1)"
    echo "clang=$(clang++-14 --version 2>/dev/null | head -1)"
    echo "afl=$(dpkg-query -W -f='${Version}' afl++ 2>/dev/null || echo '?')"
    echo "libbenchmark=$(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo '?')"
    echo "git=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "trials=$trials"
    echo "cap=$cap_all"
    echo "cap_execs=$cap_execs"
    echo "ttb_bugs=$(cat "$work/ttb-bugs.txt" 2>/dev/null)"
    echo "ttb_dropped=$(cat "$work/ttb-dropped.txt" 2>/dev/null)"
    echo "ttb_starts=${starts_selected[*]}"
    echo "tput_s=$tput_s"
    echo "baseline=$baseline"
    echo "micro=${micro_reps}x${micro_min}s"
    echo "model=${model_reps}x${model_min}s"
    echo "jobs=$jobs_max"
    echo "ttb_builds=$(cat "$work/ttb-builds.txt" 2>/dev/null || echo '?')"
    echo "load_start=$load_start"
    echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "seconds=$((SECONDS))"
  } >"$f"
}

# record_runs: one line per part this run measured, in $work/runs-<part>.txt
# (date, commit, the command with the BENCH_* settings it ran under), which
# the report prints under each section: sections are re-measured alone
# (--only, BENCH_BUGS, ...) and the page's header describes the last run
# only. A part measured whole starts its file again; a time-to-bug run over
# part of the suite (BENCH_BUGS, BENCH_STARTS, BENCH_METHODS) adds a line,
# since the rows it kept came from the earlier runs.
record_runs() {
  local settings="" v line commit
  for v in BENCH_TRIALS BENCH_CAP BENCH_CAP_EXECS BENCH_BUGS BENCH_STARTS BENCH_METHODS \
    BENCH_TPUT_SECONDS BENCH_BASELINE BENCH_TTB_SANITIZERS; do
    [[ -n "${!v:-}" ]] && settings+="$v=${!v} "
  done
  commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo '+uncommitted')"
  line="$(date -u '+%Y-%m-%d %H:%M UTC')"$'\t'"$commit"$'\t'"$settings$cmdline"
  local part
  for part in micro tput ttb; do
    want "$part" || continue
    if [[ "$part" == ttb && -n "${BENCH_BUGS:-}${BENCH_STARTS:-}${BENCH_METHODS:-}" ]]; then
      printf '%s\n' "$line" >>"$work/runs-$part.txt"
    else
      printf '%s\n' "$line" >"$work/runs-$part.txt"
    fi
  done
}

# ---- report -----------------------------------------------------------------
find_python() {
  local py
  for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import matplotlib' >/dev/null 2>&1; then
      echo "$py"
      return
    fi
  done
  command -v python3 || echo /usr/bin/python3
}

make_report() {
  local py
  py="$(find_python)"
  say "report: docs/benchmarks.md, docs/benchmarks/ ($py)"
  "$py" "$repo/scripts/bench_report.py" --work "$work" --docs "$repo/docs" </dev/null
}

# ---- main -------------------------------------------------------------------
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
if ((report_only)); then
  make_report
  exit 0
fi
for tool in cmake clang++-14 g++-12 afl-fuzz timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/setup.sh installs it)"
done
say "$mode form: work dir $work"
do_builds
if ((build_only)); then exit 0; fi
if want micro; then run_micro; fi
if want tput; then run_tput; fi
if want ttb; then run_ttb; fi
write_meta
record_runs
make_report
say "done in $((SECONDS / 60)) min $((SECONDS % 60)) s"
