#!/usr/bin/env bash
# The SPEC section 9 benchmark, in one command: builds tiergate in release mode, generates the synthetic
# monorepo, and measures tiergate against git and a pygit2 + PyYAML script side by side in the same run.
# Options (environment): MANIFESTS (default 50000), RUNS (default 7), WORK (default bench/work), BASELINE (another
# tiergate binary, say an earlier build, measured in the same rounds: on a shared machine, the fair before and after).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
manifests="${MANIFESTS:-50000}"
runs="${RUNS:-7}"
work="${WORK:-$here/work}"

"$root/ci/setup.sh"
bin="$("$here/build.sh")"

venv="$work/venv"
if [ ! -x "$venv/bin/python" ]; then
  echo "bench: preparing $venv (pygit2, PyYAML)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check pygit2 PyYAML
fi
"$venv/bin/python" -c 'import yaml; yaml.CSafeLoader' || { echo "bench: PyYAML has no C loader" >&2; exit 2; }

# The repository's name carries the generator's version: a repository from an older generator is not reused.
repo="$work/repo-$manifests-layout-policy"
no_layout="$work/policy-no-layout.yaml"
if [ ! -d "$repo/.git" ] || [ ! -f "$no_layout" ]; then
  echo "bench: generating $manifests manifests in $repo" >&2
  rm -rf "$repo"
  python3 "$here/generate.py" "$repo" --manifests "$manifests" --no-layout-policy "$no_layout"
fi

"$venv/bin/python" "$here/measure.py" --repo "$repo" --tiergate "$bin" --python "$venv/bin/python" \
  --no-layout-policy "$no_layout" --runs "$runs" --manifests "$manifests" --out "$here/results.md" \
  ${BASELINE:+--baseline "$BASELINE"}
echo "bench: results written to bench/results.md" >&2
