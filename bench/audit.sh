#!/usr/bin/env bash
# The audit trail benchmark (SPEC section 11): `tiergate audit log` and `audit verify` over a main branch of
# COMMITS landed commits that all carry a decision record. Builds tiergate in release mode, generates the
# repository once (bench/audit.py generate), measures (bench/audit.py measure) and writes its own section of
# bench/results.md. Options (environment): COMMITS (default 10000), RUNS (default 5), WORK (default bench/work).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
commits="${COMMITS:-10000}"
runs="${RUNS:-5}"
work="${WORK:-$here/work}"

bin="$("$here/build.sh")"

# The repository's name carries the generator's version: a repository from an older generator is not reused.
repo="$work/audit-$commits-v1"
if [ ! -d "$repo/.git" ]; then
  echo "bench/audit: generating $commits recorded commits in $repo" >&2
  rm -rf "$repo"
  mkdir -p "$work"
  python3 "$here/audit.py" generate "$repo" --commits "$commits"
fi
python3 "$here/audit.py" measure --repo "$repo" --tiergate "$bin" --runs "$runs" --commits "$commits" --out "$here/results.md"
echo "bench/audit: results written to bench/results.md" >&2
