#!/usr/bin/env bash
# OSS-Fuzz's bad-build check (base-runner/bad_build_check, helper.py
# check_build), reproduced without Docker for every fuzz target.
#
# Usage: scripts/check_build.sh [--quick] [--combos LIST] [--targets LIST]
#                               [--lf-seconds N] [--afl-seconds N] [--min-stability P]
#                               [--root DIR] [--no-build]
#   --quick          CI mode: libfuzzer-address and afl-address only, 5-second runs
#   --combos LIST    comma-separated, from libfuzzer-address, libfuzzer-undefined,
#                    libfuzzer-none, afl-address (default: the first two and afl-address)
#   --targets LIST   comma-separated fuzz targets (default: every fuzz/*_fuzzer.cc)
#   --lf-seconds N   libFuzzer smoke-fuzzing time per target (default 10, --quick 5)
#   --afl-seconds N  afl-fuzz -V time per target (default 10, --quick 5)
#   --root DIR       where builds and runs go (default <repo>/build/check)
#   --no-build       reuse the builds already in DIR
#   --min-stability P  lowest AFL++ stability that passes, in percent (default 100)
#
# Each combo is one scripts/build.sh run (FUZZING_ENGINE, SANITIZER) into
# DIR/<combo>/out. Then, per target:
#   all     objdump: ASan/UBSan runtime calls above/below OSS-Fuzz's thresholds
#           (no mixed or missing sanitizers); in ASan builds of the scenario
#           targets, no __asan_handle_no_return in the engine's point and
#           thread-exit functions (a sigaltstack system call each)
#   libFuzzer builds, with the target's .options and .dict as run_fuzzer passes them:
#     startup  -seed=1337 -runs=4 on an empty corpus prints "Done 4 runs", exit 0
#     edges    "Loaded N modules (M inline 8-bit counters)": M >= 100
#     seeds    the unzipped <target>_seed_corpus.zip with -runs=0 exits 0
#     smoke    -max_total_time=N from the seeds: no crash; exec/s from -print_final_stats
#   AFL++ builds:
#     afl      afl-fuzz -i seeds -V N -x dict -G max_len: "All set and ready to roll",
#              and from out/default/fuzzer_stats: stability 100.00% (a deterministic
#              model and harness vary on no edge), saved_crashes 0 (afl-fuzz
#              exits 0 even when it saved crashes), execs_per_sec, edges_found
# A crash or a sanitizer report is a real finding: its input is copied to
# DIR/findings/ and named in the output; nothing is retried or hidden. The
# targets run SCHEDFUZZ_VARIANT=fixed (Go 1.22 as fixed), where nothing is
# expected, unless the environment says otherwise. Not the targets' own default,
# Go 1.27 as shipped: its discipline check reports D1 windows on the syscall
# path that no broken trace has backed yet (docs/findings.md), so a smoke run
# there would fail on findings that are still being triaged.
# Prints a table; exits 1 if any check of any target failed, 2 on usage errors.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/lib.sh"
repo="$SF_ROOT"
usage() { sed -n '2,41p' "$0" | sed 's/^# \{0,1\}//'; }
export SCHEDFUZZ_VARIANT="${SCHEDFUZZ_VARIANT:-fixed}"

quick=0
combos_arg=""
targets_arg=""
lf_secs=""
afl_secs=""
root="$repo/build/check"
do_build=1
min_stab=100
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --combos) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; combos_arg="$2"; shift ;;
    --combos=*) combos_arg="${1#*=}" ;;
    --targets) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; targets_arg="$2"; shift ;;
    --targets=*) targets_arg="${1#*=}" ;;
    --lf-seconds) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; lf_secs="$2"; shift ;;
    --lf-seconds=*) lf_secs="${1#*=}" ;;
    --afl-seconds) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; afl_secs="$2"; shift ;;
    --afl-seconds=*) afl_secs="${1#*=}" ;;
    --root) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; root="$2"; shift ;;
    --root=*) root="${1#*=}" ;;
    --no-build) do_build=0 ;;
    --min-stability) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; min_stab="$2"; shift ;;
    --min-stability=*) min_stab="${1#*=}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "check_build.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if ((quick)); then
  : "${lf_secs:=5}" "${afl_secs:=5}"
  default_combos="libfuzzer-address,afl-address"
