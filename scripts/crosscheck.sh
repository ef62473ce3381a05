#!/usr/bin/env bash
# Cross-check the C++ trace validator against Go's own trace parser.
#
#   scripts/crosscheck.sh N [--seed S] [options]
#
# Generates N scenarios from the seed (repro/crosscheck), runs each on every
# variant (default fixed and go70883), plus the regression cases and scenario
# corpora (repro/cases, corpus/scenario_fuzzer/injectglist and /scheduler,
# where present), exports every closed trace session in the Go 1.22 wire
# format, and has both the validator and `gocheck -batch` (golang.org/x/exp/trace
# pinned to the Go 1.22 parser) judge each trace. With --format go123, go125 or
# go126 the traces are re-framed in that format (tracefmt/reframe.h: sync
# batches with clock snapshots, EndOfGeneration) and judged by the validator's
# go1.27 rules and repro/gocheck126 (x/exp/trace pinned to a snapshot of
# go1.27's parser, which reads Go 1.22 to 1.26 traces). The verdicts agree when both
# accept the trace with the same number of events, or both reject it with the
# same first line of error text. Prints a summary and saves every
# disagreement (input, trace, both verdicts, Go's full error, a replay
# command) under OUT/disagreements/. See docs/crosscheck.md.
#
# Options:
#   --seed S            generator seed (default 1)
#   --variants LIST     comma-separated variants (default fixed,go70883)
#   --out DIR           work directory (default build/crosscheck; wiped first)
#   --tries K           Go parses each trace K times and flags verdicts that
#                       vary with its random tie order (default 3)
#   --mutants K         also check K mutated copies of every trace (default 0;
#                       see docs/crosscheck.md): exercises the error paths
#   --tied              with --mutants: set every mutant's timestamps to 0, an
#                       experiment on Go's random tie order (disagreements
#                       expected; see docs/crosscheck.md)
#   --format F          go122 (default), go123, go125 or go126: the wire format
#                       the traces are written in, and so which Go parser judges
#   --no-extras         only the N generated scenarios
#   --extra PATH        one more input file or directory (repeatable)
#   --no-build          do not build; with --crosscheck BIN and --gocheck BIN
#   --crosscheck BIN    the crosscheck binary (default build/gcc/repro/crosscheck/crosscheck)
#   --gocheck BIN       the gocheck binary (default: built into OUT/gocheck from
#                       repro/gocheck, or repro/gocheck126 for --format after go122)
#
# Exit status: 0 every trace agrees; 1 some disagree; 2 bad usage or a
# failed build/run; 77 skipped: Go is not installed (the gocheck side needs
# it), the automake/ctest skip code.
set -euo pipefail

usage() { sed -n '2,45p' "$0" | sed 's/^# \{0,1\}//'; }

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root=$SF_ROOT
n=""
seed=1
variants=fixed,go70883
out=""
tries=3
mutants=0
tied=()
extras_default=1
extras=()
build=1
crosscheck=""
gocheck=""
format=go122
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --seed=*) seed=${1#*=}; shift ;;
    --variants) variants=${2:?--variants needs a value}; shift 2 ;;
    --variants=*) variants=${1#*=}; shift ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --tries) tries=${2:?--tries needs a value}; shift 2 ;;
    --tries=*) tries=${1#*=}; shift ;;
    --mutants) mutants=${2:?--mutants needs a value}; shift 2 ;;
    --mutants=*) mutants=${1#*=}; shift ;;
    --tied) tied=(--tied); shift ;;
    --format) format=${2:?--format needs a value}; shift 2 ;;
    --format=*) format=${1#*=}; shift ;;
    --no-extras) extras_default=0; shift ;;
    --extra) extras+=("${2:?--extra needs a value}"); shift 2 ;;
    --extra=*) extras+=("${1#*=}"); shift ;;
    --no-build) build=0; shift ;;
    --crosscheck) crosscheck=${2:?--crosscheck needs a value}; shift 2 ;;
    --crosscheck=*) crosscheck=${1#*=}; shift ;;
    --gocheck) gocheck=${2:?--gocheck needs a value}; shift 2 ;;
    --gocheck=*) gocheck=${1#*=}; shift ;;
    -*) echo "crosscheck.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *)
      if [[ -n "$n" ]]; then echo "crosscheck.sh: one N only (see --help)" >&2; exit 2; fi
      n=$1; shift ;;
  esac
done
if ! [[ "$n" =~ ^[0-9]+$ ]]; then
  echo "crosscheck.sh: N (the number of scenarios) is required (see --help)" >&2
  exit 2
fi
if ! [[ "$tries" =~ ^[1-9][0-9]*$ ]]; then
  echo "crosscheck.sh: --tries needs a positive number" >&2
  exit 2
