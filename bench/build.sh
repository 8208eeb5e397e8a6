#!/usr/bin/env bash
# Builds tiergate as the benchmarks measure it and prints the binary's path: release, with the Swift runtime and
# Foundation linked in (as a Swift command-line tool is shipped on Linux: no dynamic linking of the Swift libraries
# at every start), in its own build directory so that a normal release build is untouched.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build=(swift build -c release --static-swift-stdlib --package-path "$root" --build-path "$root/.build-static")
echo "bench: building tiergate (release, static Swift runtime)" >&2
"${build[@]}" >&2
echo "$("${build[@]}" --show-bin-path)/tiergate"