else
  : "${lf_secs:=10}" "${afl_secs:=10}"
  default_combos="libfuzzer-address,libfuzzer-undefined,afl-address"
fi
[[ "$min_stab" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "check_build.sh: --min-stability takes a percentage" >&2; exit 2; }
[[ "$lf_secs" =~ ^[0-9]+$ && "$afl_secs" =~ ^[1-9][0-9]*$ ]] ||
  { echo "check_build.sh: --lf-seconds and --afl-seconds take whole seconds" >&2; exit 2; }
IFS=',' read -r -a combos <<<"${combos_arg:-$default_combos}"
for c in "${combos[@]}"; do
  case "$c" in
    libfuzzer-address | libfuzzer-undefined | libfuzzer-none | afl-address) ;;
    *) echo "check_build.sh: unknown combo '$c'" >&2; exit 2 ;;
  esac
done

mapfile -t all_targets < <(sf_fuzz_targets)
if [[ -n "$targets_arg" ]]; then
  IFS=',' read -r -a targets <<<"$targets_arg"
  for t in "${targets[@]}"; do
    [[ -f "$repo/fuzz/$t.cc" ]] || { echo "check_build.sh: unknown target '$t' (have: ${all_targets[*]})" >&2; exit 2; }
  done
else
  targets=("${all_targets[@]}")
fi

exec </dev/null
mkdir -p "$root" || exit 2
root="$(cd "$root" && pwd)"
findings="$root/findings"  # this run's crashing inputs (emptied first)
rm -rf "$findings"
mkdir -p "$findings"

for tool in objdump unzip timeout; do
  command -v "$tool" >/dev/null 2>&1 || { echo "check_build.sh: '$tool' not found" >&2; exit 2; }
done
if [[ " ${combos[*]} " == *" afl-"* ]] && ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "check_build.sh: afl-fuzz not found (scripts/setup.sh installs afl++)" >&2
  exit 2
fi

say() { printf '\n=== check_build.sh: %s\n' "$*"; }
start=$SECONDS

