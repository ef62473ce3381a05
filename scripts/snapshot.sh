#!/usr/bin/env bash
# Behaviour fingerprint of every committed input: for each scenario input
# (the scenario corpora and repro/cases) under each variant, the verdict
# (`schedfuzz run --json`), the step-by-step account (`explain --full`) and
# the exported trace bytes. Two trees that print the same fingerprint run
# every committed input the same way, step for step and byte for byte.
#
# Usage: scripts/snapshot.sh [SCHEDFUZZ-BINARY] > fingerprint.txt
#   SCHEDFUZZ-BINARY  default: build/gcc/repro/schedfuzz
# Compare two trees:  diff <(scripts/snapshot.sh A/schedfuzz) <(scripts/snapshot.sh B/schedfuzz)
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$repo/build/gcc/repro/schedfuzz}"
[[ -x "$bin" ]] || { echo "snapshot.sh: no schedfuzz binary at $bin (run scripts/test.sh --quick)" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

mapfile -t inputs < <(cd "$repo" && find corpus -path '*validator_fuzzer*' -prune -o -type f -print | sort; \
                      cd "$repo" && find repro/cases -type f -name '*.txt' | sort)
variants=$("$bin" variants --json | sed -E 's/.*"name":"([^"]*)".*/\1/')

for v in $variants; do
  for f in "${inputs[@]}"; do
    # Inputs are named relative to the repository so fingerprints of two
    # checkouts compare equal.
    for o in all validator; do
      (cd "$repo" && "$bin" run --json --variant="$v" --oracles="$o" "$f" 2>&1)
    done
    printf 'explain %s %s %s\n' "$v" "$f" \
      "$(cd "$repo" && "$bin" explain --full --variant="$v" "$f" 2>&1 | sha256sum | cut -c1-16)"
    if (cd "$repo" && "$bin" export --variant="$v" "$f" -o "$tmp/t" >/dev/null 2>&1); then
      printf 'export %s %s %s\n' "$v" "$f" "$(sha256sum <"$tmp/t" | cut -c1-16)"
    else
      printf 'export %s %s (none)\n' "$v" "$f"
    fi
  done
done
