#!/usr/bin/env bash
# Installs what tiergate and its tests need on a fresh Debian machine.
# Idempotent: does nothing that is already done.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

need=()
# chromium: the tests open the HTML inventory in a real headless browser.
for pkg in libgit2-dev libyaml-dev pkg-config git jq chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "ci/setup.sh: installing ${need[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Python helpers used by the tests (real third-party validators), in a venv this script owns.
venv="$root/.venv"
stamp="$venv/.requirements-installed"
if [ ! -f "$stamp" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  echo "ci/setup.sh: preparing $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi
