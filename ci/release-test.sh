#!/usr/bin/env bash
# The release tarball tested as a user gets it (run by .ci/run after swift test, since a release build takes
# minutes): ci/release.sh builds it; it is unpacked into an empty directory and `tiergate demo` and a `check` run
# with nothing of the build around them (env -i PATH=/usr/bin:/bin); then the GitHub action's install step
# (action.yml) installs it from a file:// release page, with and without a pinned SHA-256, and refuses a tarball
# that does not match.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "release-test: FAIL: $*" >&2; exit 1; }

tarball=$("$root/ci/release.sh" | tail -n1)
name=$(basename "$tarball" .tar.gz)
version=${name#tiergate-}; version=${version%-linux-*}
(cd "$(dirname "$tarball")" && sha256sum --check --strict --quiet "$name.tar.gz.sha256") || fail "the .sha256 does not match the tarball"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty"
tar -xzf "$tarball" -C "$work/empty"
[ "$(ls "$work/empty")" = "$name" ] || fail "the tarball does not hold one directory $name"
bin="$work/empty/$name/bin/tiergate"
[ -x "$bin" ] || fail "no bin/tiergate in the tarball"
if ldd "$bin" | grep -Eq 'libswift|libFoundation|libdispatch|not found'; then ldd "$bin" >&2; fail "the binary needs more than the system's libgit2 and libyaml"; fi
for pkg in $(cat "$work/empty/$name/share/tiergate/runtime-packages"); do
  dpkg -s "$pkg" >/dev/null 2>&1 || fail "share/tiergate/runtime-packages names $pkg, which is not installed here"
done

# No build tree, no toolchain, no environment: demo and check.
clean=(env -i PATH=/usr/bin:/bin)
[ "$("${clean[@]}" "$bin" --version)" = "$version" ] || fail "tiergate --version is not $version"
mkdir "$work/demo"
"${clean[@]}" "$bin" demo --directory "$work/demo" > "$work/demo.out" || fail "tiergate demo exited $?"
grep -q "The gate's exit status would be 1 (blocked)" "$work/demo.out" || { cat "$work/demo.out" >&2; fail "the demo did not gate its change"; }
repo=$(ls -d "$work/demo"/tiergate-demo-*)
set +e
(cd "$repo" && "${clean[@]}" "$bin" check --base HEAD~1 --author dana --approved-by cora --today 2026-11-22 --format json > "$work/check.json")
status=$?
set -e
[ "$status" = 1 ] || fail "check exited $status, not 1 (blocked)"
[ "$(jq -r '.decision + " " + (.apps | length | tostring)' "$work/check.json")" = "blocked 3" ] || fail "the check's report: $(head -c 400 "$work/check.json")"

# The action's install step, from a file:// release page.
step=$("$root/.venv/bin/python" -c '
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
print(next(s["run"] for s in steps if s["name"].startswith("Install tiergate")))' "$root/action.yml")
mkdir -p "$work/releases/v$version"
cp "$tarball" "$tarball.sha256" "$work/releases/v$version/"
install() {
  rm -rf "$work/runner" && mkdir -p "$work/runner"
  : > "$work/runner/path"
  env -i PATH=/usr/bin:/bin RUNNER_TEMP="$work/runner" GITHUB_PATH="$work/runner/path" \
    VERSION="$version" SHA256="$1" RELEASE_URL="file://$work/releases" \
    bash --noprofile --norc -eo pipefail -c "$step" > "$work/install.out" 2>&1
}
install "" || { cat "$work/install.out" >&2; fail "the action could not install the release"; }
installed="$(cat "$work/runner/path")/tiergate"
[ "$("${clean[@]}" "$installed" --version)" = "$version" ] || fail "the action's tiergate is not $version"
install "$(cut -d' ' -f1 "$tarball.sha256")" || { cat "$work/install.out" >&2; fail "the action refused the pinned SHA-256"; }
if install "$(printf '0%.0s' $(seq 64))"; then fail "the action installed a tarball that does not match the pinned SHA-256"; fi
grep -q "does not match its SHA-256" "$work/install.out" || fail "no clear message for a SHA-256 mismatch: $(cat "$work/install.out")"
printf 'x' >> "$work/releases/v$version/$name.tar.gz"
if install ""; then fail "the action installed a tarball that does not match its .sha256"; fi
echo "release-test: $name: unpacked and run under env -i, installed by the action; ok" >&2
