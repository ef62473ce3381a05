#!/usr/bin/env bash
# schedfuzz's main job: build the fuzz targets, run a campaign on every core,
# then group what was found by finding, minimize each finding and explain it.
#
#   scripts/fuzz.sh                                 # all targets, Go 1.27 as shipped, 5 minutes
#   scripts/fuzz.sh --go 1.22 --time 600            # Go 1.22 as fixed
#   scripts/fuzz.sh --variant go70883 --time 120    # rediscover Go issue 70883 (Go 1.22)
#   scripts/fuzz.sh --target scenario_fuzzer --engine afl --time 600
#
# Findings go to findings/ (gitignored): findings/raw/<target>/ holds every
# crash the engines saved. For the targets of the last campaign (all their
# raw crashes, earlier campaigns' too), findings/<n>-<slug>/ is one directory
# per finding (`schedfuzz triage`: the known finding's id, else oracle, check
# and the message's first line) with its first input, the minimized form
# (min.txt, min.bin), explain.txt, and in raw.txt the raw crashes it stands for.
# Ctrl-C stops the campaign and still writes the summary.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SF_ROOT" || exit 2

mapfile -t ALL_TARGETS < <(sf_fuzz_targets)
targets=()
engine=libfuzzer
go=""
variant=""
oracles=all
total_time=300
jobs=$(nproc 2>/dev/null || echo 2)
report_known=0

usage() {
  cat <<EOF
usage: scripts/fuzz.sh [options]
  --target NAME      fuzz target (repeatable; default: all of ${ALL_TARGETS[*]})
  --engine E         libfuzzer (default) or afl
  --go R             Go release to model: 1.27 (default, the current release) or 1.22
  --variant V        model variant for the scenario targets (default: the release as shipped,
                     Go 1.22's fixed; see: schedfuzz variants); implies its release
  --oracles O        all (default), validator, discipline or invariant
  --time SECONDS     total campaign time, shared by the targets (default 300)
  --jobs N           parallel libFuzzer jobs (default: number of cores, $jobs)
  --report-known     also stop on known findings marked quiet (docs/findings.md)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --target) [ $# -ge 2 ] || sf_die "--target needs a name"; targets+=("$2"); shift 2 ;;
    --target=*) targets+=("${1#*=}"); shift ;;
    --engine) [ $# -ge 2 ] || sf_die "--engine needs a value"; engine=$2; shift 2 ;;
    --engine=*) engine=${1#*=}; shift ;;
    --go) [ $# -ge 2 ] || sf_die "--go needs a release"; go=$2; shift 2 ;;
    --go=*) go=${1#*=}; shift ;;
    --variant) [ $# -ge 2 ] || sf_die "--variant needs a name"; variant=$2; shift 2 ;;
    --variant=*) variant=${1#*=}; shift ;;
    --oracles) [ $# -ge 2 ] || sf_die "--oracles needs a value"; oracles=$2; shift 2 ;;
    --oracles=*) oracles=${1#*=}; shift ;;
    --time) [ $# -ge 2 ] || sf_die "--time needs seconds"; total_time=$2; shift 2 ;;
    --time=*) total_time=${1#*=}; shift ;;
    --jobs) [ $# -ge 2 ] || sf_die "--jobs needs a number"; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --report-known) report_known=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; sf_die "unknown option '$1'" ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  case " ${ALL_TARGETS[*]} " in *" $t "*) ;; *) sf_die "unknown target '$t' (targets: ${ALL_TARGETS[*]})" ;; esac
done
case "$engine" in libfuzzer|afl) ;; *) sf_die "unknown engine '$engine' (libfuzzer or afl)" ;; esac
case "$oracles" in all|validator|discipline|invariant) ;; *) sf_die "unknown oracles '$oracles'" ;; esac
[[ "$total_time" =~ ^[0-9]+$ ]] && [ "$total_time" -gt 0 ] || sf_die "--time takes a number of seconds"
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -gt 0 ] || sf_die "--jobs takes a positive number"

# --- tools ----------------------------------------------------------------
if ! scripts/setup.sh --check >/dev/null 2>&1; then
  echo "== installing what the build needs (scripts/setup.sh)"
  scripts/setup.sh || sf_die "setup failed"
fi