# Runtime options close to OSS-Fuzz's base-runner; anything already in the
# environment is appended and wins. (afl-fuzz sets its own ASAN_OPTIONS.)
# (base-runner's ASAN_OPTIONS. detect_stack_use_after_return=1 costs these
# targets about 5x in exec/s; the targets' .options turn it off for fuzzing.)
lf_asan_options="alloc_dealloc_mismatch=0:allocator_may_return_null=1:allocator_release_to_os_interval_ms=500:check_malloc_usable_size=0:detect_container_overflow=1:detect_odr_violation=0:detect_leaks=1:detect_stack_use_after_return=1:fast_unwind_on_fatal=0:handle_abort=1:handle_segv=1:handle_sigill=1:max_uar_stack_size_log=16:print_scariness=1:quarantine_size_mb=10:strict_memcmp=1:symbolize=1:use_sigaltstack=1:dedup_token_length=3"
lf_ubsan_options="halt_on_error=1:print_stacktrace=1:print_summary=1:silence_unsigned_overflow=1:dedup_token_length=3"
lf_asan_options="${lf_asan_options}${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
lf_ubsan_options="${lf_ubsan_options}${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# sanitizer_calls BINARY -> "ASAN UBSAN ENGINE_NORETURN": call instructions to
# __asan*/__ubsan* (bad_build_check's count, objdump -dC: runtime-internal
# __asan:: calls count too), and calls to __asan_handle_no_return inside the
# engine's per-point and thread-exit functions, from one disassembly. Each of
# the latter unpoisons the whole fiber stack and makes a sigaltstack system
# call; the engine leaves a fiber with nothing noreturn on the path
# (core/sim/engine.cc, fiber.h), and a declared or inferred noreturn there
# once cost ~9 system calls per run.
sanitizer_calls() {
  objdump -dC "$1" 2>/dev/null | awk '
    /^[0-9a-f]+ <.*>:$/ { f = ($0 ~ /<schedfuzz::sim::Engine::(Finish|SlowPoint|Spin|Block|Grant|Settle|Burst)\(/) }
    /callq?[[:space:]]+[0-9a-f]+[[:space:]]+<__asan/ { a++ }
    /callq?[[:space:]]+[0-9a-f]+[[:space:]]+<__ubsan/ { u++ }
    f && /callq?[[:space:]]+[0-9a-f]+[[:space:]]+<__asan_handle_no_return>/ { n++ }
    END { print a + 0, u + 0, n + 0 }'
}

# Saves every crash-like artifact in DIR to $findings with a descriptive name.
save_findings() {  # save_findings COMBO TARGET FILE...
  local combo="$1" target="$2" f dest n=0
  shift 2
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    dest="$findings/${combo}.${target}.$(basename "$f" | tr ':,' '__')"
    cp "$f" "$dest"
    n=$((n + 1))
    if ((n <= 3)); then
      echo "    FINDING: $dest"
      found_list+=("$dest")
    fi
  done
  if ((n > 3)); then
    echo "    ... and $((n - 3)) more in $findings/${combo}.${target}.*"
    found_list+=("(+$((n - 3)) more: $findings/${combo}.${target}.*)")
  fi
}

# One row per combo x target.
declare -a r_combo=() r_target=() r_san=() r_startup=() r_edges=() r_seeds=() r_lfexec=() \
  r_aflstab=() r_aflexec=() r_afledges=() r_crashes=() r_result=() r_notes=()
declare -a found_list=()

add_row() {
  r_combo+=("$1"); r_target+=("$2"); r_san+=("$3"); r_startup+=("$4"); r_edges+=("$5"); r_seeds+=("$6")
  r_lfexec+=("$7"); r_aflstab+=("$8"); r_aflexec+=("$9"); r_afledges+=("${10}"); r_crashes+=("${11}")
  r_result+=("${12}"); r_notes+=("${13}")
}

# ---------------------------------------------------------------------------
check_libfuzzer_target() {  # combo sanitizer out target
  local combo="$1" sanitizer="$2" out="$3" t="$4"
  local run="$root/$combo/runs/$t" bin="$out/$t" ok=1 notes=()
  local san="-" startup="-" edges="-" seeds="-" lfexec="-" crashes=0
  rm -rf "$run"
  mkdir -p "$run/empty" "$run/seeds" "$run/corpus" "$run/artifacts"
  local -a opts=()
  mapfile -t opts < <(sf_libfuzzer_args "$out/$t.options" "$out/$t.dict")
  local -a envs=(ASAN_OPTIONS="$lf_asan_options" UBSAN_OPTIONS="$lf_ubsan_options")
  local per_input_timeout
  per_input_timeout="$(sf_option "$out/$t.options" timeout)"
  : "${per_input_timeout:=25}"

  # Sanitizer instrumentation (bad_build_check's check_mixed_sanitizers).
  local asan ubsan nr
  read -r asan ubsan nr < <(sanitizer_calls "$bin")
  san="asan=$asan ubsan=$ubsan"
  case "$sanitizer" in
    address)
      ((asan >= 1000 && ubsan <= 200)) || { ok=0; notes+=("not an ASan-only build"); }
      if sf_is_scenario_target "$t" && ((nr != 0)); then
        ok=0
        notes+=("engine calls __asan_handle_no_return ($nr sites)")
      fi
      ;;
    undefined) ((asan == 0 && ubsan >= 168)) || { ok=0; notes+=("not a UBSan-only build"); } ;;
    none) ((asan == 0 && ubsan <= 200)) || { ok=0; notes+=("sanitizer calls in a none build"); } ;;
  esac

  # Startup: -seed=1337 -runs=4, empty corpus (check_startup_crash + check_engine).
  local log="$run/startup.log" rc
  (cd "$run" && env "${envs[@]}" timeout -k 5 120 "$bin" -seed=1337 -runs=4 "${opts[@]}" \
    -artifact_prefix="$run/artifacts/" "$run/empty") >"$log" 2>&1
  rc=$?
  if ((rc == 0)) && grep -q "Done 4 runs" "$log"; then
    startup="ok"
  else
    startup="FAIL(rc=$rc)"; ok=0; notes+=("startup: see $log")
  fi
  if grep -q "ERROR: no interesting inputs were found" "$log"; then
    ok=0; notes+=("no coverage instrumentation")
  fi
  local m
  m="$(grep -oE 'INFO: Loaded [0-9]+ modules? +\([0-9]+ inline 8-bit counters\)' "$log" |
    sed -E 's/.*\(([0-9]+) inline.*/\1/' | awk '{s += $1} END {print s + 0}')"
  edges="$m"
  ((m >= 100)) || { ok=0; notes+=("only $m instrumented edges (< 100)"); }
  if [[ -f "$out/$t.dict" ]] && ! grep -qE '^Dictionary: [0-9]+ entries' "$log"; then
    ok=0; notes+=("dictionary not loaded")
  fi

  # Seed corpus regression (check_seed_corpus): -runs=0 over the unzipped zip.
  local zip="$out/${t}_seed_corpus.zip" nseeds=0
  if [[ -f "$zip" ]]; then
    unzip -q -o "$zip" -d "$run/seeds" || { ok=0; notes+=("bad seed zip"); }
    nseeds="$(find "$run/seeds" -type f | wc -l)"
    log="$run/seeds.log"
    (cd "$run" && env "${envs[@]}" timeout -k 5 600 "$bin" -runs=0 "${opts[@]}" \
      -artifact_prefix="$run/artifacts/" "$run/seeds") >"$log" 2>&1
    rc=$?
    if ((rc == 0)); then
      seeds="$nseeds ok"
    else
      seeds="FAIL(rc=$rc)"; ok=0; notes+=("a seed crashes: see $log")
    fi
  else
    seeds="none"
  fi

  # Smoke fuzzing from the seeds: exec/s, and any crash is a finding.
  if ((lf_secs > 0)); then
    log="$run/smoke.log"
    (cd "$run" && env "${envs[@]}" timeout -k 5 $((lf_secs + per_input_timeout + 60)) "$bin" -seed=1337 \
      -max_total_time="$lf_secs" -print_final_stats=1 "${opts[@]}" \
      -artifact_prefix="$run/artifacts/" "$run/corpus" "$run/seeds") >"$log" 2>&1
    rc=$?
    lfexec="$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$log" | tail -n 1)"
    : "${lfexec:=?}"
    local rss units
    rss="$(sed -n 's/^stat::peak_rss_mb:[[:space:]]*//p' "$log" | tail -n 1)"
    units="$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log" | tail -n 1)"
    # Not a failure by itself, but memory that grows with every run reaches
    # OSS-Fuzz's -rss_limit_mb=2560 in a longer campaign.
    if [[ -n "$rss" ]] && ((rss > 1024)); then
      notes+=("warning: peak RSS ${rss} MB after ${units:-?} runs (memory grows per run; OSS-Fuzz stops at 2560 MB)")
    fi
    if ((rc != 0)); then
      ok=0; notes+=("smoke fuzzing: rc=$rc, see $log")
    fi
  fi
  local -a arts=()
  mapfile -t arts < <(find "$run/artifacts" -type f 2>/dev/null | sort)
  crashes=${#arts[@]}
  if ((crashes)); then
    lfexec="crash"
    ok=0; notes+=("$crashes crashing input(s)")
    save_findings "$combo" "$t" "${arts[@]}"
  fi
  local result=PASS
  ((ok)) || result=FAIL
  add_row "$combo" "$t" "$san" "$startup" "$edges" "$seeds" "$lfexec" "-" "-" "-" "$crashes" "$result" "${notes[*]:-}"
}

