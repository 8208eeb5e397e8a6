#!/usr/bin/env bash
# ci/no-temp-leftovers.sh COMMAND [ARG...]: runs COMMAND with a private, empty TMPDIR and fails when COMMAND
# leaves anything there: every test removes its temporary directories. What the toolchain leaves when it builds
# (SwiftPM's lock files and TemporaryDirectory.* folders, the compiler's swift-generated-sources) is not the
# tests' and is let be.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: ci/no-temp-leftovers.sh COMMAND [ARG...]" >&2; exit 2; }
private="$(mktemp -d "${TMPDIR:-/tmp}/tiergate-tmp.XXXXXX")"
trap 'rm -rf "$private"' EXIT
TMPDIR="$private" "$@"
left="$(find "$private" -mindepth 1 -maxdepth 1 ! -name 'TemporaryDirectory.*' ! -name '*.lock' ! -name 'swift-generated-sources')"
if [ -n "$left" ]; then
  echo "ci/no-temp-leftovers.sh: '$*' left these in its TMPDIR:" >&2
  echo "$left" >&2
  exit 1
fi
