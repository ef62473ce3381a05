#!/usr/bin/env bash
# schedfuzz's main job: build the fuzz targets, run a campaign on every core,
# then deduplicate what was found, minimize each finding and explain it.
#
#   scripts/fuzz.sh                                 # all targets, variant fixed, 5 minutes
#   scripts/fuzz.sh --variant go70883 --time 120    # rediscover Go issue 70883
#   scripts/fuzz.sh --target injectglist_fuzzer --engine afl --time 600
#
# Findings go to findings/ (gitignored): findings/raw/<target>/ holds what the
# engine saved, findings/<n>-<slug>/ one directory per distinct finding with
# the input, its minimized form (min.txt, min.bin) and explain.txt. Ctrl-C
# stops the campaign and still writes the summary.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2

ALL_TARGETS=(injectglist_fuzzer scheduler_fuzzer validator_fuzzer scenario_text_fuzzer)
SCENARIO_TARGETS=" injectglist_fuzzer scheduler_fuzzer "
targets=()
engine=libfuzzer
variant=fixed
oracles=all
total_time=300
jobs=$(nproc 2>/dev/null || echo 2)
report_known=0

usage() {
  cat <<EOF
usage: scripts/fuzz.sh [options]
  --target NAME      fuzz target (repeatable; default: all of ${ALL_TARGETS[*]})
  --engine E         libfuzzer (default) or afl
  --variant V        model variant for the scenario targets (default fixed; see: schedfuzz variants)
  --oracles O        all (default), validator, discipline or invariant
  --time SECONDS     total campaign time, shared by the targets (default 300)
  --jobs N           parallel fuzzing jobs (default: number of cores, $jobs)
  --report-known     also stop on known findings marked quiet (docs/findings.md)
EOF
}

die() {
  echo "fuzz.sh: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --target) [ $# -ge 2 ] || die "--target needs a name"; targets+=("$2"); shift 2 ;;
    --target=*) targets+=("${1#*=}"); shift ;;
    --engine) [ $# -ge 2 ] || die "--engine needs a value"; engine=$2; shift 2 ;;
    --engine=*) engine=${1#*=}; shift ;;
    --variant) [ $# -ge 2 ] || die "--variant needs a name"; variant=$2; shift 2 ;;
    --variant=*) variant=${1#*=}; shift ;;
    --oracles) [ $# -ge 2 ] || die "--oracles needs a value"; oracles=$2; shift 2 ;;
    --oracles=*) oracles=${1#*=}; shift ;;
    --time) [ $# -ge 2 ] || die "--time needs seconds"; total_time=$2; shift 2 ;;
    --time=*) total_time=${1#*=}; shift ;;
    --jobs) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --report-known) report_known=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  case " ${ALL_TARGETS[*]} " in *" $t "*) ;; *) die "unknown target '$t' (targets: ${ALL_TARGETS[*]})" ;; esac
done
case "$engine" in libfuzzer|afl) ;; *) die "unknown engine '$engine' (libfuzzer or afl)" ;; esac
case "$oracles" in all|validator|discipline|invariant) ;; *) die "unknown oracles '$oracles'" ;; esac
[[ "$total_time" =~ ^[0-9]+$ ]] && [ "$total_time" -gt 0 ] || die "--time takes a number of seconds"
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || die "--jobs takes a positive number"

# --- tools ----------------------------------------------------------------
if ! scripts/setup.sh --check >/dev/null 2>&1; then
  echo "== installing what the build needs (scripts/setup.sh)"
  scripts/setup.sh || die "setup failed"
fi

CLI_BUILD=build/gcc
echo "== building the schedfuzz CLI ($CLI_BUILD)"
if [ ! -f "$CLI_BUILD/build.ninja" ]; then
  cmake -S . -B "$CLI_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || die "configure failed"
fi
cmake --build "$CLI_BUILD" --target schedfuzz >/dev/null || die "building schedfuzz failed"
SCHEDFUZZ=$ROOT/$CLI_BUILD/repro/schedfuzz
"$SCHEDFUZZ" variants | grep -q "^$variant " || die "unknown variant '$variant' (run: $SCHEDFUZZ variants)"

if [ "$engine" = libfuzzer ]; then
  FB=build/fuzz-libfuzzer
  echo "== building the fuzz targets for libFuzzer with ASan+UBSan ($FB)"
  if [ ! -f "$FB/build.ninja" ]; then
    cmake -S . -B "$FB" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
      -DCMAKE_CXX_COMPILER=clang++-14 -DSCHEDFUZZ_ENGINE=libfuzzer -DBUILD_TESTING=OFF \
      -DBUILD_BENCHMARKS=OFF >/dev/null || die "configure failed"
  fi