fi
out=${out:-$root/build/crosscheck}
case $format in
  go122) gocheck_src=gocheck ;;
  go123 | go125 | go126) gocheck_src=gocheck126 ;;
  *) echo "crosscheck.sh: --format: one of go122, go123, go125, go126" >&2; exit 2 ;;
esac

# Go first: without it there is nothing to compare with.
go_bin=""
if command -v go >/dev/null 2>&1; then
  go_bin=$(command -v go)
elif [[ -x /usr/local/go/bin/go ]]; then
  go_bin=/usr/local/go/bin/go
fi
if [[ -z "$gocheck" && -z "$go_bin" ]]; then
  echo "crosscheck.sh: SKIPPED: Go is not installed (looked on PATH and in /usr/local/go/bin);" \
    "install Go >= 1.22 to check traces with Go's parser, or pass --gocheck BIN" >&2
  exit 77
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)  # absolute: gocheck is built from repro/gocheck
if [[ $build -eq 1 ]]; then
  if [[ -z "$crosscheck" ]]; then
    bdir=$root/build/gcc
    sf_configure "$bdir" "${SF_GCC_ARGS[@]}" ||
      { echo "crosscheck.sh: cmake configure failed: see $bdir/configure.log" >&2; exit 2; }
    if ! cmake --build "$bdir" --target crosscheck -j2 >"$out/build.log" 2>&1; then
      if grep -q "unknown target 'crosscheck'" "$out/build.log"; then
        echo "crosscheck.sh: $bdir has no target crosscheck: repro/CMakeLists.txt needs" \
          "add_subdirectory(crosscheck)" >&2
      else
        echo "crosscheck.sh: building crosscheck failed: see $out/build.log" >&2
      fi
      exit 2
    fi
    crosscheck=$bdir/repro/crosscheck/crosscheck
  fi
  if [[ -z "$gocheck" ]]; then
    gocheck=$out/gocheck
    (cd "$root/repro/$gocheck_src" &&
      GOTOOLCHAIN=local GOFLAGS=-mod=readonly "$go_bin" build -o "$gocheck" .) >"$out/gocheck-build.log" 2>&1 ||
      { echo "crosscheck.sh: building gocheck failed: see $out/gocheck-build.log" >&2; exit 2; }
  fi
fi
crosscheck=${crosscheck:-$root/build/gcc/repro/crosscheck/crosscheck}
for bin in "$crosscheck" "$gocheck"; do
  if [[ -z "$bin" || ! -x "$bin" ]]; then
    echo "crosscheck.sh: ${bin:-gocheck}: not an executable (build it, or drop --no-build)" >&2
    exit 2
  fi
done

if [[ $extras_default -eq 1 ]]; then
  for d in repro/cases corpus/scenario_fuzzer/injectglist corpus/scenario_fuzzer/scheduler; do
    [[ -d $root/$d ]] && extras+=("$root/$d")
  done
fi
extra_args=()
for e in ${extras[@]+"${extras[@]}"}; do extra_args+=("--extra=$e"); done

work=$out/work
dis=$out/disagreements
rm -rf "$work" "$dis"
mkdir -p "$work"

"$crosscheck" --n="$n" --seed="$seed" --variants="$variants" --out="$work" --mutants="$mutants" \
  --format="$format" \
  ${tied[@]+"${tied[@]}"} \
  ${extra_args[@]+"${extra_args[@]}"} >"$work/crosscheck.log" 2>&1 ||
  { cat "$work/crosscheck.log" >&2; echo "crosscheck.sh: crosscheck failed" >&2; exit 2; }
cat "$work/crosscheck.log"

go_rc=0
"$gocheck" -batch "$work/manifest.tsv" -field 4 -tries "$tries" >"$work/go.tsv" 2>"$work/go.stderr" || go_rc=$?
if [[ $go_rc -ne 0 ]]; then
  cat "$work/go.stderr" >&2
  echo "crosscheck.sh: gocheck -batch failed (exit $go_rc)" >&2
  exit 2
fi

# Join the two verdicts by trace file and classify.
#   manifest: id variant session file cpp input gens run
#   go.tsv:   file verdict [unstable: ...]
# go1.27.4's ProcStatus.String names SyscallAbandoned; the x/exp snapshot
# gocheck126 uses prints it as "Bad" (as go1.22 did). The validator follows
# go1.27.4, so for the later formats an error that differs only there is an
# agreement of its own kind, agree-error-named.
awk -F'\t' -v OFS='\t' -v format="$format" '
  FNR == NR { go[$1] = $2; unstable[$1] = (NF >= 3 ? $3 : ""); next }
  /^#/ { next }
  {
    file = $4; cpp = $5
    if (!(file in go)) { kind = "no-go-verdict"; g = "" }
    else {
      g = go[file]
      if (unstable[file] != "") kind = "go-unstable"
      else if (g ~ /^panic: /) kind = "go-panic"
      else if (cpp ~ /^ok / && g ~ /^ok /) kind = (cpp == g ? "agree-ok" : "event-count")
      else if (cpp ~ /^ok /) kind = "go-rejects-validator-accepts"
      else if (g ~ /^ok /) kind = "validator-rejects-go-accepts"
      else if (cpp == g) kind = "agree-error"
      else {
        named = cpp; gsub(/SyscallAbandoned/, "Bad", named)
        kind = (format != "go122" && named == g ? "agree-error-named" : "different-error")
      }
    }
    if (unstable[file] != "") g = g " [" unstable[file] "]"
    print kind, $1, $2, $3, file, $6, cpp, g, $8
  }' "$work/go.tsv" "$work/manifest.tsv" >"$work/verdicts.tsv"

