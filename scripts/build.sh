#!/usr/bin/env bash
# THE OSS-Fuzz / ClusterFuzzLite build of schedfuzz's fuzz targets.
#
# OSS-Fuzz (oss-fuzz/build.sh) and ClusterFuzzLite (.clusterfuzzlite/build.sh)
# exec this script; scripts/check_build.sh runs it locally. It honours the
# OSS-Fuzz environment: $CC $CXX $CFLAGS $CXXFLAGS $LDFLAGS $LIB_FUZZING_ENGINE
# $SRC $WORK $OUT, and writes into $OUT, for every fuzz/<name>_fuzzer.cc:
#   <name>_fuzzer                  the target (linked with $LIB_FUZZING_ENGINE)
#   <name>_fuzzer_seed_corpus.zip  zip -j of corpus/<name>_fuzzer/*
#   <name>_fuzzer.dict, .options   copied from fuzz/
#
# Outside OSS-Fuzz, unset variables get local defaults: SRC=<repo>,
# WORK=<repo>/build/oss-work, OUT=<repo>/build/oss-out. If CFLAGS is unset the
# script sets what OSS-Fuzz's `compile` would for
#   FUZZING_ENGINE = libfuzzer (default) | afl
#   SANITIZER      = address (default) | undefined | none | coverage
# with clang-14 (libFuzzer) or afl-clang-fast (AFL++, libAFLDriver.a). So
#   scripts/build.sh                                         libFuzzer + ASan
#   SANITIZER=undefined OUT=build/oss-ubsan scripts/build.sh libFuzzer + UBSan
#   FUZZING_ENGINE=afl OUT=build/oss-afl scripts/build.sh    AFL++ + ASan
# Give CFLAGS (and CC, CXX, LIB_FUZZING_ENGINE) yourself for anything else,
# e.g. libFuzzer without sanitizers:
#   CC=clang-14 CXX=clang++-14 CFLAGS=-fsanitize=fuzzer-no-link \
#   CXXFLAGS=-fsanitize=fuzzer-no-link LIB_FUZZING_ENGINE=-fsanitize=fuzzer scripts/build.sh
# With FUZZING_ENGINE=afl, CFLAGS must not contain -fsanitize=fuzzer-no-link:
# afl-clang-fast instruments by itself.
#
# Abseil. OSS-Fuzz builds with libc++ and wants every dependency instrumented,
# so there Abseil is compiled from source with the project's flags
# (-DSCHEDFUZZ_SYSTEM_ABSL=OFF). That happens when $SCHEDFUZZ_ABSL_SOURCE_DIR
# names an abseil-cpp checkout, or when $SRC/abseil-cpp exists (the
# Dockerfiles clone a pinned tag there). Otherwise the system package is used
# (Debian's libabsl-dev: built against libstdc++, shared and uninstrumented).
# SCHEDFUZZ_SYSTEM_ABSL=ON|OFF forces the choice. NOTE: binaries linked
# against Debian's Abseil need its .so files (package libabsl20220623) where
# they run: fine on the machine that built them, not in OSS-Fuzz's runner
# image, which is why OSS-Fuzz uses the from-source path.
#
# Other knobs: SCHEDFUZZ_JOBS (default: nproc), SCHEDFUZZ_FUZZ_TARGETS (space
# separated subset of targets; default: all). The CMake build tree is
# $WORK/schedfuzz-build; it is reconfigured from scratch when the compiler,
# flags, engine, $OUT or the Abseil choice change.
set -euo pipefail