else
  FB=build/fuzz-afl
  echo "== building the fuzz targets for AFL++ with ASan+UBSan ($FB)"
  if [ ! -f "$FB/build.ninja" ]; then
    CC=afl-clang-fast CXX=afl-clang-fast++ AFL_QUIET=1 cmake -S . -B "$FB" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCHEDFUZZ_ENGINE=afl -DBUILD_TESTING=OFF \
      -DBUILD_BENCHMARKS=OFF >/dev/null || die "configure failed"
  fi
fi
AFL_QUIET=1 cmake --build "$FB" --target "${targets[@]}" >/dev/null || die "building the fuzz targets failed"

# --- campaign -------------------------------------------------------------
export SCHEDFUZZ_VARIANT=$variant SCHEDFUZZ_ORACLES=$oracles SCHEDFUZZ_REPORT_KNOWN=$report_known
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
WORK=build/fuzz-work
mkdir -p findings/raw "$WORK"
per_target=$(( total_time / ${#targets[@]} ))
[ "$per_target" -ge 10 ] || per_target=10
echo "== campaign: ${targets[*]}"
echo "   engine $engine, variant $variant, oracles $oracles, $jobs jobs, ${per_target}s per target" \
     "(about $(( per_target * ${#targets[@]} ))s in all; Ctrl-C stops early and still summarizes)"

interrupted=0
child=""
on_int() {
  interrupted=1
  [ -n "$child" ] && kill -TERM -- "-$child" 2>/dev/null
}
trap on_int INT TERM

option() {  # option FILE KEY: a value from a libFuzzer .options file
  sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*\\([^[:space:]]*\\).*/\\1/p" "$1" 2>/dev/null | head -n1
}

progress() {  # progress LOG TARGET: the engine's latest status line, shortened
  if [ "$engine" = libfuzzer ]; then
    grep -aE '^#[0-9]+' "$1" 2>/dev/null | tail -n1 |
      sed -E 's/^#([0-9]+)[[:space:]]*[A-Z]*[[:space:]]*/execs \1  /; s/ (ft|corp|lim|rss|L|MS|oom\/timeout\/crash|time|job|dft_time):[^ ]*( [^ ]*)?//g' | cut -c1-100
  else
    local s="$WORK/$2/afl/default/fuzzer_stats"
    [ -f "$s" ] && awk -F: '/execs_done|execs_per_sec|edges_found|saved_crashes/ {gsub(/ /,""); printf "%s=%s  ", $1, $2}' "$s"
  fi
}

for t in "${targets[@]}"; do
  [ "$interrupted" = 1 ] && break
  corpus_dir=$WORK/$t/corpus
  raw=findings/raw/$t
  mkdir -p "$corpus_dir" "$raw"
  cp -n corpus/"$t"/* "$corpus_dir"/ 2>/dev/null || true
  log=$WORK/$t/fuzz.log
  echo "-- $t (${per_target}s)"
  if [ "$engine" = libfuzzer ]; then
    args=(-max_total_time="$per_target" -artifact_prefix="$raw/" -print_final_stats=1)
    [ -f fuzz/"$t".dict ] && args+=(-dict=fuzz/"$t".dict)
    ml=$(option fuzz/"$t".options max_len); [ -n "$ml" ] && args+=(-max_len="$ml")
    to=$(option fuzz/"$t".options timeout); [ -n "$to" ] && args+=(-timeout="$to")
    if [ "$jobs" -gt 1 ]; then args+=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1); fi
    setsid "$FB/fuzz/$t" "${args[@]}" "$corpus_dir" >"$log" 2>&1 &
  else
    seeds=$WORK/$t/seeds
    mkdir -p "$seeds"; cp -n corpus/"$t"/* "$seeds"/ 2>/dev/null || true
    [ -n "$(ls -A "$seeds")" ] || printf '\001' >"$seeds/empty"
    dict=(); [ -f fuzz/"$t".dict ] && dict=(-x fuzz/"$t".dict)
    AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SUPPRESS_ERROR_MESSAGE=1 \
      setsid afl-fuzz -i "$seeds" -o "$WORK/$t/afl" -V "$per_target" "${dict[@]}" -- "$FB/fuzz/$t" >"$log" 2>&1 &
  fi
  child=$!
  while kill -0 "$child" 2>/dev/null; do
    sleep 5
    kill -0 "$child" 2>/dev/null || break
    n=$(find "$raw" -maxdepth 1 -type f 2>/dev/null | wc -l)
    [ "$engine" = afl ] && n=$(find "$WORK/$t/afl/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
    printf '   %s  findings so far: %s\n' "$(progress "$log" "$t")" "$n"
  done
  wait "$child" 2>/dev/null
  child=""
  if [ "$engine" = libfuzzer ]; then
    grep -aE 'stat::(number_of_executed_units|average_exec_per_sec)' "$log" | sed 's/^/   /'
  else
    cp -n "$WORK/$t/afl/default/crashes"/id:* "$raw"/ 2>/dev/null || true
    progress "$log" "$t" | sed 's/^/   /'; echo
    grep -E '^stability' "$WORK/$t/afl/default/fuzzer_stats" 2>/dev/null | sed 's/^/   /'
  fi
done
trap - INT TERM

# --- findings: deduplicate, minimize, explain ------------------------------
echo "== findings"
summary=findings/SUMMARY.md
{
  echo "# schedfuzz findings ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "engine $engine, variant $variant, oracles $oracles, targets: ${targets[*]}"
  echo
  echo "| # | target | finding | known | directory | reproduce |"
  echo "|---|---|---|---|---|---|"
} >"$summary"
declare -A seen
count=0
for t in "${targets[@]}"; do
  raw=findings/raw/$t
  for f in "$raw"/crash-* "$raw"/leak-* "$raw"/timeout-* "$raw"/oom-* "$raw"/id:*; do
    [ -f "$f" ] || continue
    if [[ "$SCENARIO_TARGETS" == *" $t "* ]]; then
      json=$("$SCHEDFUZZ" run --json --variant="$variant" --oracles="$oracles" "$f" 2>/dev/null | head -n1)
      key=$(printf '%s' "$json" | python3 -c '
import json, re, sys
try:
    j = json.loads(sys.stdin.read())
except Exception:
    print("unreadable"); sys.exit()
if j.get("verdict") != "violation":
    print("no violation on replay: " + j.get("verdict", "?")); sys.exit()
msg = j.get("message", "").split("\n")[0]
print("%s %s: %s [%s]" % (j.get("oracle"), j.get("check"), re.sub(r"[0-9]+", "N", msg), j.get("known") or "new"))')
    else
      # Not a scenario: the target's own report names the problem.
      key=$("$FB/fuzz/$t" "$f" 2>&1 | grep -aE '==schedfuzz== [a-z_]+: |SUMMARY: ' | head -n1 | sed -E 's/[0-9]+/N/g')
      [ -n "$key" ] || key="does not reproduce"
    fi
    sig="$t|$key"
    [ -n "${seen[$sig]:-}" ] && continue
    seen[$sig]=1
    count=$((count + 1))
    slug=$(printf '%s' "$key" | tr -c 'A-Za-z0-9' '-' | tr -s '-' | cut -c1-48 | sed 's/-$//')
    dir=findings/$(printf '%02d' "$count")-$slug
    mkdir -p "$dir"
    cp "$f" "$dir/input"
    if [[ "$SCENARIO_TARGETS" == *" $t "* ]]; then
      "$SCHEDFUZZ" minimize --variant="$variant" --oracles="$oracles" -o "$dir/min" "$dir/input" >"$dir/minimize.log" 2>&1
      best=$dir/min.bin; [ -f "$best" ] || best=$dir/input
      "$SCHEDFUZZ" explain --variant="$variant" --oracles="$oracles" "$best" >"$dir/explain.txt" 2>&1
      repro="$CLI_BUILD/repro/schedfuzz explain --variant=$variant --oracles=$oracles $best"
      known=$(printf '%s' "$key" | sed -E 's/.*\[([^]]*)\]$/\1/')
    else
      repro="$FB/fuzz/$t $dir/input"
      known="-"
    fi
    echo "| $count | $t | ${key% \[*} | $known | $dir | \`$repro\` |" >>"$summary"
    echo "  [$count] $t: $key"
    echo "       $dir   (reproduce: $repro)"
    [ -f "$dir/minimize.log" ] && grep -E '→|->' "$dir/minimize.log" | head -n3 | sed 's/^/       /'
  done
done
if [ "$count" -eq 0 ]; then
  echo "  none" | tee -a "$summary"
else
  echo
  echo "== summary (also in $summary)"
  sed -n '5,$p' "$summary"
fi
[ "$interrupted" = 1 ] && echo "(interrupted)"
exit 0
