#!/usr/bin/env bash
# Installs what schedfuzz needs to build, test and fuzz on Debian 12 (bookworm):
# only the packages that are missing. Idempotent and non-interactive.
#
#   scripts/setup.sh           install whatever is missing (as root, or through sudo)
#   scripts/setup.sh --check   list what is missing; exit 1 if anything is, install nothing
#
# The packages: the build (build-essential, cmake, ninja, pkg-config, git),
# clang-14 with lld, llvm tools and the sanitizer/libFuzzer runtimes
# (libclang-rt-14-dev), GoogleTest, Google Benchmark and Abseil from Debian,
# afl++ 4.04c (which works with clang-14), clang-format-14 (scripts/format.sh),
# zip (seed-corpus archives) and python3-matplotlib (benchmark charts). Go is expected at /usr/local/go/bin and
# is never installed here.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang-14 lld-14 llvm-14 libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev libabsl-dev
  afl++ clang-format-14
  zip python3-matplotlib
)

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

check_only=0
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "setup.sh: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

log() { echo "setup.sh: $*"; }

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  log "error: this script needs a Debian system (dpkg-query and apt-get not found)" >&2
  exit 1
fi

is_installed() {
  # "install ok installed" only; half-installed or config-files states count as missing.
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    is_installed "$p" || echo "$p"
  done
}

mapfile -t missing < <(missing_packages)

go_note() {
  if command -v go >/dev/null 2>&1; then
    log "go: $(go version 2>/dev/null || echo 'present') ($(command -v go))"
  else
    log "note: Go not found (expected at /usr/local/go/bin/go); it is not installed by this script"
  fi
}

if ((${#missing[@]} == 0)); then
  log "all ${#PACKAGES[@]} packages are installed; nothing is missing"
  go_note
  exit 0
fi

if ((check_only)); then
  log "missing ${#missing[@]} of ${#PACKAGES[@]} packages: ${missing[*]}"
  go_note
  exit 1
fi

SUDO=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
    if ! sudo -n true 2>/dev/null; then
      if [[ -z "${CI:-}" ]] && { : </dev/tty; } 2>/dev/null; then
        SUDO=(sudo)   # may prompt for a password on the terminal
      else
        log "error: not root and sudo needs a password (no terminal to ask on)." >&2
        log "run as root: apt-get install ${missing[*]}" >&2
        exit 1
      fi
    fi
  else
    log "error: not root and sudo is not available; as root run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(
  -o DPkg::Lock::Timeout=300
  -o Dpkg::Options::=--force-confdef
  -o Dpkg::Options::=--force-confold
)

start=$SECONDS
log "installing ${#missing[@]} missing package(s): ${missing[*]}"
log "running: apt-get update"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" -q update </dev/null
log "running: apt-get install -y --no-install-recommends ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" -q -y \
  --no-install-recommends install "${missing[@]}" </dev/null

mapfile -t still_missing < <(missing_packages)
if ((${#still_missing[@]} != 0)); then
  log "error: still missing after install: ${still_missing[*]}" >&2
  exit 1
fi
log "installed ${#missing[@]} package(s) in $((SECONDS - start)) s; nothing is missing now"
go_note
