#!/usr/bin/env bash
# Builds the two libFuzzer targets (manifest bytes → findings, tiers and every output format, checked; policy
# bytes → policy) with -sanitize=fuzzer,address and runs each for SECONDS (default 60), seeded from fixtures/
# and with the target's dictionary (fuzz/TARGET.dict) when it has one.
# A crash, hang (over 30 s for one input), leak or out-of-memory stops the run, leaves the input in
# .build-fuzz/artifacts/ and makes the script fail. Add such an input to fixtures/fuzz-regressions/TARGET/.
# FUZZ_SEED fixes libFuzzer's seed (CI uses 1 so that a smoke run is repeatable).
set -euo pipefail
seconds="${1:-60}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$root/.build-fuzz"
mkdir -p "$out/artifacts"

"$here/setup.sh"

sources=$(find "$root/Sources/TiergateCore" -name '*.swift' | sort)
build() {
  local name="$1" target="$2"
  local bin="$out/fuzz-$name"
  # Rebuild when any source is newer than the binary.
  if [ ! -x "$bin" ] || [ -n "$(find "$root/Sources" "$target" -newer "$bin" \( -name '*.swift' -o -name '*.[ch]' \) | head -1)" ]; then
    echo "fuzz: building $name target" >&2
    # The C shim target (libgit2's variadic options call), compiled as SwiftPM would.
    clang -c -O2 $(pkg-config --cflags libgit2) -I "$root/Sources/CGitSupport/include" \
      "$root/Sources/CGitSupport/support.c" -o "$out/cgitsupport.o"
    swiftc -sanitize=fuzzer,address -O -swift-version 6 -parse-as-library -module-name TiergateFuzz -package-name tiergate \
      -I "$root/Sources/CYAML" -I "$root/Sources/CLibGit2" -I "$root/Sources/CGitSupport/include" -lyaml -lgit2 \
      $sources "$target" "$out/cgitsupport.o" -o "$bin" 2> >(grep -v "Cannot export local symbol" >&2)
  fi
}
build manifest "$root/fuzz/ManifestFuzzTarget.swift"
build policy "$root/fuzz/PolicyFuzzTarget.swift"

# Seed corpora: every manifest and YAML fixture for the first, policies for the second.
mkdir -p "$out/corpus-manifest" "$out/corpus-policy"
find "$root/fixtures" -type f \( -name '*.yaml' -o -name '*.yml' \) ! -path '*/.tiergate/*' -exec cp -n {} "$out/corpus-manifest/" \; 2>/dev/null || true
find "$root/fixtures" -type f -path '*/.tiergate/*' -exec sh -c 'cp "$1" "$2/$(echo "$1" | md5sum | cut -c1-12).yaml"' _ {} "$out/corpus-policy" \;

export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
status=0
for name in manifest policy; do
  echo "fuzz: running $name for ${seconds}s" >&2
  regressions=()
  [ -d "$root/fixtures/fuzz-regressions/$name" ] && regressions=("$root/fixtures/fuzz-regressions/$name")
  # A dictionary of the target's tokens (fuzz/TARGET.dict): credentials, huge numbers, dates, injections.
  dict=()
  [ -f "$root/fuzz/$name.dict" ] && dict=("-dict=$root/fuzz/$name.dict")
  if ! "$out/fuzz-$name" "$out/corpus-$name" "${regressions[@]}" "${dict[@]}" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -seed="${FUZZ_SEED:-0}" \
      -max_len=65536 -artifact_prefix="$out/artifacts/$name-" -print_final_stats=1 2> "$out/$name.log"; then
    status=1
    echo "fuzz: $name FAILED; see $out/$name.log and $out/artifacts/" >&2
    tail -40 "$out/$name.log" >&2
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$out/$name.log" | sed "s/^/fuzz: $name: /" >&2 || true
done
exit $status
