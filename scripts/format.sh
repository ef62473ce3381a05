#!/usr/bin/env bash
# Formats the project's C++ files with clang-format-14 and the repo's .clang-format.
#
#   scripts/format.sh            reformat in place
#   scripts/format.sh --check    change nothing; list files that would change, exit 1 if any
#   scripts/format.sh [--check] FILE...   only these files
#
# Files: every C++ source or header git knows about (tracked, plus untracked ones
# that are not ignored), except under third_party/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

CLANG_FORMAT="${CLANG_FORMAT:-clang-format-14}"
check=0
files=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "format.sh: unknown option '$arg'" >&2; exit 2 ;;
    *) files+=("$arg") ;;
  esac
done

if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
  echo "format.sh: $CLANG_FORMAT not found (scripts/setup.sh installs clang-format-14)" >&2
  exit 2
fi

if ((${#files[@]} == 0)); then
  mapfile -d '' -t files < <(
    git ls-files -z --cached --others --exclude-standard -- \
      '*.cc' '*.h' '*.cpp' '*.hpp' '*.cxx' '*.hh' '*.inc' ':!:third_party/**' |
      sort -zu
  )
fi

n=0 bad=0
for f in "${files[@]}"; do
  [[ -f "$f" ]] || continue   # deleted in the work tree but still in the index
  n=$((n + 1))
  if ((check)); then
    if ! "$CLANG_FORMAT" --style=file "$f" | cmp -s - "$f"; then
      echo "needs formatting: $f"
      bad=$((bad + 1))
    fi
  else
    "$CLANG_FORMAT" --style=file -i "$f"
  fi
done

if ((check)); then
  if ((bad)); then
    echo "format.sh: $bad of $n file(s) need formatting; run scripts/format.sh"
    exit 1
  fi
  echo "format.sh: $n file(s) checked, all formatted"
else
  echo "format.sh: formatted $n file(s)"
fi