stat() { sf_afl_stat "$2" "$1"; }  # stat KEY FILE

check_afl_target() {  # combo sanitizer out target
  local combo="$1" sanitizer="$2" out="$3" t="$4"
  local run="$root/$combo/runs/$t" bin="$out/$t" ok=1 notes=()
  local san="-" stab="-" aexec="-" aedges="-" crashes=0 seeds="-"
  rm -rf "$run"
  mkdir -p "$run/seeds"

  local asan ubsan nr
  read -r asan ubsan nr < <(sanitizer_calls "$bin")
  san="asan=$asan ubsan=$ubsan"
  if [[ "$sanitizer" == address ]] && ((asan < 1000)); then ok=0; notes+=("not an ASan build"); fi

  local zip="$out/${t}_seed_corpus.zip"
  [[ -f "$zip" ]] && unzip -q -o "$zip" -d "$run/unzipped"
  sf_afl_seeds "$run/seeds" "$run/unzipped"
  seeds="$(find "$run/seeds" -type f | wc -l)"

  sf_afl_command "$bin" "$run/seeds" "$run/out" "$afl_secs" "$out/$t.options" "$out/$t.dict"
  local log="$run/afl.log" rc
  (cd "$run" && timeout -k 10 $((afl_secs + 180)) "${SF_CMD[@]}") >"$log" 2>&1
  rc=$?
  local stats="$run/out/default/fuzzer_stats"
  if ((rc != 0)); then ok=0; notes+=("afl-fuzz rc=$rc, see $log"); fi
  grep -q "All set and ready to roll" "$log" || { ok=0; notes+=("afl-fuzz did not start fuzzing, see $log"); }
  if grep -qE "target binary (crashed|terminated)" "$log"; then ok=0; notes+=("startup crash"); fi
  if [[ -f "$stats" ]]; then
    stab="$(stat stability "$stats")"
    aexec="$(stat execs_per_sec "$stats")"
    aedges="$(stat edges_found "$stats")/$(stat total_edges "$stats")"
    crashes="$(stat saved_crashes "$stats")"
    [[ -n "$crashes" ]] || crashes="$(stat unique_crashes "$stats")"
    local hangs
    hangs="$(stat saved_hangs "$stats")"
    if ! awk -v s="${stab%\%}" -v m="$min_stab" 'BEGIN { exit !(s != "" && s + 0 >= m + 0) }'; then
      ok=0; notes+=("stability $stab < $min_stab% (inputs with variable edges: $run/out/default/queue/.state/variable_behavior)")
    fi
    if [[ "${crashes:-0}" != 0 ]]; then
      ok=0; notes+=("saved_crashes $crashes")
      local -a cfiles=()
      mapfile -t cfiles < <(find "$run/out/default/crashes" -type f -name 'id:*' | sort)
      save_findings "$combo" "$t" "${cfiles[@]}"
    fi
    if [[ "${hangs:-0}" != 0 ]]; then
      notes+=("saved_hangs $hangs (warning: in $run/out/default/hangs)")
    fi
  else
    ok=0; notes+=("no fuzzer_stats")
  fi
  local result=PASS
  ((ok)) || result=FAIL
  add_row "$combo" "$t" "$san" "-" "-" "$seeds seeds" "-" "$stab" "$aexec" "$aedges" "${crashes:-?}" "$result" "${notes[*]:-}"
}

