# shellcheck shell=bash
# What the scripts share: logging, the fuzz targets' .options files,
# configuring a CMake tree (and a fuzz build of one engine and sanitizer
# setting), and the afl-fuzz command line. Source it:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It sets SF_ROOT (the repository) and defines sf_* functions only; it sets
# no shell options. Messages are prefixed with SF_NAME (default: the
# sourcing script's file name).

SF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SF_NAME="${SF_NAME:-$(basename "$0")}"

# ---- logging ----------------------------------------------------------------
sf_log() { printf '%s: %s\n' "$SF_NAME" "$*"; }
sf_warn() { printf '%s: %s\n' "$SF_NAME" "$*" >&2; }
# sf_die MESSAGE [STATUS]: one line on stderr, exit STATUS (default 2).
sf_die() {
  sf_warn "$1"
  exit "${2:-2}"
}

# ---- fuzz targets -------------------------------------------------------------
# The scenario-input targets: schedfuzz (run, triage, minimize, explain)
# replays what they find.
SF_SCENARIO_TARGETS=(scenario_fuzzer)

# sf_fuzz_targets: every fuzz target, one per line (fuzz/*_fuzzer.cc).
sf_fuzz_targets() {
  local f
  for f in "$SF_ROOT"/fuzz/*_fuzzer.cc; do
    [[ -f "$f" ]] && basename "$f" .cc
  done
}

# sf_is_scenario_target NAME
sf_is_scenario_target() { [[ " ${SF_SCENARIO_TARGETS[*]} " == *" $1 "* ]]; }

# ---- .options files (the OSS-Fuzz format: INI sections of key = value) -------
# sf_options_section FILE SECTION: the section's settings as key=value lines.
# A missing file is an empty one.
sf_options_section() {
  [[ -f "$1" ]] || return 0
  awk -v want="$2" '
    /^[[:space:]]*[#;]/ || /^[[:space:]]*$/ { next }
    /^[[:space:]]*\[/ { sec = $0; gsub(/[][[:space:]]/, "", sec); next }
    sec == want && index($0, "=") {
      k = substr($0, 1, index($0, "=") - 1); v = substr($0, index($0, "=") + 1)
      gsub(/^[[:space:]]+|[[:space:]]+$/, "", k); gsub(/^[[:space:]]+|[[:space:]]+$/, "", v)
      print k "=" v
    }' "$1"
}

# sf_option FILE KEY [SECTION]: one value (default section: libfuzzer); empty
# if unset.
sf_option() {
  sf_options_section "$1" "${3:-libfuzzer}" | sed -n "s/^$2=//p" | tail -n 1
}

# sf_libfuzzer_args OPTIONS [DICT]: libFuzzer's flags as OSS-Fuzz's runner
# passes them: -key=value for each [libfuzzer] setting, and -dict=DICT if
# that file exists. One per line (read with mapfile).
sf_libfuzzer_args() {
  local kv
  while IFS= read -r kv; do printf -- '-%s\n' "$kv"; done < <(sf_options_section "$1" libfuzzer)
  if [[ -n "${2:-}" && -f "$2" ]]; then printf -- '-dict=%s\n' "$2"; fi
}

# sf_sanitizer_env OPTIONS: ASAN_OPTIONS=... and UBSAN_OPTIONS=... from the
# [asan] and [ubsan] sections, for env(1); one per line. What the environment
# already holds is appended, so it wins.
sf_sanitizer_env() {
  local a u
  a="$(sf_options_section "$1" asan | paste -sd: -)"
  u="$(sf_options_section "$1" ubsan | paste -sd: -)"
  echo "ASAN_OPTIONS=${a}${ASAN_OPTIONS:+${a:+:}$ASAN_OPTIONS}"
  echo "UBSAN_OPTIONS=${u}${UBSAN_OPTIONS:+${u:+:}$UBSAN_OPTIONS}"
}

# ---- CMake --------------------------------------------------------------------
# The g++ test build (scripts/test.sh's build/gcc), whose schedfuzz the other
# scripts use: the same arguments, so that no script reconfigures it.
SF_GCC_ARGS=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc
  -DCMAKE_CXX_COMPILER=g++ -DSCHEDFUZZ_ENGINE=replay -DSCHEDFUZZ_SANITIZE=OFF)

# sf_configure DIR CMAKE-ARGS...: configures DIR from the repository, from
# scratch (--fresh) when the arguments or the environment the configure reads
# (CC, CXX, and the OSS-Fuzz LIB_FUZZING_ENGINE and OUT) differ from the last
# configure of DIR. Quiet; on failure the output is in DIR/configure.log.
sf_configure() {
  local dir="$1"
  shift
  local stamp="$dir/.schedfuzz-configure-args" fresh=()
  local text
  text="$(printf '%s\n' "$@" "CC=${CC:-}" "CXX=${CXX:-}" \
    "LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:-}" "OUT=${OUT:-}")"
  mkdir -p "$dir"
  if [[ -f "$dir/CMakeCache.txt" ]]; then
    [[ "$(cat "$stamp" 2>/dev/null)" == "$text" ]] && return 0
    fresh=(--fresh)
  fi
  rm -f "$stamp"
  cmake "${fresh[@]}" -S "$SF_ROOT" -B "$dir" "$@" >"$dir/configure.log" 2>&1 </dev/null || return 1
  printf '%s' "$text" >"$stamp"
}

# sf_configure_fuzz DIR ENGINE SANITIZERS [CMAKE-ARGS...]: a fuzz build tree
# of the fuzz targets for ENGINE (libfuzzer: clang-14; afl: afl-clang-fast)
# with SANITIZERS asan (ASan+UBSan) or none (engine instrumentation only).
sf_configure_fuzz() {
  local dir="$1" engine="$2" san="$3"
  shift 3
  local args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCHEDFUZZ_ENGINE="$engine"
    -DBUILD_TESTING=OFF -DBUILD_BENCHMARKS=OFF)
  if command -v ninja >/dev/null 2>&1; then args=(-G Ninja "${args[@]}"); fi
  case "$san" in
    asan) args+=(-DSCHEDFUZZ_NO_SANITIZERS=OFF) ;;
    none) args+=(-DSCHEDFUZZ_NO_SANITIZERS=ON) ;;
    *) sf_warn "sanitizers must be asan or none (got '$san')"; return 2 ;;
  esac
  case "$engine" in
    libfuzzer)
      CC= CXX= sf_configure "$dir" "${args[@]}" \
        -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 "$@"
      ;;
    afl)
      # afl-clang-fast reads AFL_QUIET and CC/CXX from the environment.
      CC=afl-clang-fast CXX=afl-clang-fast++ AFL_QUIET=1 sf_configure "$dir" "${args[@]}" \
        -DCMAKE_C_COMPILER=afl-clang-fast -DCMAKE_CXX_COMPILER=afl-clang-fast++ "$@"
      ;;
    *) sf_warn "engine must be libfuzzer or afl (got '$engine')"; return 2 ;;
  esac
}

# sf_build DIR TARGET...: builds these targets of DIR (nproc jobs, or
# SCHEDFUZZ_JOBS). Quiet; on failure the output is in DIR/build.log.
sf_build() {
  local dir="$1"
  shift
  AFL_QUIET=1 cmake --build "$dir" -j "${SCHEDFUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}" \
    --target "$@" >"$dir/build.log" 2>&1 </dev/null
}

# ---- AFL++ ----------------------------------------------------------------------
# sf_afl_seeds DEST SOURCE...: copies the non-empty inputs under the SOURCE
# directories (recursively; under 1 MB, afl-fuzz's limit) into DEST, and
# writes a one-byte input if there are none: afl-fuzz needs one.
sf_afl_seeds() {
  local dest="$1" src
  shift
  mkdir -p "$dest"
  for src in "$@"; do
    [[ -d "$src" ]] && find "$src" -type f -size +0c -size -1024k ! -name '.*' -exec cp -n {} "$dest"/ \;
  done
  [[ -n "$(find "$dest" -type f -size +0c | head -n 1)" ]] || printf '\001' >"$dest/one_byte"
}

# sf_afl_command BIN SEEDS OUT SECONDS OPTIONS DICT [AFL-FUZZ-ARGS...]: sets
# SF_CMD to the afl-fuzz command line every script runs: no UI, no CPU
# binding, the target's dictionary (-x, if DICT exists) and max_len (-G,
# from OPTIONS), -V SECONDS. afl-fuzz sets the sanitizers' options itself.
# Run it with a wrapper of your choice: timeout "${SF_CMD[@]}", setsid ...
# Extra environment goes in front: env AFL_FAST_CAL=1 "${SF_CMD[@]}".
sf_afl_command() {
  local bin="$1" seeds="$2" out="$3" secs="$4" options="$5" dict="$6"
  shift 6
  SF_CMD=(env -u ASAN_OPTIONS -u UBSAN_OPTIONS AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1
    AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_CRASH_README=1
    AFL_FORKSRV_INIT_TMOUT=30000
    afl-fuzz -i "$seeds" -o "$out" -V "$secs")
  [[ -n "$dict" && -f "$dict" ]] && SF_CMD+=(-x "$dict")
  local max_len
  max_len="$(sf_option "$options" max_len)"
  [[ -n "$max_len" ]] && SF_CMD+=(-G "$max_len")
  SF_CMD+=("$@" -- "$bin")
}

# sf_afl_stat FILE KEY: a value from afl-fuzz's fuzzer_stats.
sf_afl_stat() { sed -n "s/^$2[[:space:]]*:[[:space:]]*//p" "$1" 2>/dev/null | tail -n 1; }