awk -F'\t' '$1 != "agree-ok" && $1 != "agree-error" && $1 != "agree-error-named"' "$work/verdicts.tsv" >"$work/disagreements.tsv"
ndis=$(wc -l <"$work/disagreements.tsv")
inputs=$(find "$work/inputs" -type f | wc -l)

if [[ $ndis -gt 0 ]]; then
  mkdir -p "$dis"
  while IFS=$'\t' read -r kind id variant session file input cpp g run; do
    d=$dis/$kind/$id.$variant.s$session
    mkdir -p "$d"
    cp "$input" "$d/"
    cp "$file" "$d/"
    full=$("$gocheck" "$file" 2>&1 || true)
    {
      echo "kind:      $kind"
      echo "validator: $cpp"
      echo "go:        $g"
      echo "run:       $run"
      if [[ $session == *m* ]]; then
        echo "note:      a mutant: the trace is an edited copy of session ${session%%.*} of the run"
        echo "           (see run:); check it with: gocheck $d/$(basename "$file")"
        echo "replay:    the original run: build/gcc/repro/schedfuzz export --variant=$variant --oracles=validator -o /tmp/t.trace $d/$(basename "$input")"
      else
        echo "replay:    build/gcc/repro/schedfuzz run --variant=$variant --oracles=validator $d/$(basename "$input")"
        echo "           build/gcc/repro/schedfuzz check --variant=$variant --oracles=validator $d/$(basename "$input")"
      fi
      echo "gocheck output (full):"
      echo "$full"
    } >"$d/verdicts.txt"
  done <"$work/disagreements.tsv"
fi

# One summary block for the model's traces (session "S") and one for the
# mutants (session "S.mJ").
summarize() {
  local label=$1 pattern=$2 errfile=$3
  awk -F'\t' -v label="$label" -v pat="$pattern" -v errfile="$errfile" '
    $4 !~ pat { next }
    { n++; kinds[$1]++ }
    $1 ~ /^agree-error/ { e = $7; sub(/^error: /, "", e); gsub(/[0-9]+/, "N", e); errs[e]++ }
    END {
      if (n == 0) exit
      agree = kinds["agree-ok"] + kinds["agree-error"] + kinds["agree-error-named"]
      printf "  %s checked: %d\n", label, n
      printf "    agreements:    %d (%d both ok with the same event count, %d both reject with the same error)\n",
        agree, kinds["agree-ok"], kinds["agree-error"] + kinds["agree-error-named"]
      if (kinds["agree-error-named"] > 0)
        printf "      of which %d differ only in x/exp printing go1.27.4'"'"'s SyscallAbandoned as Bad\n", kinds["agree-error-named"]
      printf "    disagreements: %d\n", n - agree
      for (k in kinds) if (k !~ /^agree-/) printf "      %6d %s\n", kinds[k], k
      if (length(errs) > 0) {
        printf "    errors both parsers report (digits as N; most frequent first):\n"
        cmd = "sort -rn | head -n 12"
        for (e in errs) printf "      %6d %s\n", errs[e], e | cmd
        close(cmd)
        if (length(errs) > 12) printf "      ... %d kinds in all: %s\n", length(errs), errfile
        for (e in errs) printf "%d\t%s\n", errs[e], e > errfile
      }
    }' "$work/verdicts.tsv"
}

echo
echo "crosscheck summary (seed $seed, variants $variants, format $format):"
printf '  scenarios: %d (%d generated, %d extra) x %d variants\n' "$inputs" "$n" \
  "$((inputs - n))" "$(awk -F, '{print NF}' <<<"$variants")"
summarize "traces (closed sessions)" '^[0-9]+$' "$work/errors-traces.tsv"
summarize "mutated traces" 'm' "$work/errors-mutants.tsv"
printf '  disagreements in all: %d\n' "$ndis"
if [[ $ndis -gt 0 ]]; then
  echo "  saved under $dis/KIND/ (verdicts.txt in each says how to replay)"
fi
[[ $ndis -eq 0 ]]