# ---------------------------------------------------------------------------
for combo in "${combos[@]}"; do
  engine="${combo%%-*}" sanitizer="${combo#*-}"
  out="$root/$combo/out" work="$root/$combo/work"
  mkdir -p "$out" "$work"
  if ((do_build)); then
    say "[$combo] build: FUZZING_ENGINE=$engine SANITIZER=$sanitizer scripts/build.sh (log: ${work#"$repo"/}/build.log)"
    t0=$SECONDS
    # The presets in build.sh apply only when CFLAGS & co. are unset.
    if env -u CC -u CXX -u CFLAGS -u CXXFLAGS -u LDFLAGS -u LIB_FUZZING_ENGINE -u SRC \
      FUZZING_ENGINE="$engine" SANITIZER="$sanitizer" OUT="$out" WORK="$work" \
      SCHEDFUZZ_FUZZ_TARGETS="${targets[*]}" "$here/build.sh" >"$work/build.log" 2>&1; then
      echo "built in $((SECONDS - t0)) s"
    else
      echo "BUILD FAILED after $((SECONDS - t0)) s; last lines of $work/build.log:"
      tail -n 30 "$work/build.log"
      for t in "${targets[@]}"; do
        add_row "$combo" "$t" "-" "-" "-" "-" "-" "-" "-" "-" "-" "FAIL" "build failed ($work/build.log)"
      done
      continue
    fi
  fi
  for t in "${targets[@]}"; do
    if [[ ! -x "$out/$t" ]]; then
      add_row "$combo" "$t" "-" "-" "-" "-" "-" "-" "-" "-" "-" "FAIL" "$out/$t missing"
      continue
    fi
    say "[$combo] $t"
    if [[ "$engine" == afl ]]; then
      check_afl_target "$combo" "$sanitizer" "$out" "$t"
    else
      check_libfuzzer_target "$combo" "$sanitizer" "$out" "$t"
    fi
    i=$((${#r_result[@]} - 1))
    echo "${r_result[$i]}${r_notes[$i]:+: ${r_notes[$i]}}"
  done
done

# ---------------------------------------------------------------------------
echo
echo "========================= schedfuzz check_build ========================="
fmt='%-19s %-20s %-21s %-8s %-6s %-9s %-8s %-9s %-9s %-11s %-7s %s\n'
# shellcheck disable=SC2059  # the format is a constant
printf "$fmt" combo target sanitizer-calls startup edges seeds lf-exec/s afl-stab afl-exec/s afl-edges crashes result
bad=0
for i in "${!r_result[@]}"; do
  # shellcheck disable=SC2059
  printf "$fmt" "${r_combo[$i]}" "${r_target[$i]}" "${r_san[$i]}" "${r_startup[$i]}" "${r_edges[$i]}" \
    "${r_seeds[$i]}" "${r_lfexec[$i]}" "${r_aflstab[$i]}" "${r_aflexec[$i]}" "${r_afledges[$i]}" \
    "${r_crashes[$i]}" "${r_result[$i]}"
  [[ "${r_result[$i]}" == PASS ]] || bad=1
done
for i in "${!r_result[@]}"; do
  [[ -n "${r_notes[$i]}" ]] && echo "note: ${r_combo[$i]} ${r_target[$i]}: ${r_notes[$i]}"
done
if ((${#found_list[@]})); then
  echo "FINDINGS (crashing inputs; SCHEDFUZZ_VARIANT=fixed expects none — investigate, do not hide):"
  printf '  %s\n' "${found_list[@]}"
fi
echo "lf-exec/s: ${lf_secs}s libFuzzer run per target; afl: -V ${afl_secs}; runs in ${root#"$repo"/}"
echo "elapsed: $((SECONDS - start)) s"
npass=0 nfail=0
for r in "${r_result[@]}"; do
  if [[ "$r" == PASS ]]; then npass=$((npass + 1)); else nfail=$((nfail + 1)); fi
done
if ((bad)); then echo "RESULT: FAILED"; else echo "RESULT: OK"; fi
echo "=========================================================================="
echo "check_build: ${npass} passed, ${nfail} failed"
exit "$bad"
