#!/usr/bin/env bash
# The differential on trace files: `schedfuzz validate` against Go's parser
# (repro/gocheck, golang.org/x/exp/trace pinned for Go 1.22 traces; with
# --format go126, repro/gocheck126, pinned to go1.27's parser for Go 1.23-1.26
# traces) on every *.trace file under DIR. They agree on a file when both
# accept it with the same event count, or both reject it with the same first
# line of error (for go126, x/exp's "Bad" for go1.27.4's SyscallAbandoned
# counts as the same).
#
#   repro/crosscheck/diff_traces.sh DIR [--format go122|go126] [--schedfuzz BIN]
#                                       [--gocheck BIN] [--out DIR]
#
# --format     which Go checker (default go122)
# --schedfuzz  default build/gcc/repro/schedfuzz
# --gocheck    default: built from repro/gocheck (or gocheck126) into OUT/gocheck
# --out        default build/diff_traces (wiped first): verdicts.tsv,
#              disagreements.tsv
#
# Exit status: 0 every file agrees; 1 some disagree; 2 bad usage or a failed
# build; 77 skipped: no Go to build gocheck with. See docs/crosscheck.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dir="" format=go122 schedfuzz="$root/build/gcc/repro/schedfuzz" gocheck="" out="$root/build/diff_traces"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --schedfuzz) schedfuzz=${2:?}; shift 2 ;;
    --gocheck) gocheck=${2:?}; shift 2 ;;
    --format) format=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "diff_traces.sh: unknown option $1" >&2; exit 2 ;;
    *) [[ -z "$dir" ]] || { echo "diff_traces.sh: one DIR only" >&2; exit 2; }; dir=$1; shift ;;
  esac
done
[[ -d "$dir" ]] || { echo "diff_traces.sh: DIR is required and must be a directory" >&2; exit 2; }
[[ -x "$schedfuzz" ]] || { echo "diff_traces.sh: no schedfuzz at $schedfuzz" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/*.tsv
if [[ -z "$gocheck" ]]; then
  command -v go >/dev/null 2>&1 || { echo "diff_traces.sh: SKIPPED: Go is not installed" >&2; exit 77; }
  gocheck=$out/gocheck
  src=gocheck
  [[ $format == go122 ]] || src=gocheck126
  (cd "$root/repro/$src" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -o "$gocheck" .) ||
    { echo "diff_traces.sh: building gocheck failed" >&2; exit 2; }
fi

find "$dir" -type f -name '*.trace' | LC_ALL=C sort >"$out/files.txt"
n=$(wc -l <"$out/files.txt")
[[ $n -gt 0 ]] || { echo "diff_traces.sh: no *.trace files under $dir" >&2; exit 2; }

"$gocheck" -batch "$out/files.txt" >"$out/go.tsv" || true
while IFS= read -r f; do
  printf '%s\t%s\n' "$f" "$("$schedfuzz" validate "$f" 2>&1 | head -1)"
done <"$out/files.txt" >"$out/validator.tsv"

# Join on the path; Go's error keeps only its first line (the broken-trace
# dumps go on over several lines in Go's output, not in the validator's).
awk -F'\t' -v format="$format" '
  NR == FNR { go[$1] = $2; next }
  {
    v = $2; g = go[$1]
    named = v; if (format != "go122") gsub(/SyscallAbandoned/, "Bad", named)
    kind = (g == v || named == g) ? "agree" : \
           (g ~ /^ok/ && v ~ /^ok/) ? "event-count" : \
           (g ~ /^ok/) ? "validator-rejects-go-accepts" : \
           (v ~ /^ok/) ? "go-rejects-validator-accepts" : "different-error"
    print kind "\t" $1 "\t" v "\t" g
  }' "$out/go.tsv" "$out/validator.tsv" >"$out/verdicts.tsv"
grep -v '^agree' "$out/verdicts.tsv" >"$out/disagreements.tsv" || true

ok=$(awk -F'\t' '$1 == "agree" && $3 ~ /^ok/' "$out/verdicts.tsv" | wc -l)
rej=$(awk -F'\t' '$1 == "agree" && $3 !~ /^ok/' "$out/verdicts.tsv" | wc -l)
bad=$(wc -l <"$out/disagreements.tsv")
events=$(awk -F'\t' '$1 == "agree" && $3 ~ /^ok/ { split($3, a, " "); s += a[2] } END { print s + 0 }' "$out/verdicts.tsv")
echo "diff_traces: $n traces under $dir: $ok both accept with the same event count ($events events)," \
  "$rej both reject with the same first line, $bad disagree (details: $out/disagreements.tsv)"
awk -F'\t' '$1 == "agree" && $3 !~ /^ok/ { sub(/[0-9]+/, "N", $3); c[$3]++ } END { for (e in c) print "  " c[e] "\t" e }' \
  "$out/verdicts.tsv" | sort -rn | head -20
[[ $bad -eq 0 ]]