usage() { sed -n '2,43p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) echo "build.sh: takes no arguments (configure it through the environment; see --help)" >&2; exit 2 ;;
esac

. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
say() { sf_log "$*"; }
die() { sf_die "error: $1" 1; }
repo="$SF_ROOT"

# ---- environment -----------------------------------------------------------
: "${SRC:=$repo}"
: "${WORK:=$repo/build/oss-work}"
: "${OUT:=$repo/build/oss-out}"
mkdir -p "$WORK" "$OUT"
WORK="$(cd "$WORK" && pwd)"
OUT="$(cd "$OUT" && pwd)"
export SRC WORK OUT

if [[ -z "${CFLAGS+set}" ]]; then
  # Not inside OSS-Fuzz's `compile`: reproduce its flags (base-clang/base-builder).
  engine="${FUZZING_ENGINE:-libfuzzer}"
  sanitizer="${SANITIZER:-address}"
  base='-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION'
  ubsan_checks='array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr'
  case "$sanitizer" in
    address) san='-fsanitize=address -fsanitize-address-use-after-scope' ;;
    # unsigned-integer-overflow is checked but recoverable, as in OSS-Fuzz,
    # whose runner sets UBSAN_OPTIONS=silence_unsigned_overflow=1.
    undefined) san="-fsanitize=${ubsan_checks},unsigned-integer-overflow -fno-sanitize-recover=${ubsan_checks}" ;;
    coverage) san='-fprofile-instr-generate -fcoverage-mapping' ;;
    none) san='' ;;
    *) die "SANITIZER must be address, undefined, coverage or none (got '$sanitizer')" ;;
  esac
  case "$engine" in
    libfuzzer)
      : "${CC:=clang-14}" "${CXX:=clang++-14}"
      : "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
      # OSS-Fuzz's COVERAGE_FLAGS: libFuzzer's edge instrumentation.
      [[ "$sanitizer" == coverage ]] || san="$san -fsanitize=fuzzer-no-link"
      ;;
    afl)
      : "${CC:=afl-clang-fast}" "${CXX:=afl-clang-fast++}"
      : "${LIB_FUZZING_ENGINE:=/usr/lib/afl/libAFLDriver.a}"
      export AFL_QUIET="${AFL_QUIET:-1}"
      ;;
    *) die "FUZZING_ENGINE must be libfuzzer or afl (got '$engine')" ;;
  esac
  CFLAGS="$base${san:+ $san}"
  : "${CXXFLAGS:=$CFLAGS}"
  say "local defaults: FUZZING_ENGINE=$engine SANITIZER=$sanitizer"
fi
: "${CC:=clang}" "${CXX:=clang++}" "${CXXFLAGS:=$CFLAGS}" "${LDFLAGS:=}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
export CC CXX CFLAGS CXXFLAGS LDFLAGS LIB_FUZZING_ENGINE

command -v "${CC%% *}" >/dev/null 2>&1 || die "compiler '$CC' not found (scripts/setup.sh installs clang-14 and afl++)"
command -v "${CXX%% *}" >/dev/null 2>&1 || die "compiler '$CXX' not found"
command -v cmake >/dev/null 2>&1 || die "cmake not found"
command -v zip >/dev/null 2>&1 || die "zip not found (apt-get install zip)"

# ---- Abseil ----------------------------------------------------------------
absl_dir="${SCHEDFUZZ_ABSL_SOURCE_DIR:-}"
if [[ -z "$absl_dir" && -f "$SRC/abseil-cpp/CMakeLists.txt" ]]; then
  absl_dir="$SRC/abseil-cpp"
fi
system_absl="${SCHEDFUZZ_SYSTEM_ABSL:-}"
if [[ -z "$system_absl" ]]; then
  if [[ -n "$absl_dir" ]]; then system_absl=OFF; else system_absl=ON; fi
fi
case "$system_absl" in
  ON | on | 1 | true) system_absl=ON ;;
  OFF | off | 0 | false) system_absl=OFF ;;
  *) die "SCHEDFUZZ_SYSTEM_ABSL must be ON or OFF (got '$system_absl')" ;;
esac
absl_args=(-DSCHEDFUZZ_SYSTEM_ABSL="$system_absl")
if [[ "$system_absl" == OFF ]]; then
  # Not testable on the project's machines (no network to fetch a pinned
  # abseil-cpp); exercised by OSS-Fuzz/ClusterFuzzLite images only.
  [[ -n "$absl_dir" && -f "$absl_dir/CMakeLists.txt" ]] ||
    die "SCHEDFUZZ_SYSTEM_ABSL=OFF needs an abseil-cpp checkout in \$SCHEDFUZZ_ABSL_SOURCE_DIR or \$SRC/abseil-cpp"
  absl_dir="$(cd "$absl_dir" && pwd)"
  absl_args+=(-DSCHEDFUZZ_ABSL_SOURCE_DIR="$absl_dir")
  say "Abseil from source: $absl_dir"
