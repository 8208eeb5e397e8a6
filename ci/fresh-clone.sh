#!/usr/bin/env bash
# ci/fresh-clone.sh COMMAND [ARG...]: runs COMMAND in a fresh `git clone` of the commit HEAD, in a temporary
# directory that is removed afterwards, so that nothing untracked (a .venv, a build, a folder beside the
# checkout) helps it pass. Uncommitted changes are not in the clone: the script says so when there are any.
# The README's test command (and so .ci/run) runs the test steps through it.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: ci/fresh-clone.sh COMMAND [ARG...]" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
head="$(git -C "$root" rev-parse HEAD)"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  echo "ci/fresh-clone.sh: running in a clone of the commit HEAD ($head); uncommitted changes are not in it" >&2
fi
scratch="$(mktemp -d "${TMPDIR:-/tmp}/tiergate-clone.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
work="$scratch/tiergate"
git clone --quiet "$root" "$work"
# HEAD may be on no branch the clone got: hand the commit over.
git -C "$work" cat-file -e "$head^{commit}" 2>/dev/null || git -C "$root" push --quiet "$work" "$head:refs/heads/fresh-clone"
git -C "$work" checkout --quiet --detach "$head"
echo "ci/fresh-clone.sh: $head in a fresh clone at $work: $*" >&2
cd "$work"
"$@"