CLI_BUILD=build/gcc
echo "== building the schedfuzz CLI ($CLI_BUILD)"
sf_configure "$CLI_BUILD" "${SF_GCC_ARGS[@]}" || sf_die "configure failed: see $CLI_BUILD/configure.log"
sf_build "$CLI_BUILD" schedfuzz || sf_die "building schedfuzz failed: see $CLI_BUILD/build.log"
SCHEDFUZZ=$SF_ROOT/$CLI_BUILD/repro/schedfuzz
# `schedfuzz variants` prints "goR  NAME  summary", the defaults marked.
go=${go#go}
if [ -z "$variant" ]; then
  if [ -n "$go" ]; then
    variant=$("$SCHEDFUZZ" variants | awk -v r="go$go" '$1 == r && /default\)$/ {print $2; exit}')
    [ -n "$variant" ] || sf_die "unknown Go release '$go' (run: $SCHEDFUZZ variants)"
  else
    variant=$("$SCHEDFUZZ" variants | awk '/\(default\)$/ {print $2; exit}')
  fi
fi
vgo=$("$SCHEDFUZZ" variants | awk -v v="$variant" '$2 == v {print substr($1, 3); exit}')
[ -n "$vgo" ] || sf_die "unknown variant '$variant' (run: $SCHEDFUZZ variants)"
[ -z "$go" ] || [ "$go" = "$vgo" ] || sf_die "variant '$variant' is a Go $vgo variant, not Go $go"
go=$vgo

FB=build/fuzz-$engine
echo "== building the fuzz targets for $engine with ASan+UBSan ($FB)"
sf_configure_fuzz "$FB" "$engine" asan || sf_die "configure failed: see $FB/configure.log"
sf_build "$FB" "${targets[@]}" || sf_die "building the fuzz targets failed: see $FB/build.log"

# --- campaign -------------------------------------------------------------
export SCHEDFUZZ_GO=$go SCHEDFUZZ_VARIANT=$variant SCHEDFUZZ_ORACLES=$oracles SCHEDFUZZ_REPORT_KNOWN=$report_known
WORK=build/fuzz-work
mkdir -p findings/raw "$WORK"
per_target=$(( total_time / ${#targets[@]} ))
[ "$per_target" -ge 10 ] || per_target=10
echo "== campaign: ${targets[*]}"
echo "   engine $engine, Go $go, variant $variant, oracles $oracles, $jobs jobs, ${per_target}s per target" \
     "(about $(( per_target * ${#targets[@]} ))s in all; Ctrl-C stops early and still summarizes)"

interrupted=0
child=""
on_int() {
  interrupted=1
  [ -n "$child" ] && kill -TERM -- "-$child" 2>/dev/null
}
trap on_int INT TERM

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
  raw=findings/raw/$t
  mkdir -p "$raw"
  log=$WORK/$t/fuzz.log
  mkdir -p "$WORK/$t"
  echo "-- $t (${per_target}s)"
  if [ "$engine" = libfuzzer ]; then
    corpus_dir=$WORK/$t/corpus
    mkdir -p "$corpus_dir"
    find corpus/"$t" -type f ! -name '.*' -exec cp -n {} "$corpus_dir"/ \; 2>/dev/null
    mapfile -t args < <(sf_libfuzzer_args fuzz/"$t".options fuzz/"$t".dict)
    mapfile -t envs < <(sf_sanitizer_env fuzz/"$t".options)
    args+=(-max_total_time="$per_target" -artifact_prefix="$raw/" -print_final_stats=1)
    if [ "$jobs" -gt 1 ]; then args+=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1); fi
    setsid env "${envs[@]}" "$FB/fuzz/$t" "${args[@]}" "$corpus_dir" >"$log" 2>&1 &
  else
    rm -rf "$WORK/$t/afl"
    sf_afl_seeds "$WORK/$t/seeds" corpus/"$t"
    sf_afl_command "$FB/fuzz/$t" "$WORK/$t/seeds" "$WORK/$t/afl" "$per_target" fuzz/"$t".options fuzz/"$t".dict
    setsid "${SF_CMD[@]}" >"$log" 2>&1 &
  fi
  child=$!
  while kill -0 "$child" 2>/dev/null; do
    sleep 5
    kill -0 "$child" 2>/dev/null || break
    n=$(find "$raw" -maxdepth 1 -type f 2>/dev/null | wc -l)
    [ "$engine" = afl ] && n=$(find "$WORK/$t/afl/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
    printf '   %s  crashes so far: %s\n' "$(progress "$log" "$t")" "$n"
  done
  wait "$child" 2>/dev/null
  child=""
  if [ "$engine" = libfuzzer ]; then
    grep -aE 'stat::(number_of_executed_units|average_exec_per_sec)' "$log" | sed 's/^/   /'
  else
    # afl-fuzz names crashes id:N,...: the target and the time keep them apart.
    for c in "$WORK/$t/afl/default/crashes"/id:*; do
      [ -f "$c" ] && cp "$c" "$raw/afl-$(date +%s)-$(basename "$c" | tr ':,' '__')"
    done
    progress "$log" "$t" | sed 's/^/   /'; echo
    grep -E '^stability' "$WORK/$t/afl/default/fuzzer_stats" 2>/dev/null | sed 's/^/   /'
  fi
done
trap - INT TERM

# --- findings: group, minimize, explain --------------------------------------
echo "== findings"
rm -rf findings/[0-9][0-9]-*
summary=findings/SUMMARY.md
{
  echo "# schedfuzz findings ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "engine $engine, variant $variant, oracles $oracles, targets: ${targets[*]}"
  echo
  echo "| # | target | finding | raw crashes | directory | reproduce |"
  echo "|---|---|---|---|---|---|"
} >"$summary"

json_field() {  # json_field LINE KEY: a string or number field of one JSON line
  sed -nE "s/.*\"$2\":(\"(([^\"\\\\]|\\\\.)*)\"|([0-9]+|null|true|false)).*/\\2\\4/p" <<<"$1"
}

# groups: one "COUNT<TAB>IDENTITY<TAB>FIRST-FILE<TAB>FILE..." line per finding of target $1.
groups() {
  local t=$1 f key
  local -a files=()
  for f in findings/raw/"$t"/*; do
    [ -f "$f" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 0
  if sf_is_scenario_target "$t"; then
    "$SCHEDFUZZ" triage --json --variant="$variant" --oracles="$oracles" "${files[@]}" 2>/dev/null |
      while IFS= read -r line; do
        local id first
        id=$(json_field "$line" identity)
        [ "$id" = ok ] && id="does not reproduce on $variant/$oracles"
        first=$(json_field "$line" first)
        printf '%s\t%s\t%s\t%s\n' "$(json_field "$line" count)" "$id" "$first" \
          "$(sed -E 's/.*"inputs":\[(.*)\]\}$/\1/; s/","/\t/g; s/^"//; s/"$//' <<<"$line")"
      done
  else
    # Not a scenario: the target's own report names the problem.
    declare -A count first all
    for f in "${files[@]}"; do
      key=$("$FB/fuzz/$t" "$f" 2>&1 | grep -aE '==schedfuzz== [a-z_]+: |SUMMARY: ' | head -n1 | sed -E 's/[0-9]+/N/g')
      [ -n "$key" ] || key="does not reproduce"
      count[$key]=$(( ${count[$key]:-0} + 1 ))
      [ -n "${first[$key]:-}" ] || first[$key]=$f
      all[$key]="${all[$key]:-}${all[$key]:+$'\t'}$f"
    done
    for key in "${!count[@]}"; do
      printf '%s\t%s\t%s\t%s\n' "${count[$key]}" "$key" "${first[$key]}" "${all[$key]}"
    done | sort -t$'\t' -k1,1nr -k2,2
  fi
}

count=0
raw_total=0
for t in "${targets[@]}"; do
  while IFS=$'\t' read -r n key first rest; do
    count=$((count + 1))
    raw_total=$((raw_total + n))
    slug=$(printf '%s' "$key" | tr -c 'A-Za-z0-9' '-' | tr -s '-' | cut -c1-48 | sed 's/-$//')
    dir=findings/$(printf '%02d' "$count")-$slug
    mkdir -p "$dir"
    cp "$first" "$dir/input"
    tr '\t' '\n' <<<"$rest" >"$dir/raw.txt"
    if sf_is_scenario_target "$t"; then
      "$SCHEDFUZZ" minimize --variant="$variant" --oracles="$oracles" -o "$dir/min" "$dir/input" >"$dir/minimize.log" 2>&1 </dev/null
      best=$dir/min.bin; [ -f "$best" ] || best=$dir/input
      "$SCHEDFUZZ" explain --variant="$variant" --oracles="$oracles" "$best" >"$dir/explain.txt" 2>&1 </dev/null
      repro="$CLI_BUILD/repro/schedfuzz explain --variant=$variant --oracles=$oracles $best"
    else
      repro="$FB/fuzz/$t $dir/input"
    fi
    echo "| $count | $t | $key | $n | $dir | \`$repro\` |" >>"$summary"
    echo "  [$count] $t: $key  ($n raw crash$([ "$n" = 1 ] || echo es))"
    echo "       $dir   (reproduce: $repro)"
    [ -f "$dir/minimize.log" ] && grep -E '→|->' "$dir/minimize.log" | head -n3 | sed 's/^/       /'
  done < <(groups "$t")
done
if [ "$count" -eq 0 ]; then
  echo "  none" | tee -a "$summary"
else
  echo
  echo "== summary: $count finding(s) from $raw_total raw crashes (also in $summary)"
  sed -n '5,$p' "$summary"
fi
[ "$interrupted" = 1 ] && echo "(interrupted)"
exit 0
