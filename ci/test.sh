#!/usr/bin/env bash
# The project's test command (README, "Build and test"; .ci/run runs exactly `ci/test.sh`).
#
#   ci/test.sh          tests the commit HEAD from a fresh `git clone` in a temporary directory, so that nothing
#                       untracked (a .venv, a build, a folder beside the checkout) helps it pass. Uncommitted
#                       changes are not tested: the script says so when there are any.
#   ci/test.sh --here   the same steps in this working tree, uncommitted changes included (reuses .build/).
#
# The steps: ci/setup.sh; swift test, with a private TMPDIR that must hold nothing of the tests' afterwards
# (every test removes its temporary directories); the release tarball, ci/release-test.sh; then the repeatable
# fuzzing smoke, ci/fuzz.sh --runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
fuzz_runs=20000  # per target; about 3 minutes for both on 2 cores, after the build

case "${1:-}" in
  --here) work="$root" ;;
  "") work="" ;;
  *) echo "usage: ci/test.sh [--here]" >&2; exit 2 ;;
esac

scratch="$(mktemp -d "${TMPDIR:-/tmp}/tiergate-ci.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

if [ -z "$work" ]; then
  head="$(git -C "$root" rev-parse HEAD)"
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    echo "ci/test.sh: testing the commit HEAD ($head); the working tree's uncommitted changes are not (ci/test.sh --here tests them)" >&2
  fi
  work="$scratch/tiergate"
  git clone --quiet "$root" "$work"
  # HEAD may be on no branch the clone got: hand the commit over.
  git -C "$work" cat-file -e "$head^{commit}" 2>/dev/null || git -C "$root" push --quiet "$work" "$head:refs/heads/ci-test"
  git -C "$work" checkout --quiet --detach "$head"
  echo "ci/test.sh: testing $head in a fresh clone at $work" >&2
fi
cd "$work"

ci/setup.sh
swift build --build-tests

# The tests' temporary directories go to a private TMPDIR, which must hold nothing of theirs afterwards.
# SwiftPM leaves its own lock files and TemporaryDirectory.* folders there: those are not the tests'.
mkdir "$scratch/tmp"
TMPDIR="$scratch/tmp" swift test --skip-build
left="$(find "$scratch/tmp" -mindepth 1 -maxdepth 1 ! -name 'TemporaryDirectory.*' ! -name '*.lock')"
if [ -n "$left" ]; then
  echo "ci/test.sh: the tests left these in their TMPDIR:" >&2
  echo "$left" >&2
  exit 1
fi

ci/release-test.sh
ci/fuzz.sh --runs "$fuzz_runs"