else
  if [[ " $CXXFLAGS " == *" -stdlib=libc++ "* ]]; then
    die "CXXFLAGS has -stdlib=libc++ but the system Abseil is built against libstdc++; provide \$SRC/abseil-cpp (see oss-fuzz/Dockerfile) or set SCHEDFUZZ_ABSL_SOURCE_DIR"
  fi
  say "Abseil: system package (shared libraries; $OUT binaries need them at run time)"
fi

# ---- targets ---------------------------------------------------------------
mapfile -t all_targets < <(sf_fuzz_targets)
((${#all_targets[@]})) || die "no fuzz/*_fuzzer.cc found under $repo"
if [[ -n "${SCHEDFUZZ_FUZZ_TARGETS:-}" ]]; then
  read -r -a targets <<<"$SCHEDFUZZ_FUZZ_TARGETS"
  for t in "${targets[@]}"; do
    [[ -f "$repo/fuzz/$t.cc" ]] || die "unknown fuzz target '$t' (have: ${all_targets[*]})"
  done
else
  targets=("${all_targets[@]}")
fi

# ---- configure -------------------------------------------------------------
build="$WORK/schedfuzz-build"
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
cmake_args=(
  "${generator[@]}"
  -DCMAKE_BUILD_TYPE=None  # the flags are exactly CFLAGS/CXXFLAGS: no -O2, no NDEBUG
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX"
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS"
  -DCMAKE_EXE_LINKER_FLAGS="$LDFLAGS"
  -DSCHEDFUZZ_ENGINE=external -DBUILD_TESTING=OFF -DBUILD_BENCHMARKS=OFF
  "${absl_args[@]}"
)
say "CC=$CC CXX=$CXX"
say "CFLAGS=$CFLAGS"
say "CXXFLAGS=$CXXFLAGS"
say "LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE"
say "SRC=$SRC WORK=$WORK OUT=$OUT"
if ! sf_configure "$build" "${cmake_args[@]}"; then
  cat "$build/configure.log" >&2
  die "configure failed"
fi

# ---- build -----------------------------------------------------------------
jobs="${SCHEDFUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
say "building ${targets[*]} (-j$jobs)"
cmake --build "$build" -j "$jobs" --target "${targets[@]}" </dev/null

# ---- artefacts next to each target ----------------------------------------
for t in "${targets[@]}"; do
  [[ -x "$OUT/$t" ]] || die "$OUT/$t was not produced (does sf_fuzzer honour \$OUT?)"
  zip_path="$OUT/${t}_seed_corpus.zip"
  rm -f "$zip_path"  # zip adds to an existing archive: start afresh
  corpus="$repo/corpus/$t"
  seeds=()
  if [[ -d "$corpus" ]]; then
    while IFS= read -r -d '' s; do seeds+=("$s"); done \
      < <(find "$corpus" -type f ! -name '.*' -print0 | sort -z)
  fi
  if ((${#seeds[@]})); then
    # -j stores bare names: two seeds with one name in different subdirs would clash.
    if [[ -n "$(printf '%s\n' "${seeds[@]##*/}" | sort | uniq -d)" ]]; then
      die "corpus/$t has two seeds with the same file name in different directories"
    fi
    zip -q -j -X "$zip_path" "${seeds[@]}"
  fi
  for ext in dict options; do
    rm -f "$OUT/$t.$ext"
    if [[ -f "$repo/fuzz/$t.$ext" ]]; then cp "$repo/fuzz/$t.$ext" "$OUT/$t.$ext"; fi
  done
  say "$t: $OUT/$t, ${#seeds[@]} seeds$([[ -f "$OUT/$t.dict" ]] && echo ", dict")$([[ -f "$OUT/$t.options" ]] && echo ", options")"
done
say "done: ${#targets[@]} target(s) in $OUT"
